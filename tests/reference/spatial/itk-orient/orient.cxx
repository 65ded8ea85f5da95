// ITK 5.2's OrientImageFilter as the reference for reorientImage: reads a NIfTI (float), orients
// it to the ITK coordinate orientation named on the command line, writes a NIfTI.
// Usage: itk-orient in.nii out.nii RAI   (ITK's names: ITK "RAI" is nibabel/our "LPS").
#include "itkImage.h"
#include "itkImageFileReader.h"
#include "itkImageFileWriter.h"
#include "itkOrientImageFilter.h"
#include <map>
#include <string>

using O = itk::SpatialOrientation::ValidCoordinateOrientationFlags;
#define C(x) { #x, itk::SpatialOrientation::ITK_COORDINATE_ORIENTATION_##x }

int main(int argc, char ** argv) {
  if (argc != 4) return 2;
  const std::map<std::string, O> codes = { C(RAI), C(LPI), C(RAS), C(LPS), C(AIR), C(ASL), C(ILP), C(PIR), C(SAL), C(IRP) };
  auto it = codes.find(argv[3]);
  if (it == codes.end()) return 3;
  using Image = itk::Image<float, 3>;
  auto reader = itk::ImageFileReader<Image>::New();
  reader->SetFileName(argv[1]);
  auto orient = itk::OrientImageFilter<Image, Image>::New();
  orient->UseImageDirectionOn();
  orient->SetDesiredCoordinateOrientation(it->second);
  orient->SetInput(reader->GetOutput());
  auto writer = itk::ImageFileWriter<Image>::New();
  writer->SetFileName(argv[2]);
  writer->SetInput(orient->GetOutput());
  writer->Update();
  return 0;
}

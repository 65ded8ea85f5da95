// Prints what ITK 5.2's NiftiImageIO (through itk::ImageFileReader) reads from a NIfTI file:
// component type, size, spacing, origin, direction (row-major) as one JSON line, or the error.
// Build: cmake -S . -B /tmp/itk52-build && cmake --build /tmp/itk52-build
#include "itkImageFileReader.h"
#include "itkImageIOFactory.h"
#include "itkNiftiImageIO.h"
#include "itkImage.h"
#include "itkImageRegionConstIterator.h"
#include <cstdio>
#include <iostream>

template <unsigned int D>
int Read(const char * path)
{
  using ImageType = itk::Image<double, D>;
  auto reader = itk::ImageFileReader<ImageType>::New();
  reader->SetImageIO(itk::NiftiImageIO::New());
  reader->SetFileName(path);
  reader->Update();
  auto img = reader->GetOutput();
  const auto io = reader->GetImageIO();
  std::printf("{\"componentType\":\"%s\",\"dimension\":%u,\"size\":[", io->GetComponentTypeAsString(io->GetComponentType()).c_str(), D);
  for (unsigned i = 0; i < D; ++i) std::printf("%s%lu", i ? "," : "", (unsigned long)img->GetLargestPossibleRegion().GetSize()[i]);
  std::printf("],\"spacing\":[");
  for (unsigned i = 0; i < D; ++i) std::printf("%s%.17g", i ? "," : "", img->GetSpacing()[i]);
  std::printf("],\"origin\":[");
  for (unsigned i = 0; i < D; ++i) std::printf("%s%.17g", i ? "," : "", img->GetOrigin()[i]);
  std::printf("],\"direction\":[");
  for (unsigned r = 0; r < D; ++r)
    for (unsigned c = 0; c < D; ++c) std::printf("%s%.17g", r || c ? "," : "", img->GetDirection()[r][c]);
  double sum = 0;
  itk::ImageRegionConstIterator<ImageType> it(img, img->GetLargestPossibleRegion());
  for (; !it.IsAtEnd(); ++it) sum += it.Get();
  std::printf("],\"sum\":%.17g}\n", sum);
  return 0;
}

int main(int argc, char ** argv)
{
  for (int a = 1; a < argc; ++a)
  {
    try
    {
      auto io = itk::NiftiImageIO::New();
      io->SetFileName(argv[a]);
      io->ReadImageInformation();
      const unsigned d = io->GetNumberOfDimensions();
      std::printf("\"%s\": ", argv[a]);
      if (io->GetNumberOfComponents() != 1) { std::printf("{\"skip\":\"multi-component\"}\n"); continue; }
      if (d == 2) Read<2>(argv[a]);
      else if (d == 3) Read<3>(argv[a]);
      else if (d == 4) Read<4>(argv[a]);
      else std::printf("{\"skip\":\"dimension %u\"}\n", d);
    }
    catch (const std::exception & e)
    {
      std::string msg = e.what();
      for (auto & ch : msg) if (ch == '"' || ch == '\n' || ch == '\\') ch = ' ';
      std::printf("{\"error\":\"%s\"}\n", msg.substr(0, 200).c_str());
    }
  }
  return 0;
}

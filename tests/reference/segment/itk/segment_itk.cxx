// ITK 5.2 reference for src/segment: ball dilation / erosion, connected components + relabel.
// Usage: segment_itk <op> <in.raw uint8> <nx> <ny> <nz> <param> <out.raw>
//   op = dilate | erode: BinaryDilate/ErodeImageFilter with BinaryBallStructuringElement(radius = param)
//        (ITK defaults: erosion treats the outside as foreground, dilation as background)
//   op = relabel: ConnectedComponentImageFilter (FullyConnected = param) + RelabelComponentImageFilter,
//        output uint32 labels
#include <fstream>
#include <iostream>
#include <string>
#include <vector>
#include "itkBinaryBallStructuringElement.h"
#include "itkBinaryDilateImageFilter.h"
#include "itkBinaryErodeImageFilter.h"
#include "itkConnectedComponentImageFilter.h"
#include "itkImage.h"
#include "itkImportImageFilter.h"
#include "itkRelabelComponentImageFilter.h"

using MaskType = itk::Image<unsigned char, 3>;
using LabelType = itk::Image<unsigned int, 3>;

int main(int argc, char ** argv)
{
  if (argc != 8) { std::cerr << "usage: segment_itk op in nx ny nz param out\n"; return 1; }
  const std::string op = argv[1];
  const unsigned nx = std::stoul(argv[3]), ny = std::stoul(argv[4]), nz = std::stoul(argv[5]);
  const int param = std::stoi(argv[6]);
  const size_t n = size_t(nx) * ny * nz;
  std::vector<unsigned char> buf(n);
  std::ifstream in(argv[2], std::ios::binary);
  in.read(reinterpret_cast<char *>(buf.data()), n);
  if (!in) { std::cerr << "short input\n"; return 1; }

  MaskType::Pointer img = MaskType::New();
  MaskType::RegionType region;
  MaskType::SizeType size = { { nx, ny, nz } };
  region.SetSize(size);
  img->SetRegions(region);
  img->Allocate();
  std::copy(buf.begin(), buf.end(), img->GetBufferPointer());

  std::ofstream out(argv[7], std::ios::binary);
  if (op == "dilate" || op == "erode") {
    using SE = itk::BinaryBallStructuringElement<unsigned char, 3>;
    SE se;
    se.SetRadius(param);
    se.CreateStructuringElement();
    MaskType::Pointer result;
    if (op == "dilate") {
      auto f = itk::BinaryDilateImageFilter<MaskType, MaskType, SE>::New();
      f->SetInput(img); f->SetKernel(se); f->SetForegroundValue(1); f->SetBackgroundValue(0);
      f->Update(); result = f->GetOutput();
    } else {
      auto f = itk::BinaryErodeImageFilter<MaskType, MaskType, SE>::New();
      f->SetInput(img); f->SetKernel(se); f->SetForegroundValue(1); f->SetBackgroundValue(0);
      f->Update(); result = f->GetOutput();
    }
    out.write(reinterpret_cast<const char *>(result->GetBufferPointer()), n);
  } else if (op == "relabel") {
    auto cc = itk::ConnectedComponentImageFilter<MaskType, LabelType>::New();
    cc->SetInput(img);
    cc->SetFullyConnected(param != 0);
    auto rl = itk::RelabelComponentImageFilter<LabelType, LabelType>::New();
    rl->SetInput(cc->GetOutput());
    rl->Update();
    out.write(reinterpret_cast<const char *>(rl->GetOutput()->GetBufferPointer()), n * sizeof(unsigned int));
  } else { std::cerr << "unknown op\n"; return 1; }
  return 0;
}

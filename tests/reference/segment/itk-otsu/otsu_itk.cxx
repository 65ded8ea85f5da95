// ITK 5.2 OtsuThresholdImageFilter thresholds, the reference for src/segment/otsu.ts.
// Usage: otsu_itk <image.f64 raw> nx ny nz bins [mask.u8 raw]
// Prints the threshold (calculator output) with 17 significant digits.
#include <cstdio>
#include <fstream>
#include <vector>
#include "itkImage.h"
#include "itkOtsuThresholdImageFilter.h"

using ImageType = itk::Image<double, 3>;
using MaskType = itk::Image<unsigned char, 3>;

template <typename T, typename I>
typename I::Pointer load(const char * path, const typename I::SizeType & size) {
  auto img = I::New();
  typename I::RegionType region;
  region.SetSize(size);
  img->SetRegions(region);
  img->Allocate();
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char *>(img->GetBufferPointer()), sizeof(T) * region.GetNumberOfPixels());
  if (!in) throw std::runtime_error(std::string("cannot read ") + path);
  return img;
}

int main(int argc, char ** argv) {
  if (argc < 6) {
    std::fprintf(stderr, "usage: otsu_itk image.f64 nx ny nz bins [mask.u8]\n");
    return 2;
  }
  ImageType::SizeType size;
  for (int i = 0; i < 3; ++i) size[i] = std::stoul(argv[2 + i]);
  auto image = load<double, ImageType>(argv[1], size);
  using Filter = itk::OtsuThresholdImageFilter<ImageType, MaskType, MaskType>;
  auto filter = Filter::New();
  filter->SetInput(image);
  filter->SetNumberOfHistogramBins(std::stoul(argv[5]));
  if (argc > 6) {
    auto mask = load<unsigned char, MaskType>(argv[6], size);
    filter->SetMaskImage(mask);
    filter->SetMaskValue(1);
  }
  filter->Update();
  std::printf("%.17g\n", filter->GetThreshold());
  return 0;
}

// Reference resampler: ITK 5.2 itk::ResampleImageFilter with an identity transform.
//
// Usage: itk-resample <params.txt>
//        itk-resample --inverse <dim> <spacing[dim]> <direction[dim*dim]>   (prints p2i only)
// params.txt holds whitespace-separated tokens, in this order:
//   dim inType outType interpolator defaultValue inputRaw outputRaw
//   inSize[dim] inSpacing[dim] inOrigin[dim] inDirection[dim*dim, row-major]
//   outSize[dim] outSpacing[dim] outOrigin[dim] outDirection[dim*dim, row-major]
// inType/outType: int16 | float32 ; interpolator: nearest | linear | bspline (order 3).
// Raw files are little-endian, x fastest. It also prints the input's PhysicalPointToIndex
// matrix (%.17g) so the TypeScript index map can be compared bit for bit.
#include "itkImage.h"
#include "itkImportImageFilter.h"
#include "itkResampleImageFilter.h"
#include "itkIdentityTransform.h"
#include "itkNearestNeighborInterpolateImageFunction.h"
#include "itkLinearInterpolateImageFunction.h"
#include "itkBSplineInterpolateImageFunction.h"
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

struct Params
{
  unsigned dim;
  std::string inType, outType, interp, inRaw, outRaw;
  double defaultValue;
  std::vector<double> inSize, inSpacing, inOrigin, inDir, outSize, outSpacing, outOrigin, outDir;
};

static std::vector<double> readN(std::istream & s, unsigned n)
{
  std::vector<double> v(n);
  for (auto & x : v) s >> x;
  return v;
}

template <typename TIn, typename TOut, unsigned D>
int run(const Params & p)
{
  using InImage = itk::Image<TIn, D>;
  using OutImage = itk::Image<TOut, D>;
  auto img = InImage::New();
  typename InImage::RegionType region;
  typename InImage::SpacingType spacing;
  typename InImage::PointType origin;
  typename InImage::DirectionType dir;
  size_t n = 1;
  for (unsigned i = 0; i < D; i++)
  {
    region.SetSize(i, (itk::SizeValueType)p.inSize[i]);
    n *= (size_t)p.inSize[i];
    spacing[i] = p.inSpacing[i];
    origin[i] = p.inOrigin[i];
    for (unsigned j = 0; j < D; j++) dir[i][j] = p.inDir[i * D + j];
  }
  img->SetRegions(region);
  img->SetSpacing(spacing);
  img->SetOrigin(origin);
  img->SetDirection(dir);
  img->Allocate();
  std::ifstream in(p.inRaw, std::ios::binary);
  in.read(reinterpret_cast<char *>(img->GetBufferPointer()), n * sizeof(TIn));
  if (!in) { std::cerr << "short read " << p.inRaw << "\n"; return 1; }

  {
    // PhysicalPointToIndex is protected: read its columns through an origin-0 twin image.
    auto twin = InImage::New();
    twin->SetSpacing(spacing);
    twin->SetDirection(dir);
    for (unsigned j = 0; j < D; j++)
    {
      typename InImage::PointType e;
      e.Fill(0.0);
      e[j] = 1.0;
      itk::ContinuousIndex<double, D> c;
      twin->TransformPhysicalPointToContinuousIndex(e, c);
      for (unsigned i = 0; i < D; i++) std::printf("p2i[%u][%u]=%.17g\n", i, j, c[i]);
    }
  }

  using Filter = itk::ResampleImageFilter<InImage, OutImage, double, double>;
  auto f = Filter::New();
  f->SetInput(img);
  f->SetTransform(itk::IdentityTransform<double, D>::New());
  if (p.interp == "nearest") f->SetInterpolator(itk::NearestNeighborInterpolateImageFunction<InImage, double>::New());
  else if (p.interp == "linear") f->SetInterpolator(itk::LinearInterpolateImageFunction<InImage, double>::New());
  else if (p.interp == "bspline")
  {
    auto b = itk::BSplineInterpolateImageFunction<InImage, double, double>::New();
    b->SetSplineOrder(3);
    f->SetInterpolator(b);
  }
  else { std::cerr << "unknown interpolator " << p.interp << "\n"; return 1; }
  typename OutImage::SizeType osize;
  typename OutImage::SpacingType ospacing;
  typename OutImage::PointType oorigin;
  typename OutImage::DirectionType odir;
  size_t on = 1;
  for (unsigned i = 0; i < D; i++)
  {
    osize[i] = (itk::SizeValueType)p.outSize[i];
    on *= osize[i];
    ospacing[i] = p.outSpacing[i];
    oorigin[i] = p.outOrigin[i];
    for (unsigned j = 0; j < D; j++) odir[i][j] = p.outDir[i * D + j];
  }
  f->SetSize(osize);
  f->SetOutputSpacing(ospacing);
  f->SetOutputOrigin(oorigin);
  f->SetOutputDirection(odir);
  f->SetDefaultPixelValue(static_cast<TOut>(p.defaultValue));
  f->Update();
  std::ofstream out(p.outRaw, std::ios::binary);
  out.write(reinterpret_cast<const char *>(f->GetOutput()->GetBufferPointer()), on * sizeof(TOut));
  return out ? 0 : 1;
}

template <unsigned D>
int dispatch(const Params & p)
{
  if (p.inType == "int16" && p.outType == "int16") return run<short, short, D>(p);
  if (p.inType == "int16" && p.outType == "float32") return run<short, float, D>(p);
  if (p.inType == "float32" && p.outType == "float32") return run<float, float, D>(p);
  if (p.inType == "uint8" && p.outType == "uint8") return run<unsigned char, unsigned char, D>(p);
  if (p.inType == "uint8" && p.outType == "float32") return run<unsigned char, float, D>(p);
  std::cerr << "unsupported types " << p.inType << " -> " << p.outType << "\n";
  return 1;
}

template <unsigned D>
int printInverse(char ** argv)
{
  // ImageBase's PhysicalPointToIndex (vnl_svd inverse of Direction * diag(Spacing)), column by column.
  using ImageType = itk::Image<float, D>;
  auto img = ImageType::New();
  typename ImageType::SpacingType spacing;
  typename ImageType::DirectionType dir;
  for (unsigned i = 0; i < D; i++) spacing[i] = std::stod(argv[i]);
  for (unsigned i = 0; i < D; i++)
    for (unsigned j = 0; j < D; j++) dir[i][j] = std::stod(argv[D + i * D + j]);
  img->SetSpacing(spacing);
  img->SetDirection(dir);
  for (unsigned j = 0; j < D; j++)
  {
    typename ImageType::PointType e;
    e.Fill(0.0);
    e[j] = 1.0;
    itk::ContinuousIndex<double, D> c;
    img->TransformPhysicalPointToContinuousIndex(e, c);
    for (unsigned i = 0; i < D; i++) std::printf("%.17g\n", c[i]);
  }
  return 0;
}

int main(int argc, char ** argv)
{
  if (argc > 2 && std::string(argv[1]) == "--inverse")
  {
    const int d = std::atoi(argv[2]);
    if (d == 2 && argc == 3 + 2 + 4) return printInverse<2>(argv + 3);
    if (d == 3 && argc == 3 + 3 + 9) return printInverse<3>(argv + 3);
    std::cerr << "usage: itk-resample --inverse dim spacing... direction...\n";
    return 1;
  }
  if (argc != 2) { std::cerr << "usage: itk-resample params.txt\n"; return 1; }
  std::ifstream s(argv[1]);
  Params p;
  s >> p.dim >> p.inType >> p.outType >> p.interp >> p.defaultValue >> p.inRaw >> p.outRaw;
  const unsigned D = p.dim;
  p.inSize = readN(s, D); p.inSpacing = readN(s, D); p.inOrigin = readN(s, D); p.inDir = readN(s, D * D);
  p.outSize = readN(s, D); p.outSpacing = readN(s, D); p.outOrigin = readN(s, D); p.outDir = readN(s, D * D);
  if (!s) { std::cerr << "bad params file\n"; return 1; }
  return D == 2 ? dispatch<2>(p) : D == 3 ? dispatch<3>(p) : 1;
}

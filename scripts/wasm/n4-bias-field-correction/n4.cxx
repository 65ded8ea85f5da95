// n4-bias-field-correction: ITK 5.2's N4BiasFieldCorrectionImageFilter as an itk-wasm pipeline
// module. The pipeline is the one of tests/reference/bias/itk-n4/n4.cxx (the native reference
// tool) and of src/bias/n4.ts:
//   [Otsu mask (OtsuThresholdImageFilter, 200 bins, inside 0 / outside 1) when no mask is given]
//   -> ShrinkImageFilter on image and mask -> N4BiasFieldCorrectionImageFilter
//   -> full-resolution log field from the final lattice (BSplineControlPointImageFilter on the
//      input grid) -> bias = exp(log field), corrected = image / bias.
//
// usage (itk-wasm memory IO; the positional arguments are memory IO slot indices):
//   n4-bias-field-correction <input-image> <corrected-image> <bias-field> <info> --memory-io
//     [--mask-image <input>] [--shrink-factor 4] [--iterations 50,50,50,50]
//     [--convergence-threshold 0.001] [--spline-order 3] [--control-points 4]
//     [--histogram-bins 200] [--fwhm 0.15] [--wiener-noise 0.01]
// Inputs: a float32 scalar 2D or 3D image; optional uint8 mask (non-zero = inside) of the same size.
// Outputs: corrected and bias field (float32, input geometry); <info> is JSON
//   {"iterations": [per level], "convergence": [per level], "otsuThreshold": t | null}.
// Errors: exit code 1 with a message on stderr.
#include "itkBSplineControlPointImageFilter.h"
#include "itkCommand.h"
#include "itkImage.h"
#include "itkImageRegionConstIterator.h"
#include "itkMultiThreaderBase.h"
#include "itkN4BiasFieldCorrectionImageFilter.h"
#include "itkOtsuThresholdImageFilter.h"
#include "itkShrinkImageFilter.h"

#include "wasm-memory-io.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace
{
struct Options
{
  unsigned int input = 0, corrected = 0, bias = 1, info = 2;
  bool memoryIo = false;
  bool hasMask = false;
  unsigned int mask = 1;
  unsigned int shrinkFactor = 4;
  std::vector<unsigned int> iterations{ 50, 50, 50, 50 };
  double convergence = 0.001;
  unsigned int splineOrder = 3;
  unsigned int controlPoints = 4;
  unsigned int bins = 200;
  double fwhm = 0.15;
  double wiener = 0.01;
};

bool parseUnsigned(const std::string & text, unsigned int & out)
{
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 9) return false;
  out = static_cast<unsigned int>(std::strtoul(text.c_str(), nullptr, 10));
  return true;
}

bool parseDouble(const std::string & text, double & out)
{
  char * end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size() && std::isfinite(out);
}

bool parseArgs(int argc, char * argv[], Options & o, std::string & error)
{
  std::vector<std::string> positional;
  for (int i = 1; i < argc; i++)
  {
    const std::string a = argv[i];
    if (a.rfind("--", 0) != 0)
    {
      positional.push_back(a);
      continue;
    }
    if (a == "--memory-io")
    {
      o.memoryIo = true;
      continue;
    }
    if (i + 1 >= argc)
    {
      error = a + " needs a value";
      return false;
    }
    const std::string v = argv[++i];
    bool ok = true;
    if (a == "--mask-image") ok = o.hasMask = parseUnsigned(v, o.mask);
    else if (a == "--shrink-factor") ok = parseUnsigned(v, o.shrinkFactor) && o.shrinkFactor >= 1;
    else if (a == "--iterations")
    {
      // "50,50,50,50" (also the ANTs / native tool form "50x50x50x50")
      o.iterations.clear();
      std::string list = v;
      for (char & c : list)
        if (c == 'x') c = ',';
      std::stringstream ss(list);
      std::string tok;
      while (ok && std::getline(ss, tok, ','))
      {
        unsigned int n = 0;
        ok = parseUnsigned(tok, n);
        o.iterations.push_back(n);
      }
      ok = ok && !o.iterations.empty();
    }
    else if (a == "--convergence-threshold") ok = parseDouble(v, o.convergence) && o.convergence >= 0;
    else if (a == "--spline-order") ok = parseUnsigned(v, o.splineOrder) && o.splineOrder >= 1 && o.splineOrder <= 5;
    else if (a == "--control-points") ok = parseUnsigned(v, o.controlPoints);
    else if (a == "--histogram-bins") ok = parseUnsigned(v, o.bins) && o.bins >= 2;
    else if (a == "--fwhm") ok = parseDouble(v, o.fwhm) && o.fwhm > 0;
    else if (a == "--wiener-noise") ok = parseDouble(v, o.wiener) && o.wiener >= 0;
    else
    {
      error = "unknown option " + a;
      return false;
    }
    if (!ok)
    {
      error = "invalid value for " + a + ": " + v;
      return false;
    }
  }
  if (positional.size() != 4 || !parseUnsigned(positional[0], o.input) || !parseUnsigned(positional[1], o.corrected) ||
      !parseUnsigned(positional[2], o.bias) || !parseUnsigned(positional[3], o.info))
  {
    error = "usage: n4-bias-field-correction <input-image> <corrected-image> <bias-field> <info> --memory-io [options]";
    return false;
  }
  if (!o.memoryIo)
  {
    error = "only --memory-io is supported (this module has no file IO)";
    return false;
  }
  if (o.controlPoints < o.splineOrder + 1)
  {
    error = "--control-points must be at least spline order + 1";
    return false;
  }
  return true;
}

/** Records, per fitting level, the iterations run and the last convergence measure. */
template <typename TFilter>
class LevelRecorder : public itk::Command
{
public:
  using Self = LevelRecorder;
  using Pointer = itk::SmartPointer<Self>;
  itkNewMacro(Self);
  std::vector<unsigned int> iterations;
  std::vector<double> convergence;
  void Execute(itk::Object * caller, const itk::EventObject & event) override
  {
    Execute(static_cast<const itk::Object *>(caller), event);
  }
  void Execute(const itk::Object * caller, const itk::EventObject & event) override
  {
    if (!itk::IterationEvent().CheckEvent(&event)) return;
    const auto * f = static_cast<const TFilter *>(caller);
    const unsigned int level = f->GetCurrentLevel();
    if (iterations.size() <= level)
    {
      iterations.resize(level + 1, 0);
      convergence.resize(level + 1, std::numeric_limits<double>::quiet_NaN());
    }
    // The event fires inside the loop, after the increment: ElapsedIterations = iterations run.
    iterations[level] = f->GetElapsedIterations();
    convergence[level] = f->GetCurrentConvergenceMeasurement();
  }
};

std::string jsonNumber(double v)
{
  if (!std::isfinite(v)) return "null";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

template <unsigned int D>
int run(const Options & o, const wasmio::InputImage & in)
{
  using ImageType = itk::Image<float, D>;
  using MaskType = itk::Image<unsigned char, D>;
  typename ImageType::SizeType size;
  typename ImageType::PointType origin;
  typename ImageType::SpacingType spacing;
  typename ImageType::DirectionType direction;
  std::size_t count = 1;
  for (unsigned int d = 0; d < D; d++)
  {
    size[d] = in.size[d];
    origin[d] = in.origin[d];
    spacing[d] = in.spacing[d];
    count *= in.size[d];
    for (unsigned int c = 0; c < D; c++) direction[d][c] = in.direction[d * D + c];
  }
  if (count == 0 || in.dataBytes != count * sizeof(float))
  {
    std::cerr << "n4BiasFieldCorrection: the pixel buffer holds " << in.dataBytes << " bytes, expected " << count * 4
              << " for the image size" << std::endl;
    return 1;
  }
  auto image = ImageType::New();
  image->SetRegions(size);
  image->SetOrigin(origin);
  image->SetSpacing(spacing);
  image->SetDirection(direction);
  // The input stays in its memory IO slot until main returns: wrap it without a copy.
  image->GetPixelContainer()->SetImportPointer(static_cast<float *>(const_cast<void *>(in.data)), count, false);

  typename MaskType::Pointer mask;
  double otsuThreshold = std::numeric_limits<double>::quiet_NaN();
  if (o.hasMask)
  {
    wasmio::InputImage m;
    std::string error;
    if (!wasmio::readInputImage(o.mask, m, error))
    {
      std::cerr << "n4BiasFieldCorrection mask: " << error << std::endl;
      return 1;
    }
    bool same = m.dimension == D;
    for (unsigned int d = 0; same && d < D; d++) same = m.size[d] == in.size[d];
    if (!same)
    {
      std::cerr << "n4BiasFieldCorrection: mask size differs from image size" << std::endl;
      return 1;
    }
    if (m.componentType != "uint8" || m.dataBytes != count)
    {
      std::cerr << "n4BiasFieldCorrection: the mask must be a uint8 scalar image, got " << m.componentType << std::endl;
      return 1;
    }
    mask = MaskType::New();
    mask->SetRegions(size);
    mask->CopyInformation(image); // the mask shares the image grid, as in the native tool
    mask->GetPixelContainer()->SetImportPointer(static_cast<unsigned char *>(const_cast<void *>(m.data)), count, false);
  }
  else
  {
    auto otsu = itk::OtsuThresholdImageFilter<ImageType, MaskType>::New();
    otsu->SetInput(image);
    otsu->SetNumberOfHistogramBins(200);
    otsu->SetInsideValue(0);
    otsu->SetOutsideValue(1);
    otsu->Update();
    mask = otsu->GetOutput();
    otsuThreshold = otsu->GetThreshold();
  }

  auto shrinker = itk::ShrinkImageFilter<ImageType, ImageType>::New();
  shrinker->SetInput(image);
  shrinker->SetShrinkFactors(o.shrinkFactor);
  auto maskShrinker = itk::ShrinkImageFilter<MaskType, MaskType>::New();
  maskShrinker->SetInput(mask);
  maskShrinker->SetShrinkFactors(o.shrinkFactor);
  shrinker->Update();
  maskShrinker->Update();

  // Checks ITK would not make (it would throw or return NaN); messages as in src/bias/n4.ts.
  const auto shrunkSize = shrinker->GetOutput()->GetLargestPossibleRegion().GetSize();
  for (unsigned int d = 0; d < D; d++)
  {
    if (shrunkSize[d] < 2)
    {
      std::cerr << "n4BiasFieldCorrection: the image is only " << size[d] << " voxels along axis " << d
                << "; with shrinkFactor " << o.shrinkFactor << " fewer than 2 remain" << std::endl;
      return 1;
    }
  }
  {
    itk::ImageRegionConstIterator<ImageType> it(shrinker->GetOutput(), shrinker->GetOutput()->GetLargestPossibleRegion());
    itk::ImageRegionConstIterator<MaskType> mt(maskShrinker->GetOutput(),
                                               maskShrinker->GetOutput()->GetLargestPossibleRegion());
    std::size_t inside = 0;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (; !it.IsAtEnd(); ++it, ++mt)
    {
      if (mt.Get() == 0) continue;
      inside++;
      const double v = it.Get() > 0 ? std::log(static_cast<double>(it.Get())) : it.Get();
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    if (inside == 0)
    {
      std::cerr << "n4BiasFieldCorrection: the mask is empty"
                << (o.shrinkFactor > 1 ? " after shrinking by " + std::to_string(o.shrinkFactor) : std::string())
                << std::endl;
      return 1;
    }
    if (!(hi > lo))
    {
      std::cerr << "n4BiasFieldCorrection: the masked intensities are constant; there is no histogram to sharpen"
                << std::endl;
      return 1;
    }
  }

  using N4Type = itk::N4BiasFieldCorrectionImageFilter<ImageType, MaskType, ImageType>;
  auto n4 = N4Type::New();
  n4->SetInput(shrinker->GetOutput());
  n4->SetMaskImage(maskShrinker->GetOutput());
  typename N4Type::VariableSizeArrayType maxIters(static_cast<unsigned int>(o.iterations.size()));
  for (unsigned int i = 0; i < o.iterations.size(); i++) maxIters[i] = o.iterations[i];
  n4->SetMaximumNumberOfIterations(maxIters);
  n4->SetNumberOfFittingLevels(static_cast<unsigned int>(o.iterations.size()));
  n4->SetConvergenceThreshold(o.convergence);
  n4->SetSplineOrder(o.splineOrder);
  typename N4Type::ArrayType ncp;
  ncp.Fill(o.controlPoints);
  n4->SetNumberOfControlPoints(ncp);
  n4->SetNumberOfHistogramBins(o.bins);
  n4->SetBiasFieldFullWidthAtHalfMaximum(o.fwhm);
  n4->SetWienerFilterNoise(o.wiener);
  auto recorder = LevelRecorder<N4Type>::New();
  n4->AddObserver(itk::IterationEvent(), recorder);
  n4->Update();

  using LatticeType = typename N4Type::BiasFieldControlPointLatticeType;
  using ScalarImageType = typename N4Type::ScalarImageType;
  auto bspliner = itk::BSplineControlPointImageFilter<LatticeType, ScalarImageType>::New();
  bspliner->SetInput(n4->GetLogBiasFieldControlPointLattice());
  bspliner->SetSplineOrder(n4->GetSplineOrder());
  bspliner->SetSize(size);
  bspliner->SetOrigin(origin);
  bspliner->SetDirection(direction);
  bspliner->SetSpacing(spacing);
  bspliner->Update();

  std::vector<float> bias(count);
  std::vector<float> corrected(count);
  {
    itk::ImageRegionConstIterator<ScalarImageType> itL(bspliner->GetOutput(), image->GetLargestPossibleRegion());
    const float * src = static_cast<const float *>(in.data);
    for (std::size_t i = 0; !itL.IsAtEnd(); ++itL, ++i)
    {
      const float b = std::exp(itL.Get()[0]);
      bias[i] = b;
      corrected[i] = src[i] / b;
    }
  }

  std::vector<double> originV(in.origin), spacingV(in.spacing), directionV(in.direction);
  wasmio::writeOutputImage(o.corrected, in.name, D, "float32", originV, spacingV, directionV, in.size, corrected.data(),
                           count * sizeof(float));
  wasmio::writeOutputImage(o.bias, in.name, D, "float32", originV, spacingV, directionV, in.size, bias.data(),
                           count * sizeof(float));
  // Levels that ran no iteration (numberOfIterations 0) fired no event.
  std::vector<unsigned int> its(o.iterations.size(), 0);
  std::vector<double> conv(o.iterations.size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t l = 0; l < recorder->iterations.size() && l < its.size(); l++)
  {
    its[l] = recorder->iterations[l];
    conv[l] = recorder->convergence[l];
  }
  std::string info = "{\"iterations\":[";
  for (std::size_t l = 0; l < its.size(); l++) info += (l ? "," : "") + std::to_string(its[l]);
  info += "],\"convergence\":[";
  for (std::size_t l = 0; l < conv.size(); l++) info += (l ? "," : "") + jsonNumber(conv[l]);
  info += "],\"otsuThreshold\":" + jsonNumber(otsuThreshold) + "}";
  wasmio::writeOutputJson(o.info, info);
  return 0;
}

int runMain(int argc, char * argv[])
{
  Options o;
  std::string error;
  if (!parseArgs(argc, argv, o, error))
  {
    std::cerr << "n4-bias-field-correction: " << error << std::endl;
    return 1;
  }
  wasmio::InputImage in;
  if (!wasmio::readInputImage(o.input, in, error))
  {
    std::cerr << "n4BiasFieldCorrection: " << error << std::endl;
    return 1;
  }
  if (in.componentType != "float32" || in.components != 1)
  {
    std::cerr << "n4BiasFieldCorrection: the module takes a float32 scalar image, got " << in.componentType << " with "
              << in.components << " components" << std::endl;
    return 1;
  }
  if (in.dimension == 2) return run<2>(o, in);
  if (in.dimension == 3) return run<3>(o, in);
  std::cerr << "n4BiasFieldCorrection needs a 2D or 3D image, got " << in.dimension << "D" << std::endl;
  return 1;
}
} // namespace

int main(int argc, char * argv[])
{
  // The module is single-threaded (no SharedArrayBuffer needed): one work unit, no thread pool.
  itk::MultiThreaderBase::SetGlobalDefaultThreader(itk::MultiThreaderBase::ThreaderEnum::Platform);
  itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(1);
  itk::MultiThreaderBase::SetGlobalMaximumNumberOfThreads(1);
  // The runtime calls main once per run on the same instance: drop the previous run's outputs.
  wasmio::freeOutputs();
  const int rc = runMain(argc, argv);
  wasmio::freeInputs();
  return rc;
}

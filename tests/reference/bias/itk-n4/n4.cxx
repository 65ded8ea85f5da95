// Reference N4 pipeline with ITK 5.2, single-threaded, mirroring n4BiasFieldCorrection in
// src/bias: [Otsu mask (200 bins, inside 0 / outside 1) when no mask is given] -> shrink image
// and mask with ShrinkImageFilter -> N4BiasFieldCorrectionImageFilter -> full-resolution log
// bias field from the final control-point lattice with BSplineControlPointImageFilter ->
// bias = exp(log field), corrected = image / bias.
//
// usage: n4 input.nii.gz mask.nii.gz|- shrink iters(50x50x50x50) convergence splineOrder
//           controlPoints bins fwhm wiener outCorrected.nii.gz outBias.nii.gz [outMask.nii.gz]
// prints "elapsed_ms <ms>" and "iterations_last_level <n>" and "convergence <c>".
#include "itkImage.h"
#include "itkImageFileReader.h"
#include "itkImageFileWriter.h"
#include "itkShrinkImageFilter.h"
#include "itkOtsuThresholdImageFilter.h"
#include "itkN4BiasFieldCorrectionImageFilter.h"
#include "itkBSplineControlPointImageFilter.h"
#include "itkImageRegionIterator.h"
#include "itkMultiThreaderBase.h"
#include "itkImageIOFactory.h"
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

template <unsigned int D>
int run(int argc, char * argv[])
{
  using ImageType = itk::Image<float, D>;
  using MaskType = itk::Image<unsigned char, D>;
  auto reader = itk::ImageFileReader<ImageType>::New();
  reader->SetFileName(argv[1]);
  reader->Update();
  typename ImageType::Pointer image = reader->GetOutput();

  typename MaskType::Pointer mask;
  const std::string maskName = argv[2];
  if (maskName != "-")
  {
    auto mreader = itk::ImageFileReader<MaskType>::New();
    mreader->SetFileName(maskName);
    mreader->Update();
    mask = mreader->GetOutput();
    // The mask shares the image's grid (written by the same script); force identical geometry.
    mask->CopyInformation(image);
  }
  const unsigned int shrink = std::atoi(argv[3]);
  std::vector<unsigned int> iters;
  {
    std::stringstream ss(argv[4]);
    std::string tok;
    while (std::getline(ss, tok, 'x')) iters.push_back(std::atoi(tok.c_str()));
  }
  const double convergence = std::atof(argv[5]);
  const unsigned int splineOrder = std::atoi(argv[6]);
  const unsigned int controlPoints = std::atoi(argv[7]);
  const unsigned int bins = std::atoi(argv[8]);
  const double fwhm = std::atof(argv[9]);
  const double wiener = std::atof(argv[10]);

  auto t0 = std::chrono::steady_clock::now();
  if (!mask)
  {
    auto otsu = itk::OtsuThresholdImageFilter<ImageType, MaskType>::New();
    otsu->SetInput(image);
    otsu->SetNumberOfHistogramBins(200);
    otsu->SetInsideValue(0);
    otsu->SetOutsideValue(1);
    otsu->Update();
    mask = otsu->GetOutput();
    std::cout << "otsu_threshold " << otsu->GetThreshold() << std::endl;
  }
  auto shrinker = itk::ShrinkImageFilter<ImageType, ImageType>::New();
  shrinker->SetInput(image);
  shrinker->SetShrinkFactors(shrink);
  auto maskShrinker = itk::ShrinkImageFilter<MaskType, MaskType>::New();
  maskShrinker->SetInput(mask);
  maskShrinker->SetShrinkFactors(shrink);
  shrinker->Update();
  maskShrinker->Update();

  using N4Type = itk::N4BiasFieldCorrectionImageFilter<ImageType, MaskType, ImageType>;
  auto n4 = N4Type::New();
  n4->SetInput(shrinker->GetOutput());
  n4->SetMaskImage(maskShrinker->GetOutput());
  typename N4Type::VariableSizeArrayType maxIters(iters.size());
  for (unsigned int i = 0; i < iters.size(); i++) maxIters[i] = iters[i];
  n4->SetMaximumNumberOfIterations(maxIters);
  n4->SetNumberOfFittingLevels(static_cast<unsigned int>(iters.size()));
  n4->SetConvergenceThreshold(convergence);
  n4->SetSplineOrder(splineOrder);
  typename N4Type::ArrayType ncp;
  ncp.Fill(controlPoints);
  n4->SetNumberOfControlPoints(ncp);
  n4->SetNumberOfHistogramBins(bins);
  n4->SetBiasFieldFullWidthAtHalfMaximum(fwhm);
  n4->SetWienerFilterNoise(wiener);
  n4->Update();

  using LatticeType = typename N4Type::BiasFieldControlPointLatticeType;
  using ScalarImageType = typename N4Type::ScalarImageType;
  auto bspliner = itk::BSplineControlPointImageFilter<LatticeType, ScalarImageType>::New();
  bspliner->SetInput(n4->GetLogBiasFieldControlPointLattice());
  bspliner->SetSplineOrder(n4->GetSplineOrder());
  bspliner->SetSize(image->GetLargestPossibleRegion().GetSize());
  bspliner->SetOrigin(image->GetOrigin());
  bspliner->SetDirection(image->GetDirection());
  bspliner->SetSpacing(image->GetSpacing());
  bspliner->Update();

  auto bias = ImageType::New();
  bias->CopyInformation(image);
  bias->SetRegions(image->GetLargestPossibleRegion());
  bias->Allocate();
  auto corrected = ImageType::New();
  corrected->CopyInformation(image);
  corrected->SetRegions(image->GetLargestPossibleRegion());
  corrected->Allocate();
  itk::ImageRegionIterator<ScalarImageType> itL(bspliner->GetOutput(), image->GetLargestPossibleRegion());
  itk::ImageRegionIterator<ImageType> itB(bias, image->GetLargestPossibleRegion());
  itk::ImageRegionIterator<ImageType> itC(corrected, image->GetLargestPossibleRegion());
  itk::ImageRegionIterator<ImageType> itI(image, image->GetLargestPossibleRegion());
  for (; !itL.IsAtEnd(); ++itL, ++itB, ++itC, ++itI)
  {
    const float b = std::exp(itL.Get()[0]);
    itB.Set(b);
    itC.Set(itI.Get() / b);
  }
  auto t1 = std::chrono::steady_clock::now();
  std::cout << "elapsed_ms " << std::chrono::duration<double, std::milli>(t1 - t0).count() << std::endl;
  std::cout << "iterations_last_level " << n4->GetElapsedIterations() << std::endl;
  std::cout << "convergence " << n4->GetCurrentConvergenceMeasurement() << std::endl;
  auto lattice = n4->GetLogBiasFieldControlPointLattice();
  std::cout << "lattice_size " << lattice->GetLargestPossibleRegion().GetSize() << std::endl;

  auto w = itk::ImageFileWriter<ImageType>::New();
  w->SetInput(corrected);
  w->SetFileName(argv[11]);
  w->Update();
  auto w2 = itk::ImageFileWriter<ImageType>::New();
  w2->SetInput(bias);
  w2->SetFileName(argv[12]);
  w2->Update();
  if (argc > 13)
  {
    auto w3 = itk::ImageFileWriter<MaskType>::New();
    w3->SetInput(mask);
    w3->SetFileName(argv[13]);
    w3->Update();
  }
  return 0;
}

int main(int argc, char * argv[])
{
  if (argc < 13)
  {
    std::cerr << "usage: n4 input mask|- shrink iters convergence splineOrder controlPoints bins fwhm wiener "
                 "outCorrected outBias [outMask]"
              << std::endl;
    return 1;
  }
  itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(1);
  itk::MultiThreaderBase::SetGlobalMaximumNumberOfThreads(1);
  auto io = itk::ImageIOFactory::CreateImageIO(argv[1], itk::IOFileModeEnum::ReadMode);
  if (!io)
  {
    std::cerr << "cannot read " << argv[1] << std::endl;
    return 1;
  }
  io->SetFileName(argv[1]);
  io->ReadImageInformation();
  const unsigned int dim = io->GetNumberOfDimensions();
  if (dim == 2) return run<2>(argc, argv);
  if (dim == 3) return run<3>(argc, argv);
  std::cerr << "only 2D and 3D images" << std::endl;
  return 1;
}

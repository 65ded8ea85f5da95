#!/bin/sh
# Rebuilds public/pipelines/n4-bias-field-correction.{js,wasm.zst}: ITK 5.2.1's own
# N4BiasFieldCorrectionImageFilter pipeline (scripts/wasm/n4-bias-field-correction/n4.cxx)
# compiled to WebAssembly with Debian's Emscripten, for itk-wasm's runtime (runPipeline /
# runPipelineNode). Run as root on a Debian 12 (bookworm) machine; everything comes from
# Debian's archive:
#   - emscripten 3.1.6 (+ its clang/lld/binaryen), cmake, make, dpkg-dev, zstd (apt-get install);
#   - the ITK source package insighttoolkit5 5.2.1 (apt-get source, after adding a deb-src line
#     for the archive and suites of the machine's own Debian sources).
# Steps: fetch + unpack ITK (~283 MB download) into $N4_WASM_WORK (default /tmp/itk-wasm-build);
# configure only the modules N4 needs (ITKBiasCorrection, ITKThresholding, ITKImageGrid and their
# dependencies; no IO, tests or examples; static, single-threaded Platform threader); compile
# only the libraries the pipeline links (ITKCommon with itksys, VNL/vnl_algo/netlib and
# double-conversion; ITKStatistics); link the pipeline; copy the .js loader, the
# zstd-compressed .wasm (itk-wasm's loaders fetch `<name>.wasm.zst`) and ITK's LICENSE/NOTICE
# into public/pipelines/.
#
# Run time, measured on the project's 2-core machine (make -j2), from an empty work dir with the
# Debian packages already installed: download + unpack of the ITK source 0.5 min, ITK configure
# 2-3 min, ITK libraries 2.8-3.7 min (about 750 files: itksys, VNL + netlib, ITKCommon,
# ITKStatistics), pipeline 15 s: 5-7.5 min in all (11 min while other jobs shared the cores). Output: n4-bias-field-correction.wasm 0.78 MB (0.20 MB as .wasm.zst) + a 78 kB .js.
# The output does not depend on the work dir (source paths are mapped away): two builds in
# different dirs gave byte-identical files.
#
# Usage: scripts/wasm/build-n4.sh   (env: N4_WASM_WORK=<work dir>, N4_WASM_JOBS=<make -j>;
#        delete the work dir's itk-build/ and n4-build/ to rebuild after changing flags)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
WORK=${N4_WASM_WORK:-/tmp/itk-wasm-build}
JOBS=${N4_WASM_JOBS:-2}
OUT="$repo/public/pipelines"
t_start=$(date +%s)
log() { echo "[build-n4 $(($(date +%s) - t_start))s] $*"; }

# 1. Tools.
need=""
for pkg in emscripten dpkg-dev cmake make zstd xz-utils; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need="$need $pkg"
done
if [ -n "$need" ]; then
  log "installing$need"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y $need
fi
# Debian's emscripten needs Debian's acorn (node-acorn, in /usr/share/nodejs), which a
# non-Debian node (e.g. NodeSource's) does not search; and Node >= 18's global fetch breaks
# Emscripten 3.1.6's file loading in CMake's try_run checks.
export NODE_PATH=/usr/share/nodejs
export NODE_OPTIONS=--no-experimental-fetch
emcc --version | head -1

# 2. ITK source from Debian's archive.
mkdir -p "$WORK"
if [ ! -f "$WORK/itk-src/CMakeLists.txt" ]; then
  if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
    src=/etc/apt/sources.list.d/debian.sources
    [ -f "$src" ] || { echo "no /etc/apt/sources.list.d/debian.sources: add a deb-src line for insighttoolkit5 by hand" >&2; exit 1; }
    log "adding deb-src entries mirroring $src"
    sed 's/^Types: deb$/Types: deb-src/' "$src" > /etc/apt/sources.list.d/n4-wasm-deb-src.sources
    apt-get update
  fi
  log "fetching insighttoolkit5 source"
  (cd "$WORK" && apt-get source --download-only insighttoolkit5)
  dsc=$(ls "$WORK"/insighttoolkit5_5.2.1-*.dsc | head -1)
  rm -rf "$WORK/itk-src"
  (cd "$WORK" && dpkg-source -x "$dsc" itk-src)
fi
# ITK 5.2's floating-point-exception code names FE_DIVBYZERO / FE_INVALID, which Emscripten's
# <fenv.h> lacks (WebAssembly has no FP traps): define them as 0 (no-op) for this build.
fpe="$WORK/itk-src/Modules/Core/Common/src/itkFloatingPointExceptions_unix.cxx"
if ! grep -q 'N4 wasm build' "$fpe"; then
  sed -i 's|^#include <cfenv>$|#include <cfenv>\n#if defined(__EMSCRIPTEN__) \&\& !defined(FE_DIVBYZERO) // N4 wasm build: WebAssembly has no FP traps\n#  define FE_DIVBYZERO 0\n#  define FE_INVALID 0\n#endif|' "$fpe"
  grep -q 'N4 wasm build' "$fpe"
fi

# __FILE__ strings (ITK's exception messages) name the source paths: map the work dir away so
# the module does not depend on where it was built.
prefix_map="-fmacro-prefix-map=$WORK/="

# 3. Configure the minimal ITK (delete $WORK/itk-build to reconfigure).
mkdir -p "$WORK/itk-build"
if [ ! -f "$WORK/itk-build/ITKConfig.cmake" ]; then
  log "configuring ITK"
  (cd "$WORK/itk-build" && emcmake cmake "$WORK/itk-src" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS="-O2 $prefix_map" -DCMAKE_CXX_FLAGS="-O2 $prefix_map" \
    -DBUILD_TESTING=OFF -DBUILD_EXAMPLES=OFF -DBUILD_SHARED_LIBS=OFF -DITK_DYNAMIC_LOADING=OFF \
    -DITK_BUILD_DEFAULT_MODULES=OFF -DITKGroup_Core=OFF \
    -DModule_ITKBiasCorrection=ON -DModule_ITKThresholding=ON -DModule_ITKImageGrid=ON \
    -DITK_DEFAULT_THREADER=Platform -DITK_WRAP_PYTHON=OFF -DITK_USE_GPU=OFF \
    -DITK_SKIP_PATH_LENGTH_CHECKS=ON -DITK_LEGACY_REMOVE=ON > configure.log 2>&1) ||
    { tail -40 "$WORK/itk-build/configure.log"; exit 1; }
fi

# 4. Only the libraries the pipeline links (N4, Otsu, shrink, B-splines are header templates).
log "compiling ITK libraries"
(cd "$WORK/itk-build" && make -j"$JOBS" ITKCommon ITKStatistics itkvnl_algo)

# 5. The pipeline.
log "building the pipeline"
mkdir -p "$WORK/n4-build"
(cd "$WORK/n4-build" && emcmake cmake "$here/n4-bias-field-correction" -DCMAKE_BUILD_TYPE=Release -DITK_DIR="$WORK/itk-build" \
  -DCMAKE_CXX_FLAGS="$prefix_map -fmacro-prefix-map=$here/=" >/dev/null &&
  make -j"$JOBS")

# 6. Install into public/pipelines.
mkdir -p "$OUT"
cp "$WORK/n4-build/n4-bias-field-correction.js" "$OUT/"
zstd -19 -f -q "$WORK/n4-build/n4-bias-field-correction.wasm" -o "$OUT/n4-bias-field-correction.wasm.zst"
cp "$WORK/itk-src/LICENSE" "$OUT/ITK-LICENSE.txt"
cp "$WORK/itk-src/NOTICE" "$OUT/ITK-NOTICE.txt"
chmod 644 "$OUT/n4-bias-field-correction.js" "$OUT/n4-bias-field-correction.wasm.zst"
log "done: $(wc -c < "$WORK/n4-build/n4-bias-field-correction.wasm") bytes wasm, $(wc -c < "$OUT/n4-bias-field-correction.wasm.zst") bytes .wasm.zst"

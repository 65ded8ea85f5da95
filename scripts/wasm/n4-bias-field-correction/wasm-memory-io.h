// Minimal implementation of the itk-wasm "memory IO" protocol that itk-wasm's JavaScript runtime
// (runPipeline / runPipelineNode, itk-wasm 1.0.0-b) speaks with a pipeline module: before main()
// it copies each input into the module's heap through the exported C functions
//   itk_wasm_input_array_alloc(memoryIndex, inputIndex, subIndex, byteLength) -> pointer
//   itk_wasm_input_json_alloc(memoryIndex, inputIndex, byteLength)           -> pointer
// (an image is a JSON description plus array 0 = pixels and array 1 = direction, float64
// row-major); after main() it reads each output back through
//   itk_wasm_output_json_address(memoryIndex, outputIndex)
//   itk_wasm_output_array_address / itk_wasm_output_array_size(memoryIndex, outputIndex, subIndex).
// ITK-Wasm's own C++ library (itk::wasm::Pipeline) is not packaged in Debian; this is the small
// subset the N4 pipeline needs, written for this project.
#ifndef N4_WASM_MEMORY_IO_H
#define N4_WASM_MEMORY_IO_H

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace wasmio
{

/** A parsed JSON value (objects keep their keys in a map; enough for image descriptions). */
struct Json
{
  enum Kind { Null, Bool, Number, String, Array, Object } kind = Null;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<Json> array;
  std::map<std::string, Json> object;
  const Json * get(const std::string & key) const;
};

/** Parses text as JSON; returns false (and sets error) on malformed input. */
bool parseJson(const std::string & text, Json & out, std::string & error);

/** An image received through memory IO: the pixel buffer stays in the module's input slot. */
struct InputImage
{
  unsigned int dimension = 0;
  std::string componentType; // "float32", "uint8", ...
  std::string pixelType;     // "Scalar", ...
  unsigned int components = 1;
  std::string name;
  std::vector<double> origin, spacing, direction; // direction row-major, dimension x dimension
  std::vector<std::size_t> size;
  const void * data = nullptr;
  std::size_t dataBytes = 0;
};

/** Reads input image `index`; returns false with a message when the slot is empty or malformed. */
bool readInputImage(unsigned int index, InputImage & image, std::string & error);

/** Stores output image `index` (JSON description + pixel and direction arrays) for the runtime. */
void writeOutputImage(unsigned int index, const std::string & name, unsigned int dimension, const std::string & componentType,
                      const std::vector<double> & origin, const std::vector<double> & spacing,
                      const std::vector<double> & direction, const std::vector<std::size_t> & size, const void * data,
                      std::size_t dataBytes);

/** Stores output `index` as a JSON-compatible value (the runtime's JsonCompatible output type). */
void writeOutputJson(unsigned int index, const std::string & json);

/** Frees the inputs (called at the end of main: the runtime allocates them anew for each run). */
void freeInputs();
/** Frees the outputs of the previous run (called at the start of main). */
void freeOutputs();

} // namespace wasmio

#endif

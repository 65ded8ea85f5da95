// See wasm-memory-io.h for the protocol.
#include "wasm-memory-io.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#ifdef __EMSCRIPTEN__
#  include <emscripten.h>
#else
#  define EMSCRIPTEN_KEEPALIVE
#endif

namespace wasmio
{
namespace
{
using Key = std::pair<unsigned int, unsigned int>;

struct Block
{
  void * ptr = nullptr;
  std::size_t size = 0;
};

std::map<Key, Block> inputArrays;
std::map<unsigned int, Block> inputJson;
std::map<Key, std::vector<unsigned char>> outputArrays;
std::map<unsigned int, std::string> outputJson;

void * allocate(Block & block, std::size_t size)
{
  std::free(block.ptr);
  // malloc(0) may return null, which the runtime would read as "no data".
  block.ptr = std::malloc(size > 0 ? size : 1);
  block.size = size;
  return block.ptr;
}

// ---- a small JSON reader (RFC 8259 subset: no surrogate pairs in \u escapes) ----
struct Parser
{
  const char * p;
  const char * end;
  std::string error;

  void skip()
  {
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) ++p;
  }
  bool fail(const char * what)
  {
    if (error.empty()) error = what;
    return false;
  }
  bool literal(const char * word)
  {
    const std::size_t n = std::strlen(word);
    if (static_cast<std::size_t>(end - p) < n || std::strncmp(p, word, n) != 0) return fail("invalid literal");
    p += n;
    return true;
  }
  bool string(std::string & out)
  {
    if (p >= end || *p != '"') return fail("expected a string");
    ++p;
    out.clear();
    while (p < end && *p != '"')
    {
      char c = *p++;
      if (c == '\\')
      {
        if (p >= end) return fail("unterminated escape");
        const char e = *p++;
        switch (e)
        {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'u':
          {
            if (end - p < 4) return fail("short \\u escape");
            const unsigned long code = std::strtoul(std::string(p, 4).c_str(), nullptr, 16);
            p += 4;
            if (code < 0x80) out += static_cast<char>(code);
            else if (code < 0x800)
            {
              out += static_cast<char>(0xC0 | (code >> 6));
              out += static_cast<char>(0x80 | (code & 0x3F));
            }
            else
            {
              out += static_cast<char>(0xE0 | (code >> 12));
              out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
              out += static_cast<char>(0x80 | (code & 0x3F));
            }
            break;
          }
          default: out += e; // \" \\ \/
        }
      }
      else
        out += c;
    }
    if (p >= end) return fail("unterminated string");
    ++p;
    return true;
  }
  bool value(Json & v)
  {
    skip();
    if (p >= end) return fail("unexpected end of JSON");
    const char c = *p;
    if (c == '{')
    {
      v.kind = Json::Object;
      ++p;
      skip();
      if (p < end && *p == '}')
      {
        ++p;
        return true;
      }
      for (;;)
      {
        skip();
        std::string key;
        if (!string(key)) return false;
        skip();
        if (p >= end || *p != ':') return fail("expected ':'");
        ++p;
        if (!value(v.object[key])) return false;
        skip();
        if (p < end && *p == ',')
        {
          ++p;
          continue;
        }
        if (p < end && *p == '}')
        {
          ++p;
          return true;
        }
        return fail("expected ',' or '}'");
      }
    }
    if (c == '[')
    {
      v.kind = Json::Array;
      ++p;
      skip();
      if (p < end && *p == ']')
      {
        ++p;
        return true;
      }
      for (;;)
      {
        v.array.emplace_back();
        if (!value(v.array.back())) return false;
        skip();
        if (p < end && *p == ',')
        {
          ++p;
          continue;
        }
        if (p < end && *p == ']')
        {
          ++p;
          return true;
        }
        return fail("expected ',' or ']'");
      }
    }
    if (c == '"')
    {
      v.kind = Json::String;
      return string(v.string);
    }
    if (c == 't')
    {
      v.kind = Json::Bool;
      v.boolean = true;
      return literal("true");
    }
    if (c == 'f')
    {
      v.kind = Json::Bool;
      return literal("false");
    }
    if (c == 'n')
    {
      v.kind = Json::Null;
      return literal("null");
    }
    char * stop = nullptr;
    const std::string rest(p, std::min<std::size_t>(end - p, 64));
    v.number = std::strtod(rest.c_str(), &stop);
    if (stop == rest.c_str()) return fail("invalid number");
    v.kind = Json::Number;
    p += stop - rest.c_str();
    return true;
  }
};

bool numberArray(const Json * v, std::vector<double> & out)
{
  if (!v || v->kind != Json::Array) return false;
  out.clear();
  for (const Json & e : v->array)
  {
    if (e.kind != Json::Number) return false;
    out.push_back(e.number);
  }
  return true;
}

std::string numberList(const std::vector<double> & values)
{
  std::string s = "[";
  char buf[32];
  for (std::size_t i = 0; i < values.size(); i++)
  {
    std::snprintf(buf, sizeof buf, "%.17g", values[i]);
    if (i) s += ',';
    s += buf;
  }
  return s + "]";
}

std::string quoted(const std::string & text)
{
  std::string s = "\"";
  for (const char c : text)
  {
    if (c == '"' || c == '\\') s += '\\';
    if (static_cast<unsigned char>(c) < 0x20)
    {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      s += buf;
    }
    else
      s += c;
  }
  return s + "\"";
}

std::string address(const void * ptr)
{
  return "\"data:application/vnd.itk.address,0:" + std::to_string(reinterpret_cast<std::size_t>(ptr)) + "\"";
}
} // namespace

const Json * Json::get(const std::string & key) const
{
  if (kind != Object) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &it->second;
}

bool parseJson(const std::string & text, Json & out, std::string & error)
{
  Parser parser{ text.data(), text.data() + text.size(), {} };
  out = Json();
  if (!parser.value(out))
  {
    error = parser.error;
    return false;
  }
  return true;
}

bool readInputImage(unsigned int index, InputImage & image, std::string & error)
{
  const auto js = inputJson.find(index);
  if (js == inputJson.end() || !js->second.ptr)
  {
    error = "no image was passed as input " + std::to_string(index);
    return false;
  }
  const char * text = static_cast<const char *>(js->second.ptr);
  Json json;
  if (!parseJson(std::string(text, strnlen(text, js->second.size)), json, error))
  {
    error = "input " + std::to_string(index) + ": malformed image JSON (" + error + ")";
    return false;
  }
  const Json * type = json.get("imageType");
  const Json * dim = type ? type->get("dimension") : nullptr;
  const Json * ct = type ? type->get("componentType") : nullptr;
  const Json * pt = type ? type->get("pixelType") : nullptr;
  const Json * comps = type ? type->get("components") : nullptr;
  if (!dim || dim->kind != Json::Number || !ct || ct->kind != Json::String)
  {
    error = "input " + std::to_string(index) + ": image JSON without imageType.dimension / componentType";
    return false;
  }
  image.dimension = static_cast<unsigned int>(dim->number);
  image.componentType = ct->string;
  image.pixelType = pt && pt->kind == Json::String ? pt->string : "Scalar";
  image.components = comps && comps->kind == Json::Number ? static_cast<unsigned int>(comps->number) : 1;
  const Json * name = json.get("name");
  image.name = name && name->kind == Json::String ? name->string : "";
  std::vector<double> size;
  if (!numberArray(json.get("size"), size) || size.size() != image.dimension || !numberArray(json.get("origin"), image.origin) ||
      image.origin.size() != image.dimension || !numberArray(json.get("spacing"), image.spacing) ||
      image.spacing.size() != image.dimension)
  {
    error = "input " + std::to_string(index) + ": size, origin and spacing must be arrays of " +
            std::to_string(image.dimension) + " numbers";
    return false;
  }
  image.size.assign(size.begin(), size.end());
  const auto data = inputArrays.find(Key(index, 0));
  if (data == inputArrays.end() || !data->second.ptr)
  {
    error = "input " + std::to_string(index) + ": the image has no pixel data";
    return false;
  }
  image.data = data->second.ptr;
  image.dataBytes = data->second.size;
  image.direction.assign(image.dimension * image.dimension, 0.0);
  for (unsigned int d = 0; d < image.dimension; d++) image.direction[d * image.dimension + d] = 1.0;
  const auto dir = inputArrays.find(Key(index, 1));
  if (dir != inputArrays.end() && dir->second.ptr)
  {
    if (dir->second.size != image.direction.size() * sizeof(double))
    {
      error = "input " + std::to_string(index) + ": direction must hold " + std::to_string(image.direction.size()) +
              " float64 values";
      return false;
    }
    std::memcpy(image.direction.data(), dir->second.ptr, dir->second.size);
  }
  return true;
}

void writeOutputImage(unsigned int index, const std::string & name, unsigned int dimension, const std::string & componentType,
                      const std::vector<double> & origin, const std::vector<double> & spacing,
                      const std::vector<double> & direction, const std::vector<std::size_t> & size, const void * data,
                      std::size_t dataBytes)
{
  auto & pixels = outputArrays[Key(index, 0)];
  pixels.assign(static_cast<const unsigned char *>(data), static_cast<const unsigned char *>(data) + dataBytes);
  auto & dir = outputArrays[Key(index, 1)];
  dir.resize(direction.size() * sizeof(double));
  std::memcpy(dir.data(), direction.data(), dir.size());
  std::vector<double> sizeValues(size.begin(), size.end());
  std::string json = "{\"imageType\":{\"dimension\":" + std::to_string(dimension) + ",\"componentType\":" +
                     quoted(componentType) + ",\"pixelType\":\"Scalar\",\"components\":1},\"name\":" + quoted(name) +
                     ",\"origin\":" + numberList(origin) + ",\"spacing\":" + numberList(spacing) +
                     ",\"direction\":" + address(dir.data()) + ",\"size\":" + numberList(sizeValues) +
                     ",\"data\":" + address(pixels.data()) + ",\"metadata\":[]}";
  outputJson[index] = json;
}

void writeOutputJson(unsigned int index, const std::string & json)
{
  outputArrays[Key(index, 0)].assign(json.begin(), json.end());
  outputJson[index] = json;
}

void freeInputs()
{
  for (auto & kv : inputArrays) std::free(kv.second.ptr);
  for (auto & kv : inputJson) std::free(kv.second.ptr);
  inputArrays.clear();
  inputJson.clear();
}

void freeOutputs()
{
  outputArrays.clear();
  outputJson.clear();
}

} // namespace wasmio

// The exported entry points the itk-wasm runtime calls with ccall. memoryIndex is always 0
// (one linear memory).
extern "C"
{
  EMSCRIPTEN_KEEPALIVE void * itk_wasm_input_array_alloc(unsigned int, unsigned int inputIndex, unsigned int subIndex,
                                                         std::size_t size)
  {
    return wasmio::allocate(wasmio::inputArrays[wasmio::Key(inputIndex, subIndex)], size);
  }

  EMSCRIPTEN_KEEPALIVE void * itk_wasm_input_json_alloc(unsigned int, unsigned int inputIndex, std::size_t size)
  {
    void * ptr = wasmio::allocate(wasmio::inputJson[inputIndex], size);
    std::memset(ptr, 0, size > 0 ? size : 1);
    return ptr;
  }

  EMSCRIPTEN_KEEPALIVE const char * itk_wasm_output_json_address(unsigned int, unsigned int outputIndex)
  {
    const auto it = wasmio::outputJson.find(outputIndex);
    return it == wasmio::outputJson.end() ? nullptr : it->second.c_str();
  }

  EMSCRIPTEN_KEEPALIVE std::size_t itk_wasm_output_json_size(unsigned int, unsigned int outputIndex)
  {
    const auto it = wasmio::outputJson.find(outputIndex);
    return it == wasmio::outputJson.end() ? 0 : it->second.size();
  }

  EMSCRIPTEN_KEEPALIVE const void * itk_wasm_output_array_address(unsigned int, unsigned int outputIndex,
                                                                   unsigned int subIndex)
  {
    const auto it = wasmio::outputArrays.find(wasmio::Key(outputIndex, subIndex));
    return it == wasmio::outputArrays.end() || it->second.empty() ? nullptr : it->second.data();
  }

  EMSCRIPTEN_KEEPALIVE std::size_t itk_wasm_output_array_size(unsigned int, unsigned int outputIndex, unsigned int subIndex)
  {
    const auto it = wasmio::outputArrays.find(wasmio::Key(outputIndex, subIndex));
    return it == wasmio::outputArrays.end() ? 0 : it->second.size();
  }

  EMSCRIPTEN_KEEPALIVE void itk_wasm_free_all()
  {
    wasmio::freeInputs();
    wasmio::freeOutputs();
  }
}

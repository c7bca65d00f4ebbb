// libFuzzer target: the json scanner of synth_validate is total over any bytes.
#include <cstdint>
#include <string_view>

#include "engine/rows/json_fields.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  synth::RowObservation row{};
  synth::scan_enhancement_result(std::string_view(reinterpret_cast<const char*>(data), size), row);
  return 0;
}

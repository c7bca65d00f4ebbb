// The comparison as a page of text for psql (synth_compare_report).
#include "engine/compare/compare_report.hpp"

namespace synth {

std::vector<std::string> compare_report_page(const CompareReport& report, const PageStyle& style) {
  (void)style;
  return {"quality " + std::to_string(report.quality)};
}

}  // namespace synth

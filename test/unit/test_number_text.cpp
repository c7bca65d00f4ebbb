// format_shortest: the smallest "%.*g" precision that reads back as the same
// double, found by starting the search at the shortest digit count. Checked
// against the plain search from precision 1 on values of every kind.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>

#include "engine/model/number_text.hpp"

namespace synth {
namespace {

std::string plain_search(double value) {
  char out[64];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(out, sizeof out, "%.*g", precision, value);
    if (std::isnan(value) || std::strtod(out, nullptr) == value) break;
  }
  return out;
}

std::string shortest(double value) {
  char out[64];
  return format_shortest(value, out, sizeof out);
}

TEST(FormatShortest, ReadsBackAndKeepsItsForm) {
  EXPECT_EQ(shortest(0.05), "0.05");
  EXPECT_EQ(shortest(100), "1e+02");  // "%g" form, as documents have always carried it
  EXPECT_EQ(shortest(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(shortest(31322315702267408.0), "3.132231570226741e+16");
  EXPECT_EQ(shortest(-0.0), "-0");
  EXPECT_EQ(shortest(std::numeric_limits<double>::denorm_min()), "5e-324");
}

TEST(FormatShortest, AgreesWithThePlainSearch) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  int checked = 0;
  auto check = [&](double v) {
    ASSERT_EQ(shortest(v), plain_search(v)) << std::hexfloat << v;
    ++checked;
  };
  for (int i = 0; i < 6000; ++i) {
    std::uint64_t bits = rng();
    double v;
    std::memcpy(&v, &bits, sizeof v);
    if (std::isfinite(v)) check(v);
    const double u = unit(rng);
    check(u);
    check(std::round(u * 1e4) / 1e4);  // scores
    check(std::round(u * 1e6));        // integers
    check(
        std::ldexp(1.0, static_cast<int>(u * 2100) - 1074));  // powers of two: asymmetric rounding intervals
    check(std::nextafter(std::ldexp(1.0, static_cast<int>(u * 2000) - 1000), 0.0));
  }
  for (int e = -323; e <= 308; ++e)
    for (int m = 1; m < 20; ++m) check(m * std::pow(10.0, e));
  for (double v : {0.0, -0.0, std::numeric_limits<double>::max(), std::numeric_limits<double>::min(),
                   std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()})
    check(v);
  EXPECT_GT(checked, 45000);
}

}  // namespace
}  // namespace synth

// Messages and pages: a sum's rounding noise goes, every typed digit stays.
TEST(FormatReadable, DropsRoundingNoiseOnly) {
  using synth::format_readable;
  EXPECT_EQ(format_readable(0.3 + 0.3 + 0.3), "0.9");  // 0.8999999999999999
  EXPECT_EQ(format_readable(0.1 + 0.2), "0.3");        // 0.30000000000000004
  EXPECT_EQ(format_readable(1.000001), "1.000001");
  EXPECT_EQ(format_readable(0.05), "0.05");
  EXPECT_EQ(format_readable(-0.0), "0");
  EXPECT_EQ(format_readable(1e-7), "1e-07");
  EXPECT_EQ(format_readable(2.5e-19), "2.5e-19");
  EXPECT_EQ(format_readable(1.0 / 3.0), "0.3333333333");
  EXPECT_EQ(format_readable(1.000000001), "1.000000001");  // off a sum of 1 by the tolerance
  EXPECT_EQ(format_readable(12345678), "12345678");
  EXPECT_EQ(format_readable(std::numeric_limits<double>::infinity()), "inf");
}

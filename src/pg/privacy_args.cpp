// The privacy arguments of synth_fit and synth_refresh: see privacy_args.hpp.
#include "pg/privacy_args.hpp"

#include <algorithm>
#include <cmath>

#include "engine/model/error.hpp"
#include "engine/model/number_text.hpp"
#include "engine/privacy/accountant.hpp"
#include "pg/bridge.hpp"
#include "pg/jsonb_text.hpp"

namespace synth::pg {
namespace {

const char* const kBoundsExample = "e.g. bounds => '{\"length\": [0, 2000], \"f2\": [0, 1]}'";

std::string named(const char* argument, const char* function_name) {
  return std::string(argument) + " of " + function_name;
}

// A bound as the caller wrote it (up to 15 significant digits): 100, 0.25, 1e+300.
std::string plain(double v) {
  char buffer[32];
  snprintf(buffer, sizeof buffer, "%.15g", v);  // PostgreSQL's, locale-free
  return buffer;
}

// A bounds object as plain data: the pairs, or where it went wrong.
struct RawBounds {
  int count;
  char** names;
  double* lo;
  double* hi;
  bool* estimated;             // null: named, bounds estimated
  const char* malformed_name;  // the feature whose value is not [lo, hi]
};

RawBounds read_raw_bounds(Jsonb* bounds) {
  return pg_guard([bounds] {
    RawBounds out{0, nullptr, nullptr, nullptr, nullptr, nullptr};
    const int capacity = Max(static_cast<int>(JB_ROOT_COUNT(bounds)), 1);
    out.names = static_cast<char**>(palloc0(sizeof(char*) * capacity));
    out.lo = static_cast<double*>(palloc0(sizeof(double) * capacity));
    out.hi = static_cast<double*>(palloc0(sizeof(double) * capacity));
    out.estimated = static_cast<bool*>(palloc0(sizeof(bool) * capacity));
    JsonbIterator* it = JsonbIteratorInit(&bounds->root);
    JsonbValue key;
    JsonbValue value;
    JsonbIteratorToken token;
    while ((token = JsonbIteratorNext(&it, &key, true)) != WJB_DONE) {
      if (token != WJB_KEY) continue;
      char* name = pnstrdup(key.val.string.val, key.val.string.len);
      JsonbIteratorNext(&it, &value, true);
      if (value.type == jbvNull) {
        out.names[out.count] = name;
        out.estimated[out.count++] = true;
        continue;
      }
      bool pair = value.type == jbvBinary && JsonContainerIsArray(value.val.binary.data) &&
                  !JsonContainerIsScalar(value.val.binary.data) &&
                  JsonContainerSize(value.val.binary.data) == 2;
      double ends[2] = {0, 0};
      for (int i = 0; pair && i < 2; ++i) {
        JsonbValue* element = getIthJsonbValueFromContainer(value.val.binary.data, i);
        if (element == nullptr || element->type != jbvNumeric) {
          pair = false;
          break;
        }
        ends[i] = DatumGetFloat8(
            DirectFunctionCall1(numeric_float8_no_overflow, NumericGetDatum(element->val.numeric)));
      }
      if (!pair) {
        if (out.malformed_name == nullptr) out.malformed_name = name;
        continue;
      }
      out.names[out.count] = name;
      out.lo[out.count] = ends[0];
      out.hi[out.count++] = ends[1];
    }
    return out;
  });
}

std::vector<std::pair<std::string, std::optional<std::pair<double, double>>>> read_bounds(
    FunctionCallInfo fcinfo, int arg, const char* function_name) {
  Jsonb* bounds = pg_guard([fcinfo, arg] { return PG_GETARG_JSONB_P(arg); });
  if (!JB_ROOT_IS_OBJECT(bounds) || JB_ROOT_IS_SCALAR(bounds))
    throw_invalid_parameter(
        named("bounds", function_name) + " must be a JSON object of feature name -> [lo, hi]", {},
        std::string(kBoundsExample) + ".");
  const RawBounds raw = read_raw_bounds(bounds);
  if (raw.malformed_name != nullptr)
    throw_invalid_parameter(named("bounds", function_name) + " for \"" + raw.malformed_name +
                                "\" must be an array of two numbers [lo, hi], or null (bounds estimated)",
                            {}, std::string(kBoundsExample) + ".");
  std::vector<std::pair<std::string, std::optional<std::pair<double, double>>>> out;
  for (int i = 0; i < raw.count; ++i) {
    if (raw.estimated[i]) {
      out.emplace_back(raw.names[i], std::nullopt);
      continue;
    }
    const double lo = raw.lo[i], hi = raw.hi[i];
    if (!std::isfinite(lo) || !std::isfinite(hi) || !(lo < hi))
      throw_invalid_parameter(named("bounds", function_name) + " for \"" + raw.names[i] +
                                  "\" must be finite with lo < hi, got [" + plain(lo) + ", " + plain(hi) +
                                  "]",
                              "The bounds are public: every value of the feature is clamped into them.",
                              std::string(kBoundsExample) + ".");
    out.emplace_back(raw.names[i], std::make_pair(lo, hi));
  }
  return out;
}

std::vector<std::string> read_domains(FunctionCallInfo fcinfo, int arg, const char* function_name) {
  const TextArray names = text_array_argument(fcinfo, arg);
  const std::string hint =
      "Name the public list of domains, e.g. domains => '{coding,math}', or leave it out (NULL) to find the "
      "domains by a noisy threshold.";
  if (names.nulls > 0)
    throw Error(sqlstate::kNullValueNotAllowed, named("domains", function_name) + " must not hold NULL", {},
                hint);
  if (names.values.empty() && names.nulls == 0)
    throw_invalid_parameter(named("domains", function_name) + " must name at least one domain", {}, hint);
  std::vector<std::string> out;
  for (std::string name : names.values) {
    if (name.empty())
      throw_invalid_parameter(named("domains", function_name) + " must not hold an empty name", {}, hint);
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
  }
  return out;
}

bool given(FunctionCallInfo fcinfo, int arg) { return arg >= 0 && PG_NARGS() > arg && !PG_ARGISNULL(arg); }

}  // namespace

std::optional<PrivacyArguments> privacy_arguments(FunctionCallInfo fcinfo, int epsilon_arg, int seed_arg,
                                                  const char* function_name) {
  const int delta_arg = epsilon_arg + 1, bounds_arg = epsilon_arg + 2, domains_arg = epsilon_arg + 3;
  if (PG_NARGS() <= epsilon_arg) return std::nullopt;  // a declaration before 1.3
  if (PG_ARGISNULL(epsilon_arg)) {
    for (const auto& [arg, name] :
         {std::pair{bounds_arg, "bounds"}, {domains_arg, "domains"}, {seed_arg, "seed"}})
      if (given(fcinfo, arg))
        throw_invalid_parameter(
            named(name, function_name) + " needs epsilon",
            std::string(name) + " only shapes a differentially private fit.",
            std::string("Pass epsilon (e.g. epsilon => 1) for a private profile, or leave ") + name +
                " out.");
    return std::nullopt;
  }
  PrivacyArguments out;
  out.epsilon = PG_GETARG_FLOAT8(epsilon_arg);
  if (!std::isfinite(out.epsilon) || !(out.epsilon > 0))
    throw_invalid_parameter(
        named("epsilon", function_name) + " must be a finite number above 0, got " +
            format_readable(out.epsilon),
        "epsilon is the privacy loss the profile may cost the real rows: smaller is more private.",
        "Typical values lie between 0.5 and 10; leave epsilon out (NULL) for a profile that is not private.");
  if (PG_ARGISNULL(delta_arg))
    throw Error(sqlstate::kNullValueNotAllowed, named("delta", function_name) + " must not be NULL", {},
                "Leave delta out for its default 1e-9.");
  out.delta = PG_GETARG_FLOAT8(delta_arg);
  if (!(out.delta > 0 && out.delta <= kMaxPrivacyDelta))
    throw_invalid_parameter(
        named("delta", function_name) + " must lie in (0, " + format_readable(kMaxPrivacyDelta) + "], got " +
            format_readable(out.delta),
        "delta is the probability the epsilon guarantee may fail; it should be far below 1 / (real rows).",
        "Leave delta out for its default 1e-9.");
  if (given(fcinfo, bounds_arg)) out.bounds = read_bounds(fcinfo, bounds_arg, function_name);
  if (given(fcinfo, domains_arg)) out.domains = read_domains(fcinfo, domains_arg, function_name);
  if (given(fcinfo, seed_arg)) out.seed = PG_GETARG_INT64(seed_arg);
  return out;
}

std::vector<std::string> profile_feature_names(std::vector<std::string> names, std::size_t dimension) {
  if (!names.empty()) return names;
  for (std::size_t i = 0; i < dimension; ++i) names.push_back("f" + std::to_string(i + 1));
  return names;
}

namespace {
// The index i of a name "fi" (i >= 1, no leading zero), else 0.
std::size_t positional_index(const std::string& name) {
  if (name.size() < 2 || name.size() > 4 || name[0] != 'f' || name[1] == '0') return 0;
  std::size_t index = 0;
  for (std::size_t i = 1; i < name.size(); ++i) {
    if (name[i] < '0' || name[i] > '9') return 0;
    index = index * 10 + static_cast<std::size_t>(name[i] - '0');
  }
  return index;
}
}  // namespace

std::vector<std::string> public_feature_names(const PrivacyArguments& arguments) {
  std::vector<std::string> names;
  std::size_t largest = 0;
  bool positional = true;
  for (const auto& entry : arguments.bounds) {
    const std::size_t index = positional_index(entry.first);
    positional = positional && index > 0;
    largest = std::max(largest, index);
    names.push_back(entry.first);
  }
  if (!positional || names.empty()) return names;
  names.clear();
  for (std::size_t i = 1; i <= largest && i <= 9999; ++i) names.push_back("f" + std::to_string(i));
  return names;
}

std::vector<std::optional<std::pair<double, double>>> bounds_by_feature(
    const PrivacyArguments& arguments, const std::vector<std::string>& feature_names,
    const char* function_name) {
  std::vector<std::optional<std::pair<double, double>>> out(feature_names.size());
  for (const auto& [name, range] : arguments.bounds) {
    const auto at = std::find(feature_names.begin(), feature_names.end(), name);
    if (at == feature_names.end()) {
      std::string known;
      for (const std::string& n : feature_names) known += (known.empty() ? "" : ", ") + n;
      throw_invalid_parameter(
          named("bounds", function_name) + " names \"" + name +
              "\", which is not a feature of the fitted rows",
          "The fitted features are named: " + known + ".",
          "Name the features as the profile names them (synth_profile_summary lists them).");
    }
    out[static_cast<std::size_t>(at - feature_names.begin())] = range;
  }
  return out;
}

PrivacyRowCheck::PrivacyRowCheck(ObservationSink& next, const PrivacyArguments* arguments)
    : next_(next), arguments_(arguments) {
  if (arguments_ != nullptr) domains_.insert(arguments_->domains.begin(), arguments_->domains.end());
}

void PrivacyRowCheck::add(const RowObservation& row) {
  if (arguments_ != nullptr && row.feature_shape == FeatureShape::kArray && row.feature_count > 0 &&
      row.elements_read() && gate_keeps(row)) {
    auto& ranges = ranges_[row.feature_count];
    if (ranges.empty()) {
      for (std::size_t i = 0; i < row.feature_count; ++i)
        ranges.emplace_back(row.features[i], row.features[i]);
    } else {
      for (std::size_t i = 0; i < row.feature_count; ++i) {
        ranges[i].first = std::min(ranges[i].first, row.features[i]);
        ranges[i].second = std::max(ranges[i].second, row.features[i]);
      }
    }
    const std::string_view domain = row.domain_length == 0 ? std::string_view("unknown") : row.domain_name();
    if (domains_.find(domain) != domains_.end()) ++listed_rows_[row.feature_count];
  }
  next_.add(row);
}

void PrivacyRowCheck::check(std::size_t dimension, const std::vector<std::string>& feature_names,
                            const char* function_name) const {
  if (arguments_ == nullptr) return;
  const auto ranges = ranges_.find(dimension);
  if (ranges == ranges_.end()) return;  // no usable rows: the fit says so
  for (const auto& [name, given] : arguments_->bounds) {
    const auto at = std::find(feature_names.begin(), feature_names.end(), name);
    if (at == feature_names.end() || !given) continue;
    const std::pair<double, double>& range = *given;
    const auto& seen = ranges->second[static_cast<std::size_t>(at - feature_names.begin())];
    if (range.second < seen.first || range.first > seen.second)
      throw_invalid_parameter(
          named("bounds", function_name) + " for \"" + name + "\", [" + plain(range.first) + ", " +
              plain(range.second) + "], exclude every fitted row",
          "Every value is clamped into its bounds, so the feature would hold one value.",
          "Give bounds that cover the feature's values (a public range, e.g. its schema's).");
  }
  if (!arguments_->domains.empty() && listed_rows_.find(dimension) == listed_rows_.end())
    throw_invalid_parameter(
        named("domains", function_name) + " names no domain of the fitted rows",
        "Rows of domains outside the list are left out of a private fit, which would leave none.",
        "Name the domains the real rows hold, or leave domains out (NULL).");
}

void StrongRandomSource::fill(unsigned char* out, std::size_t n) {
  while (n > 0) {
    const std::size_t chunk = std::min<std::size_t>(n, 1024);
    if (!pg_strong_random(out, chunk))
      throw Error(sqlstate::kInternalError, "the server's strong random source failed to give noise", {},
                  "A differentially private fit draws its noise from pg_strong_random.");
    out += chunk;
    n -= chunk;
  }
}

}  // namespace synth::pg

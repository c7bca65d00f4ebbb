#include "pg/row_observer.hpp"

#include <cmath>
#include <cstring>
#include <string_view>

#include "engine/quality/distinct_counter.hpp"
#include "engine/rows/json_fields.hpp"
#include "engine/model/number_text.hpp"

// Everything here runs where a backend ERROR may longjmp out at any point: no
// object with a destructor lives in these frames.
namespace synth::pg {
namespace {

ValueState numeric_value(Numeric number, double* out) {
  const char* text = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(number)));
  ParsedNumber parsed = parse_decimal(std::string_view(text, std::strlen(text)));
  if (parsed.kind == NumberClass::kFinite) {
    *out = parsed.value;
    return ValueState::kNumber;
  }
  return parsed.kind == NumberClass::kNonFinite ? ValueState::kNonFinite : ValueState::kNonNumeric;
}

ValueState float_value(double value, double* out) {
  if (!std::isfinite(value)) return ValueState::kNonFinite;
  *out = value;
  return ValueState::kNumber;
}

ValueState datum_value(Datum datum, NumberType type, double* out) {
  switch (type) {
    case NumberType::kFloat8:
      return float_value(DatumGetFloat8(datum), out);
    case NumberType::kFloat4:
      return float_value(DatumGetFloat4(datum), out);
    case NumberType::kNumeric:
      return numeric_value(DatumGetNumeric(datum), out);
    case NumberType::kInt2:
      return float_value(DatumGetInt16(datum), out);
    case NumberType::kInt4:
      return float_value(DatumGetInt32(datum), out);
    case NumberType::kInt8:
      return float_value(static_cast<double>(DatumGetInt64(datum)), out);
    case NumberType::kNone:
      break;
  }
  return ValueState::kNonNumeric;
}

ValueState jsonb_scalar(const JsonbValue& value, double* out) {
  switch (value.type) {
    case jbvNull:
      return ValueState::kNull;
    case jbvNumeric:
      return numeric_value(value.val.numeric, out);
    default:
      return ValueState::kNonNumeric;  // string, boolean, array, object
  }
}

void observe_jsonb_features(const JsonbValue& value, RowObservation* row) {
  if (value.type == jbvNull) return;  // kAbsent
  if (value.type != jbvBinary || !JsonContainerIsArray(value.val.binary.data)) {
    row->feature_shape = FeatureShape::kNotArray;
    return;
  }
  JsonbContainer* array = value.val.binary.data;
  row->feature_shape = FeatureShape::kArray;
  row->feature_count = JsonContainerSize(array);
  if (!row->elements_read()) return;
  for (uint32 i = 0; i < row->feature_count; ++i) {
    const JsonbValue* element = getIthJsonbValueFromContainer(array, i);
    double number = 0.0;
    ValueState state = element != nullptr ? jsonb_scalar(*element, &number) : ValueState::kNull;
    row->set_feature(i, state, number);
  }
}

void observe_jsonb(Datum datum, RowObservation* row) {
  Jsonb* jsonb = DatumGetJsonbP(datum);
  JsonbContainer* root = &jsonb->root;
  if (!JsonContainerIsObject(root)) return;  // arrays and scalars hold no fields
  JsonbValue value;
  if (getKeyJsonValueFromContainer(root, "feature_vector", 14, &value)) observe_jsonb_features(value, row);
  if (getKeyJsonValueFromContainer(root, "effectiveness_score", 19, &value))
    row->score_state = jsonb_scalar(value, &row->score);
  if (getKeyJsonValueFromContainer(root, "metadata", 8, &value) && value.type == jbvBinary &&
      JsonContainerIsObject(value.val.binary.data)) {
    JsonbValue domain;
    if (getKeyJsonValueFromContainer(value.val.binary.data, "domain", 6, &domain) && domain.type == jbvString)
      row->set_domain(std::string_view(domain.val.string.val, domain.val.string.len));
  }
}

std::string_view text_bytes(Datum datum) {
  const text* t = reinterpret_cast<const text*>(PG_DETOAST_DATUM_PACKED(datum));
  return std::string_view(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

void observe_flat_features(Datum datum, const RowLayout& layout, RowObservation* row) {
  ArrayType* array = DatumGetArrayTypeP(datum);
  const int dimensions = ARR_NDIM(array);
  const int items = ArrayGetNItems(dimensions, ARR_DIMS(array));
  row->feature_shape = dimensions > 1 ? FeatureShape::kNested : FeatureShape::kArray;
  row->feature_count = static_cast<std::uint32_t>(items);
  if (dimensions > 1 || !row->elements_read()) return;
  Datum* values = nullptr;
  bool* nulls = nullptr;
  int count = 0;
  deconstruct_array(array, ARR_ELEMTYPE(array), layout.element_length, layout.element_byval,
                    layout.element_align, &values, &nulls, &count);
  for (int i = 0; i < count && i < static_cast<int>(kMaxProfileFeatures); ++i) {
    double number = 0.0;
    ValueState state = nulls[i] ? ValueState::kNull : datum_value(values[i], layout.element_type, &number);
    row->set_feature(static_cast<std::size_t>(i), state, number);
  }
}

}  // namespace

void observe_row(const Datum* values, const bool* nulls, const RowLayout& layout, RowObservation* row) {
  row->reset();
  if (layout.pipeline) {
    const int at = layout.result_column - 1;
    if (!nulls[at]) {
      if (layout.json_text)
        scan_enhancement_result(text_bytes(values[at]), *row);
      else
        observe_jsonb(values[at], row);
    }
  } else {
    const int features = layout.features_column - 1;
    if (!nulls[features]) observe_flat_features(values[features], layout, row);
    const int score = layout.score_column - 1;
    if (!nulls[score]) row->score_state = datum_value(values[score], layout.score_type, &row->score);
    const int domain = layout.domain_column - 1;
    if (domain >= 0 && !nulls[domain]) row->set_domain(text_bytes(values[domain]));
  }
  const int prompt = layout.prompt_column - 1;
  if (prompt >= 0 && !nulls[prompt]) {
    row->has_prompt = true;
    row->prompt_hash = hash_bytes(text_bytes(values[prompt]));
  }
}

}  // namespace synth::pg

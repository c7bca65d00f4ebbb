// synth_fit(): a profile of a table's real rows, read with the caller's rights
// (privileges and row-level security apply), in either layout: the pipeline's
// enhancement_result document (json or jsonb), or flat columns (domain,
// feature_vector, effectiveness_score). The rows come through the shared table
// reader (pg/table_reader.hpp), which locks the table before it looks at the
// catalog and checks the shape of what the query returns, and stream into the
// engine's ProfileFitter; the rows the pipeline's ML gate would drop (empty,
// non-numeric or non-finite features, a score outside [0, 1]) are skipped.
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/error.hpp"
#include "engine/profile/profile_fit.hpp"
#include "engine/quality/observation_sink.hpp"
#include "pg/bridge.hpp"
#include "pg/jsonb_text.hpp"
#include "pg/profile_args.hpp"
#include "pg/table_reader.hpp"

namespace synth::pg {
namespace {

constexpr std::size_t kMaxNameBytes = 63;

// Hands the rows the ML gate would keep to the fitter: a non-empty array of
// finite numbers and a finite score in [0, 1]. A row longer than the fitter
// can hold still goes in, so the fitter names the dimension it cannot hold.
class FitSink final : public ObservationSink {
 public:
  explicit FitSink(ProfileFitter& fitter) : fitter_(fitter) {}

  void add(const RowObservation& row) override {
    if (row.feature_shape != FeatureShape::kArray || row.feature_count == 0) return;
    if (!row.elements_read()) {
      note_dimension(row.feature_count);
      fitter_.add(domain_of(row), row.features.data(), row.feature_count, 0.0);
      return;
    }
    if (row.non_numeric_features != 0 || row.non_finite_features != 0) return;
    if (row.score_state != ValueState::kNumber || !(row.score >= 0 && row.score <= 1)) return;
    note_dimension(row.feature_count);
    fitter_.add(domain_of(row), row.features.data(), row.feature_count, row.score);
  }

  // The dimension the fitter keeps (its first usable row's), 0 before any.
  std::size_t dimension() const { return dimension_; }

 private:
  static std::string_view domain_of(const RowObservation& row) {
    return row.domain_length == 0 ? std::string_view("unknown") : row.domain_name();
  }
  void note_dimension(std::size_t d) {
    if (dimension_ == 0) dimension_ = d;
  }

  ProfileFitter& fitter_;
  std::size_t dimension_ = 0;
};

}  // namespace
}  // namespace synth::pg

SYNTH_FUNCTION(synth_fit) {
  if (PG_ARGISNULL(0))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "source must not be NULL", {},
                       "Name the table or view of real rows, e.g. source => 'training_prompts'.");
  if (PG_ARGISNULL(2)) throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "only_active must not be NULL");
  const char* data_source =
      PG_ARGISNULL(1) ? nullptr
                      : synth::pg::pg_guard([&] { return static_cast<const char*>(text_to_cstring(PG_GETARG_TEXT_PP(1))); });
  synth::pg::TableReadRequest request;
  request.relid = PG_GETARG_OID(0);
  if (data_source != nullptr) request.data_source = std::string(data_source);
  request.data_source_optional = true;
  request.only_active = PG_GETARG_BOOL(2);
  request.function_name = "synth_fit";
  request.want_feature_names = true;
  synth::ProfileFitter fitter;
  synth::pg::FitSink sink(fitter);
  synth::ReportSource source = synth::pg::read_training_table(request, sink);
  // The names are used when there is one for every feature, none of them
  // empty (a non-string name reads as empty); else the features are f1..fd.
  std::vector<std::string> names = std::move(source.feature_names);
  bool usable_names = !names.empty() && names.size() == sink.dimension();
  for (std::string& name : names) {
    if (name.empty()) usable_names = false;
    if (name.size() > synth::pg::kMaxNameBytes) name.resize(synth::pg::kMaxNameBytes);
  }
  if (!usable_names) names.clear();
  synth::Profile profile = fitter.fit(std::move(names));
  PG_RETURN_DATUM(synth::pg::jsonb_from_json_text(synth::profile_json(profile)));
}

SYNTH_FUNCTION(synth_profile_hash) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  synth::Profile profile = synth::pg::read_profile(PG_GETARG_JSONB_P(0));
  PG_RETURN_DATUM(synth::pg::text_datum(synth::profile_hash(profile)));
}

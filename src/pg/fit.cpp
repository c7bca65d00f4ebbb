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
#include "engine/quality/rows_digest.hpp"
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

// Every row read goes into the digest, then on to the fit.
class DigestSink final : public ObservationSink {
 public:
  explicit DigestSink(ObservationSink& next) : next_(next) {}
  void add(const RowObservation& row) override {
    digest_.add(row);
    next_.add(row);
  }
  const RowsDigest& digest() const { return digest_; }

 private:
  ObservationSink& next_;
  RowsDigest digest_;
};

// The feature names the fit uses: one for every feature, none empty (a
// non-string name reads as empty), at most 63 bytes each; else none (f1..fd).
std::vector<std::string> usable_names(std::vector<std::string> names, std::size_t dimension) {
  bool usable = !names.empty() && names.size() == dimension;
  for (std::string& name : names) {
    if (name.empty()) usable = false;
    if (name.size() > kMaxNameBytes) name.resize(kMaxNameBytes);
  }
  if (!usable) names.clear();
  return names;
}

}  // namespace
}  // namespace synth::pg

// _synth_fit_real_rows(target, fit_min_rows): synth_refresh's one read of the
// active real rows: how many there are, a digest of what was read from them
// (with the feature names), and their profile when there are at least
// fit_min_rows of them. One statement, so the count, the digest and the
// profile come from the same snapshot.
SYNTH_FUNCTION(_synth_fit_real_rows) {
  synth::pg::TableReadRequest request;
  request.relid = PG_GETARG_OID(0);
  const std::int64_t fit_min_rows = PG_GETARG_INT64(1);
  request.data_source = std::string("real");
  request.only_active = true;
  request.function_name = "synth_refresh";
  request.want_feature_names = true;
  synth::ProfileFitter fitter;
  synth::pg::FitSink fit(fitter);
  synth::pg::DigestSink sink(fit);
  synth::ReportSource source = synth::pg::read_training_table(request, sink);
  std::string names_text;
  for (const std::string& name : source.feature_names) names_text += name + '\x1f';
  const std::string digest = sink.digest().text() + ":" + synth::content_hash(names_text);
  const std::uint64_t rows = sink.digest().rows();
  std::string profile;
  if (rows >= static_cast<std::uint64_t>(fit_min_rows))
    profile = synth::profile_json(fitter.fit(synth::pg::usable_names(std::move(source.feature_names), fit.dimension())));
  const Datum profile_datum = profile.empty() ? (Datum)0 : synth::pg::jsonb_from_json_text(profile);
  return synth::pg::pg_guard([&] {
    TupleDesc desc;
    if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE)
      elog(ERROR, "_synth_fit_real_rows must be declared to return a row type");
    desc = BlessTupleDesc(desc);
    Datum values[3];
    bool nulls[3] = {false, false, profile.empty()};
    values[0] = Int64GetDatum(static_cast<std::int64_t>(rows));
    values[1] = synth::pg::text_datum(digest);
    values[2] = profile_datum;
    return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
  });
}

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
  synth::Profile profile = fitter.fit(synth::pg::usable_names(std::move(source.feature_names), sink.dimension()));
  PG_RETURN_DATUM(synth::pg::jsonb_from_json_text(synth::profile_json(profile)));
}

SYNTH_FUNCTION(synth_profile_hash) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  synth::Profile profile = synth::pg::read_profile(PG_GETARG_JSONB_P(0));
  PG_RETURN_DATUM(synth::pg::text_datum(synth::profile_hash(profile)));
}

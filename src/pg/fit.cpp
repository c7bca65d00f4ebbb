// synth_fit(): a profile of a table's real rows, read with the caller's rights
// (privileges and row-level security apply), in either layout: the pipeline's
// enhancement_result document (json or jsonb), or flat columns (domain,
// feature_vector, effectiveness_score). The rows come through the shared table
// reader (pg/table_reader.hpp), which locks the table before it looks at the
// catalog and checks the shape of what the query returns, and stream into the
// engine's ProfileFitter; the rows the pipeline's ML gate would drop (empty,
// non-numeric or non-finite features, a score outside [0, 1]) are skipped.
#include <cstring>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/error.hpp"
#include "engine/model/text_encoding.hpp"
#include "engine/privacy/accountant.hpp"
#include "engine/profile/profile_fit.hpp"
#include "engine/rows/observation_sink.hpp"
#include "engine/rows/rows_digest.hpp"
#include "pg/bridge.hpp"
#include "pg/jsonb_text.hpp"
#include "pg/privacy_args.hpp"
#include "pg/privacy_ledger.hpp"
#include "pg/profile_args.hpp"
#include "pg/profile_source.hpp"
#include "pg/progress.hpp"
#include "pg/table_reader.hpp"

namespace synth::pg {
namespace {

// Hands the rows the ML gate would keep to the fitter: a non-empty array of
// finite numbers and a finite score in [0, 1]; counts the others. A row
// longer than the fitter can hold is counted for its dimension only.
class FitSink final : public ObservationSink {
 public:
  explicit FitSink(ProfileFitter& fitter) : fitter_(fitter) {}

  void add(const RowObservation& row) override {
    if (row.feature_shape != FeatureShape::kArray || row.feature_count == 0) return skip();
    if (!row.elements_read()) {
      fitter_.add(domain_of(row), nullptr, row.feature_count, 0.0);
      return;
    }
    if (!gate_keeps(row)) return skip();
    fitter_.add(domain_of(row), row.features.data(), row.feature_count, row.score);
  }

  // Rows the ML gate drops.
  std::uint64_t unusable() const { return unusable_; }

 private:
  static std::string_view domain_of(const RowObservation& row) {
    return row.domain_length == 0 ? std::string_view("unknown") : row.domain_name();
  }
  void skip() { ++unusable_; }

  ProfileFitter& fitter_;
  std::uint64_t unusable_ = 0;
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
// non-string name reads as empty), none twice, at most kMaxNameBytes bytes
// each (cut at a character boundary); else none (f1..fd). Names are data:
// whatever they hold, the fit goes on.
std::vector<std::string> fit_feature_names(std::vector<std::string> names, std::size_t dimension) {
  bool usable = !names.empty() && names.size() == dimension;
  std::set<std::string, std::less<>> seen;
  for (std::string& name : names) {
    if (name.empty()) usable = false;
    name.resize(clip_text(name.data(), name.size(), kMaxNameBytes));
    if (name.empty()) usable = false;
    if (!seen.insert(name).second) usable = false;
  }
  if (!usable) names.clear();
  return names;
}

// "18 rows of dimension 3, 2 rows of dimension 4"
std::string dimension_counts(const ProfileFitter& fitter) {
  std::string text;
  for (const auto& [dimension, count] : fitter.rows_by_dimension())
    text += (text.empty() ? "" : ", ") + std::to_string(count) + (count == 1 ? " row" : " rows") +
            " of dimension " + std::to_string(dimension);
  return text;
}

// A failure of the fit that comes from what the rows hold (too many domains,
// too wide a vector, values a profile cannot carry): classes 22 and 54.
bool data_failure(const Error& e) {
  return std::strncmp(e.sqlstate(), "22", 2) == 0 || std::strncmp(e.sqlstate(), "54", 2) == 0;
}

// More domains than a profile holds: say which rows the fit left out.
void notice_rare_domains(const ProfileFitter& fitter, const char* function) {
  const std::uint64_t left_out = fitter.rare_domain_rows();
  if (left_out == 0) return;
  const std::string message = std::string(function) + " fitted the " + std::to_string(kMaxProfileDomains) +
                              " domains with the most rows and left out " + std::to_string(left_out) +
                              (left_out == 1 ? " row" : " rows") + " of rarer domains";
  pg_guard([&] {
    ereport(NOTICE, (errmsg("%s", message.c_str()),
                     errdetail("A profile holds at most %d domains.", static_cast<int>(kMaxProfileDomains)),
                     errhint("Group rare domains together (in a view) to fit every row.")));
  });
}

// A private fit of the rows fitter holds, for source (relid): the rows'
// checks (errors for the caller only), the spend recorded in the ledger
// before any noise is drawn, then the fit with the noise the arguments
// choose. Feature names and the dimension come from the public arguments
// (public_feature_names), else the engine chooses the dimension privately;
// never from the rows. A spend past the cap is an error (53400) when
// refuse_with_error, else no profile and the refusal. rows_digest goes
// into the ledger entry (synth_refresh's test for unchanged rows).
struct PrivateFit {
  std::string json;
  std::string refusal;
  std::uint64_t released_rows = 0;  // the profile's noisy row count
};

PrivateFit fit_privately(const ProfileFitter& fitter, const PrivacyArguments& arguments,
                         const PrivacyRowCheck& rows, Oid relid, Oid extension_namespace,
                         const char* function_name, bool refuse_with_error, const std::string& rows_digest) {
  std::vector<std::string> names = public_feature_names(arguments);
  rows.check(names.empty() ? fitter.dimension() : names.size(), names, function_name);
  PrivacyRequest request;
  request.epsilon = arguments.epsilon;
  request.delta = arguments.delta;
  if (!names.empty()) request.feature_bounds = bounds_by_feature(arguments, names, function_name);
  request.public_domains = arguments.domains;
  request.seeded = arguments.seed.has_value();
  const double epsilon = arguments.epsilon, delta = arguments.delta;
  // What the fit spends (the accountant converts at delta / 2 and keeps the
  // rest for the thresholds on domains and frequent values), recorded before
  // the first noise draw: a fit that fails after it still counts.
  const double rho = rho_for(epsilon, delta / 2);
  const char* mechanism = request.seeded ? kSeededMechanism : kMechanism;
  const PrivacySpend spent =
      pg_guard([&] { return spend_privacy(extension_namespace, relid, rho, epsilon, delta, mechanism); });
  if (!spent.granted) {
    if (refuse_with_error) refuse_privacy_spend(spent, relid, epsilon, delta, function_name);
    return {{}, privacy_refusal_text(spent, relid, epsilon, delta), 0};
  }
  StrongRandomSource strong;
  std::optional<SeededRandomSource> seeded;
  if (arguments.seed) seeded.emplace(static_cast<std::uint64_t>(*arguments.seed));
  request.noise = seeded ? static_cast<RandomSource*>(&*seeded) : &strong;
  const Profile profile = fitter.fit_private(std::move(names), request);
  PrivateFit out{profile_json(profile), {}, profile.rows};
  const std::string hash = content_hash(out.json);
  pg_guard([&] {
    record_private_profile(extension_namespace, relid, spent.entry, hash.c_str(), rows_digest.c_str());
  });
  return out;
}

Oid extension_namespace_of(FunctionCallInfo fcinfo) {
  return pg_guard([fcinfo] { return get_func_namespace(fcinfo->flinfo->fn_oid); });
}

// synth_fit without epsilon: the rows' own feature names, the dominant
// dimension; too few rows say which rows were counted, and NOTICEs say
// which rows were left out.
std::string fit_plainly(const ProfileFitter& fitter, TableSource source) {
  std::string json;
  try {
    json = profile_json(fitter.fit(fit_feature_names(std::move(source.feature_names), fitter.dimension())));
  } catch (const Error& e) {
    // Too few rows (the one 22000 a fit raises): say which rows were counted.
    if (!source.sources || std::strcmp(e.sqlstate(), sqlstate::kDataException) != 0 ||
        fitter.dimension_rows() >= kMinFitRows)
      throw;
    throw Error(e.sqlstate(), std::string(e.what()) + " among " + rows_with(*source.sources), e.detail(),
                e.hint());
  }
  notice_rare_domains(fitter, "synth_fit");
  if (fitter.dimension_rows() != fitter.rows()) {
    const std::string message = "synth_fit fitted the " + std::to_string(fitter.dimension_rows()) +
                                " usable rows of dimension " + std::to_string(fitter.dimension()) +
                                " and skipped " + std::to_string(fitter.rows() - fitter.dimension_rows()) +
                                " of other dimensions";
    const std::string detail = "The source holds " + dimension_counts(fitter) + ".";
    pg_guard([&] {
      ereport(
          NOTICE,
          (errmsg("%s", message.c_str()), errdetail("%s", detail.c_str()),
           errhint("The rows of the most common dimension are fitted (the smaller dimension on a tie).")));
    });
  }
  return json;
}

// What _synth_fit_real_rows returns (NULL where a field is unset).
struct RealRowsFit {
  std::optional<std::int64_t> rows, dimension, unusable, other;
  std::optional<std::string> digest, fit_failure, privacy, privacy_reason;
  std::string profile, counted;
};

// synth_refresh's private fit: no gate on the true row count and no true
// count in what it returns; the engine's noisy count decides (22000 below
// 10 released rows), and a released count below fit_min_rows drops the
// profile (the spend stays). dimension is the dominant one of the rows,
// for synth_refresh's fallback alone.
void refresh_privately(RealRowsFit& out, const ProfileFitter& fitter, const PrivacyArguments& privacy,
                       const PrivacyRowCheck& checked, Oid relid, Oid extension_namespace,
                       std::int64_t fit_min_rows, const std::string& digest,
                       const std::string& unchanged_hash) {
  out.privacy = "fitted";
  if (fitter.dimension() > 0) out.dimension = static_cast<std::int64_t>(fitter.dimension());
  if (!unchanged_hash.empty() && digest == unchanged_hash) {
    out.privacy = "unchanged";  // the last private profile still describes these rows
    return;
  }
  try {
    PrivateFit fitted =
        fit_privately(fitter, privacy, checked, relid, extension_namespace, "synth_refresh", false, digest);
    if (fitted.json.empty()) {
      out.privacy = "refused";
      out.privacy_reason = std::move(fitted.refusal);
    } else if (fitted.released_rows < static_cast<std::uint64_t>(fit_min_rows)) {
      out.fit_failure = "the released (noisy) row count " + std::to_string(fitted.released_rows) +
                        " is below fit_min_rows " + std::to_string(fit_min_rows);
      out.privacy = "failed";
    } else {
      out.profile = std::move(fitted.json);
    }
  } catch (const Error& e) {
    if (!data_failure(e)) throw;
    out.fit_failure = e.what();
    out.privacy = "failed";  // no profile; a spend recorded before the noise stays
  }
}

Datum real_rows_fit_datum(FunctionCallInfo fcinfo, const RealRowsFit& out) {
  const Datum profile_datum = out.profile.empty() ? (Datum)0 : jsonb_from_json_text(out.profile);
  return pg_guard([&] {
    TupleDesc desc;
    if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE)
      elog(ERROR, "_synth_fit_real_rows must be declared to return a row type");
    desc = BlessTupleDesc(desc);
    // 1.1 declares the first three columns, 1.2 eight, 1.3 ten.
    if (desc->natts != 3 && desc->natts != 8 && desc->natts != 10)
      elog(ERROR, "_synth_fit_real_rows must return 3, 8 or 10 columns");
    Datum values[10] = {};
    bool nulls[10];
    const std::optional<std::int64_t>* numbers[] = {&out.rows,      nullptr,       nullptr,
                                                    &out.dimension, &out.unusable, &out.other};
    const std::optional<std::string>* texts[] = {
        nullptr, &out.digest,      nullptr, nullptr,      nullptr,
        nullptr, &out.fit_failure, nullptr, &out.privacy, &out.privacy_reason};
    for (int i = 0; i < 10; ++i) {
      nulls[i] = i < 6 && numbers[i] ? !numbers[i]->has_value() : texts[i] ? !texts[i]->has_value() : false;
      if (!nulls[i] && i < 6 && numbers[i]) values[i] = Int64GetDatum(**numbers[i]);
      if (!nulls[i] && texts[i]) values[i] = text_datum(**texts[i]);
    }
    nulls[2] = out.profile.empty();
    values[2] = profile_datum;
    if (!nulls[3]) values[3] = Int32GetDatum(static_cast<int32>(Min(*out.dimension, PG_INT32_MAX)));
    values[7] = text_datum(out.counted);
    return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
  });
}

}  // namespace
}  // namespace synth::pg

// _synth_fit_real_rows(target, fit_min_rows): synth_refresh's one read of the
// active real rows. One statement, so everything below comes from the same
// snapshot: real_rows, the usable rows of the dominant dimension (what is
// fitted); a digest of everything read (with the feature names); the profile
// when real_rows >= fit_min_rows and the fit succeeds; and (1.2 on) that
// dimension, the rows the ML gate drops, the usable rows of other dimensions
// and, when a fit was due but the rows cannot make a profile, why. What the
// rows hold never makes it fail. 1.3 adds the privacy arguments (epsilon,
// delta, bounds, domains) and unchanged_hash: with epsilon it returns no
// true count and no digest (refresh_privately); a private fit is skipped,
// and nothing spent, when the digest is unchanged_hash (the digest the
// ledger kept for the last refresh's profile); privacy says "fitted",
// "unchanged" or "refused" (the budget is spent: privacy_reason says how
// far), NULL for a fit that is not private.
SYNTH_FUNCTION(_synth_fit_real_rows) {
  if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "target and fit_min_rows must not be NULL");
  synth::pg::TableReadRequest request;
  request.relid = PG_GETARG_OID(0);
  const std::int64_t fit_min_rows = PG_GETARG_INT64(1);
  if (PG_NARGS() >= 3) {
    // 1.2: the real rows are those synth_refresh's real_sources names.
    request.real_rows = true;
    request.real_sources = synth::pg::real_sources_argument(fcinfo, 2, "synth_refresh", false);
  } else {
    request.data_source = std::string("real");  // 1.1
  }
  const std::optional<synth::pg::PrivacyArguments> privacy =
      synth::pg::privacy_arguments(fcinfo, 3, -1, "synth_refresh");
  const std::string unchanged_hash = PG_NARGS() >= 8 && !PG_ARGISNULL(7) ? synth::pg::pg_guard([&] {
    return static_cast<const char*>(text_to_cstring(PG_GETARG_TEXT_PP(7)));
  })
                                                                         : "";
  request.only_active = true;
  request.function_name = "synth_refresh";
  request.want_feature_names = true;
  synth::ProfileFitter fitter;
  synth::pg::FitSink fit(fitter);
  synth::pg::PrivacyRowCheck checked(fit, privacy ? &*privacy : nullptr);
  synth::pg::DigestSink sink(checked);
  synth::pg::ReadProgress progress(sink, request.function_name, request.relid);
  synth::TableSource source = synth::pg::read_training_table(request, progress);
  progress.finish();
  std::string names_text;
  for (const std::string& name : source.feature_names) names_text += name + '\x1f';
  const std::string digest = sink.digest().text() + ":" + synth::content_hash(names_text);
  synth::pg::RealRowsFit out;
  out.counted = source.sources.value_or("");
  if (privacy) {
    synth::pg::refresh_privately(out, fitter, *privacy, checked, request.relid,
                                 synth::pg::extension_namespace_of(fcinfo), fit_min_rows, digest,
                                 unchanged_hash);
  } else {
    const std::uint64_t rows = fitter.dimension_rows();
    out.rows = static_cast<std::int64_t>(rows);
    out.digest = digest;
    if (fitter.dimension() > 0) out.dimension = static_cast<std::int64_t>(fitter.dimension());
    out.unusable = static_cast<std::int64_t>(fit.unusable());
    out.other = static_cast<std::int64_t>(fitter.rows() - rows);
    if (rows >= static_cast<std::uint64_t>(fit_min_rows)) {
      try {
        out.profile = synth::profile_json(
            fitter.fit(synth::pg::fit_feature_names(std::move(source.feature_names), fitter.dimension())));
        synth::pg::notice_rare_domains(fitter, "synth_refresh");
      } catch (const synth::Error& e) {
        if (!synth::pg::data_failure(e)) throw;
        out.fit_failure = e.what();
      }
    }
  }
  if (!out.profile.empty())
    synth::pg::remember_fitted_profile(synth::content_hash(out.profile), request.relid);
  return synth::pg::real_rows_fit_datum(fcinfo, out);
}

SYNTH_FUNCTION(synth_fit) {
  if (PG_ARGISNULL(0))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "source must not be NULL", {},
                       "Name the table or view of real rows, e.g. source => 'training_prompts'.");
  if (PG_ARGISNULL(2))
    throw synth::Error(synth::sqlstate::kNullValueNotAllowed, "only_active must not be NULL");
  const char* data_source = PG_ARGISNULL(1) ? nullptr : synth::pg::pg_guard([&] {
    return static_cast<const char*>(text_to_cstring(PG_GETARG_TEXT_PP(1)));
  });
  synth::pg::TableReadRequest request;
  request.relid = PG_GETARG_OID(0);
  if (PG_NARGS() >= 4) {
    // 1.2: real_sources (NULL: every data_source but 'synthetic'), or the
    // older spelling data_source => 'x' for real_sources => '{x}'.
    request.real_rows = true;
    request.real_sources = synth::pg::real_sources_argument(fcinfo, 3, "synth_fit", true);
    if (data_source != nullptr) {
      if (request.real_sources)
        synth::throw_invalid_parameter(
            "synth_fit takes data_source or real_sources, not both", {},
            "Name every source in real_sources, e.g. real_sources => '{real,user}'.");
      if (*data_source == '\0')
        synth::throw_invalid_parameter(
            "data_source of synth_fit must not be empty", {},
            "Name the data_source of the rows to fit, or leave it out (NULL) for every "
            "data_source but 'synthetic'.");
      request.real_sources = std::vector<std::string>{data_source};
    }
  } else {
    // 1.1: data_source (default 'real'), every row of a table without the column.
    if (data_source != nullptr) request.data_source = std::string(data_source);
    request.data_source_optional = true;
  }
  // 1.3: epsilon, delta, bounds, domains and seed make the fit private.
  const std::optional<synth::pg::PrivacyArguments> privacy =
      synth::pg::privacy_arguments(fcinfo, 4, 8, "synth_fit");
  request.only_active = PG_GETARG_BOOL(2);
  request.function_name = "synth_fit";
  request.want_feature_names = !privacy;  // a private fit never takes names from the rows
  synth::ProfileFitter fitter;
  synth::pg::FitSink fit(fitter);
  synth::pg::PrivacyRowCheck sink(fit, privacy ? &*privacy : nullptr);
  synth::pg::ReadProgress progress(sink, request.function_name, request.relid);
  synth::TableSource source = synth::pg::read_training_table(request, progress);
  progress.finish();
  std::string json;
  if (privacy) {
    // Only released figures: no count of the rows in an error or NOTICE.
    json = synth::pg::fit_privately(fitter, *privacy, sink, request.relid,
                                    synth::pg::extension_namespace_of(fcinfo), "synth_fit", true, "")
               .json;
  } else {
    json = synth::pg::fit_plainly(fitter, std::move(source));
  }
  synth::pg::remember_fitted_profile(synth::content_hash(json), request.relid);
  PG_RETURN_DATUM(synth::pg::jsonb_from_json_text(json));
}

SYNTH_FUNCTION(synth_profile_hash) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  synth::Profile profile = synth::pg::read_profile(PG_GETARG_JSONB_P(0));
  PG_RETURN_DATUM(synth::pg::text_datum(synth::profile_hash(profile)));
}

#include "pg/fitted_rows.hpp"

#include <string_view>
#include <vector>

#include "engine/model/error.hpp"
#include "pg/profile_args.hpp"

namespace synth::pg {

FittedRows* FittedRows::open(FunctionCallInfo fcinfo, const RowArgs& at, MemoryContext memory) {
  FittedArguments args = read_fitted_arguments(fcinfo, at.generator, at.profile);
  Profile& profile = args.profile;
  FittedDocumentContext document;
  document.domain_weights_given = args.weights_given;
  std::vector<std::string_view> domain_names;
  for (const auto& domain : profile.domains) domain_names.emplace_back(domain.name);
  RowDatumBuffers* buffers =
      RowDatumBuffers::create(domain_names.data(), domain_names.size(), kBandNames.data(), kBandCount,
                              static_cast<std::uint32_t>(profile.dimension()), memory);
  return make_in_context(memory, FittedRows{{ProfileSampler(std::move(profile), std::move(args.options)),
                                             buffers, std::move(document)}});
}

void FittedRows::start_documents(int format, MemoryContext memory) {
  document.profile_hash = profile_hash(sampler.profile());
  char timestamp[40];
  format_utc_timestamp(GetCurrentTransactionStartTimestamp(), timestamp, sizeof timestamp);
  document.generation_timestamp = timestamp;
  json_capacity = fitted_document_capacity(sampler.profile());
  pg_guard([&] {
    MemoryContext old = MemoryContextSwitchTo(memory);
    if (format == kJsonbDocument) jsonb_builder = FittedJsonbBuilder::create(sampler, document);
    if (format == kJsonDocument) json_buffer = static_cast<char*>(palloc(VARHDRSZ + json_capacity));
    MemoryContextSwitchTo(old);
  });
}

struct varlena* FittedRows::json(const Row& row) {
  const std::size_t length = write_fitted_json(row, sampler, document, VARDATA(json_buffer), json_capacity);
  SET_VARSIZE(json_buffer, VARHDRSZ + length);
  return reinterpret_cast<struct varlena*>(json_buffer);
}

void FittedRows::name_dataset(DatasetDigest& digest) const {
  const ProfileOptions& o = sampler.options();
  digest.word(2);  // rows drawn from a profile
  digest.word(static_cast<std::uint64_t>(o.n));
  digest.word(o.seed);
  digest.word(document.domain_weights_given);
  digest.word(o.domain_weights.size());
  for (double w : o.domain_weights) digest.number(w);
  digest.text(document.profile_hash);
}

}  // namespace synth::pg

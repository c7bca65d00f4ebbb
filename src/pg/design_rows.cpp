#include "pg/design_rows.hpp"

#include <array>
#include <string_view>

#include "engine/model/domain_table.hpp"
#include "pg/profile_args.hpp"

namespace synth::pg {

DesignRows* DesignRows::open(FunctionCallInfo fcinfo, const RowArgs& at, MemoryContext memory) {
  DocumentContext document;
  document.options = read_generator_options(fcinfo, at.generator);
  document.domain_weights_given = !PG_ARGISNULL(at.generator.domain_weights);
  const RowSampler sampler(document.options);
  std::array<std::string_view, kDomainCount> domain_names;
  for (std::size_t d = 0; d < kDomainCount; ++d) domain_names[d] = kDomains[d].name;
  RowDatumBuffers* buffers = RowDatumBuffers::create(domain_names.data(), kDomainCount, kTierNames.data(),
                                                     kTierCount, kFeatureCount, memory);
  return make_in_context(memory, DesignRows{{sampler, buffers, document}});
}

void DesignRows::start_documents(int format, MemoryContext memory) {
  format_utc_timestamp(GetCurrentTransactionStartTimestamp(), document.generation_timestamp,
                       sizeof document.generation_timestamp);
  pg_guard([&] {
    MemoryContext old = MemoryContextSwitchTo(memory);
    if (format == kJsonbDocument) jsonb_builder = JsonbDocumentBuilder::create(document);
    if (format == kJsonDocument) json_buffer = static_cast<char*>(palloc(VARHDRSZ + kMaxDocumentLength));
    MemoryContextSwitchTo(old);
  });
}

struct varlena* DesignRows::json(const Row& row) {
  const std::size_t length = write_enhancement_json(row, document, VARDATA(json_buffer));
  SET_VARSIZE(json_buffer, VARHDRSZ + length);
  return reinterpret_cast<struct varlena*>(json_buffer);
}

void DesignRows::name_dataset(DatasetDigest& digest) const {
  const GeneratorOptions& o = document.options;
  digest.word(1);  // design-table rows
  digest.word(static_cast<std::uint64_t>(o.n));
  digest.word(o.seed);
  digest.word(document.domain_weights_given);
  for (double w : o.domain_weights) digest.number(w);
  for (double t : o.tier_shares) digest.number(t);
  digest.number(o.label_noise);
}

}  // namespace synth::pg

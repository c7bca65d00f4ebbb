// SQL arguments of the fitted path: a profile passed as jsonb, domain weights
// named after the profile's domains, the options a profile replaces, and the
// per-call state that owns a ProfileSampler across value-per-call rows.
#pragma once

#include <string>

#include "engine/generate/prompt_composer.hpp"
#include "engine/profile/fitted_document.hpp"
#include "engine/profile/profile_sampler.hpp"
#include "pg/postgres.hpp"

namespace synth::pg {

// jsonb -> text -> parse_profile (throws synth::Error 22023 for a bad profile).
Profile read_profile(Jsonb* profile);

// One weight per profile domain, from a jsonb object of name -> number.
std::vector<double> read_profile_domain_weights(Jsonb* weights, const Profile& profile);

// A profile sets the score bands and the dependence; tier_shares or
// label_noise other than their defaults contradict it (22023).
void reject_options_a_profile_replaces(FunctionCallInfo fcinfo, int tier_shares_arg, int label_noise_arg);

// What a fitted scan keeps across calls. Made in a memory context with a
// reset callback that runs its destructor, so an ERROR between calls (or the
// end of the query) frees the sampler's heap memory.
struct FittedCall {
  ProfileSampler sampler;
  FittedDocumentContext document;

  // Moves the sampler into `context` (a palloc'd object destroyed with it).
  static FittedCall* create(MemoryContext context, ProfileSampler&& sampler,
                            FittedDocumentContext&& document);
};

// Datum buffers of fitted rows, reused for every row (plain data, palloc'd).
struct FittedDatumBuffers {
  Datum* domain_text;
  Datum band_text[kBandCount];
  ArrayType* features;
  std::uint32_t dimension;
  alignas(8) char original[VARHDRSZ + kMaxOriginalLength];
  alignas(8) char enhanced[VARHDRSZ + kMaxEnhancedLength];

  static FittedDatumBuffers* create(const Profile& profile, MemoryContext context);
  // Fills the seven synth_generate columns.
  void fill(const FittedRow& row, Datum* values);
};

void format_utc_timestamp(TimestampTz ts, char* out, std::size_t size);

}  // namespace synth::pg

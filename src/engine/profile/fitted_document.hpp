// The pipeline's enhancement_result document for a row drawn from a profile:
// the keys the pipeline reads (docs/design.md §1, §6), with the profile's
// dimension and feature names, and what regenerates the row (seed, n,
// sample_id, the profile's hash, domain_weights).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "engine/profile/profile_sampler.hpp"

namespace synth {

struct FittedDocumentContext {
  std::string profile_hash;
  std::string generation_timestamp;  // ISO 8601, UTC
  bool domain_weights_given = false;
};

// Room enough for any row of this profile's document.
std::size_t fitted_document_capacity(const Profile& profile);

// Writes the document (JSON text, no NUL) into buffer; returns its length.
std::size_t write_fitted_json(const FittedRow& row, const ProfileSampler& sampler,
                              const FittedDocumentContext& context, char* buffer, std::size_t capacity);

// The metadata's domain_weights as the document writes them for these
// weights (one per profile domain; null when the call gave none): with seed,
// n, generator_version and profile_hash they name the dataset a fitted row
// belongs to.
std::string write_domain_weights_json(const Profile& profile, const std::vector<double>& weights, bool given);

}  // namespace synth

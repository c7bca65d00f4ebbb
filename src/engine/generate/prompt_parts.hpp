// The per-domain vocabulary prompts are composed from. Original prompts are
// short and weak ("explain X"); enhanced prompts name an audience, add context
// and list requirement clauses. Clause and phrase lengths are budgeted so every
// composed prompt fits its domain's length range (checked by a unit test).
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

#include "engine/model/domain_table.hpp"

namespace synth {

struct DomainParts {
  std::array<std::string_view, 8> verbs;        // lower case; capitalised in the enhanced prompt
  std::array<std::string_view, 20> subjects;    // noun phrases
  std::array<std::string_view, 6> audiences;    // "for ..." in the enhanced prompt
  std::array<std::string_view, 12> clauses;     // requirement clauses
  std::array<std::string_view, 6> contexts;     // context sentences, used to reach the target length
};

// Framings of the weak original prompt: {verb} {subject} inside one of these.
struct OriginalFraming {
  std::string_view before;
  std::string_view after;
};
inline constexpr std::array<OriginalFraming, 4> kOriginalFramings = {{
    {"", ""}, {"please ", ""}, {"can you ", "?"}, {"i need you to ", ""}}};

inline constexpr std::string_view kRequirementsLabel = "Requirements: ";
inline constexpr std::string_view kFillerSentence = " Be thorough.";

// Every text of DomainParts is followed by at least this many readable bytes
// (the composer copies a part of up to 48 bytes in three fixed 16-byte moves).
inline constexpr std::size_t kPartPadding = 48;

// Parts of the five domains (0..kDomainCount-1), and at kNeutralParts a
// neutral vocabulary for domains of fitted data the design table does not know.
inline constexpr std::size_t kNeutralParts = kDomainCount;
const DomainParts& parts_for(std::size_t domain);

}  // namespace synth

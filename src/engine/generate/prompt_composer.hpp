// Composes an (original, enhanced) prompt pair from a domain's parts and the
// choices a row drew. The enhanced prompt carries exactly `clause_count`
// requirement clauses and lands inside the domain's length range, so the
// `complexity` and `length` features describe the text itself.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace synth {

inline constexpr std::size_t kMaxOriginalLength = 128;
inline constexpr std::size_t kMaxEnhancedLength = 384;
inline constexpr std::size_t kMaxClauses = 12;

struct PromptChoices {
  std::size_t domain = 0;  // a design-table domain, or kNeutralParts (prompt_parts.hpp)
  std::size_t verb = 0;
  std::size_t subject = 0;
  std::size_t framing = 0;
  std::size_t audience = 0;
  std::size_t first_context = 0;
  std::size_t clause_count = 0;
  std::array<std::uint8_t, kMaxClauses> clauses{};  // distinct clause indices, first clause_count used
  std::size_t target_length = 0;                    // wished length of the enhanced prompt
  // Shortest enhanced prompt: 0 for the domain's minimum length (required
  // for kNeutralParts, which has no design-table range).
  std::size_t min_length = 0;
};

// Fixed buffers: a row in flight owns no heap memory, so it is trivially destructible.
struct PromptPair {
  char original[kMaxOriginalLength];
  char enhanced[kMaxEnhancedLength];
  std::uint16_t original_length;
  std::uint16_t enhanced_length;

  std::string_view original_text() const { return {original, original_length}; }
  std::string_view enhanced_text() const { return {enhanced, enhanced_length}; }
};

void compose_prompts(const PromptChoices& choices, PromptPair& out);

}  // namespace synth

// Composes an (original, enhanced) prompt pair from a domain's parts and the
// choices a row drew. The enhanced prompt carries exactly `clause_count`
// requirement clauses (none: no requirements sentence at all) and lands
// inside the domain's length range, so the `complexity` and `length`
// features describe the text itself. Every byte up to a reported length is
// written: a text that would not fit is left out whole, never cut.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace synth {

inline constexpr std::size_t kMaxOriginalLength = 128;
// The enhanced prompt's buffer, and the longest enhanced prompt a fitted row
// asks for (a longer `length` is clamped to it): well under the 2,700 bytes a
// btree entry of prompt_text allows (docs/design.md §6). The text is ASCII, so its
// length in characters is its length in bytes.
inline constexpr std::size_t kMaxEnhancedLength = 2048;
inline constexpr std::size_t kMaxEnhancedText = 2000;
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
  // Fitted rows: after the domain's context sentences, the general ones of
  // kElaborations (prompt_parts.hpp) fill the room too, so a long target is
  // reached with text instead of filler. The design table never sets it.
  bool elaborate = false;
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

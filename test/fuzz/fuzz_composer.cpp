// libFuzzer target: the prompt composer, over every choice a row can carry
// (any vocabulary, 0 to kMaxClauses distinct clauses, any target and minimum
// length, fitted or design-table mode), writes every byte it reports: the
// text holds no NUL and no stale byte (the output is poisoned first), is
// printable ASCII (so valid UTF-8 whose length in characters is its length in
// bytes), stays within kMaxEnhancedText, and carries exactly the clauses asked
// for, with no requirements sentence when there are none.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "engine/generate/prompt_composer.hpp"
#include "engine/generate/prompt_parts.hpp"

namespace {

struct Input {
  const std::uint8_t* data;
  std::size_t size;
  template <typename T>
  T take() {
    T value{};
    std::size_t n = size < sizeof(T) ? size : sizeof(T);
    std::memcpy(&value, data, n);
    data += n;
    size -= n;
    return value;
  }
};

void require(bool condition) {
  if (!condition) std::abort();
}

void require_text(std::string_view text) {
  for (char ch : text) require(ch >= 0x20 && ch <= 0x7e);
}

std::size_t clauses_in(std::string_view enhanced) {
  const std::size_t label = enhanced.find(synth::kRequirementsLabel);
  if (label == std::string_view::npos) return 0;
  std::size_t count = 1;
  for (std::size_t at = enhanced.find("; ", label); at != std::string_view::npos;
       at = enhanced.find("; ", at + 2))
    ++count;
  return count;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in{data, size};
  synth::PromptChoices c;
  c.domain = in.take<std::uint8_t>() % (synth::kNeutralParts + 1);
  const synth::DomainParts& parts = synth::parts_for(c.domain);
  c.verb = in.take<std::uint8_t>() % parts.verbs.size();
  c.subject = in.take<std::uint8_t>() % parts.subjects.size();
  c.framing = in.take<std::uint8_t>() % synth::kOriginalFramings.size();
  c.audience = in.take<std::uint8_t>() % parts.audiences.size();
  c.first_context = in.take<std::uint8_t>() % parts.contexts.size();
  c.clause_count = in.take<std::uint8_t>() % (synth::kMaxClauses + 1);
  c.target_length = in.take<std::uint16_t>();
  c.min_length = in.take<std::uint16_t>();
  c.elaborate = in.take<std::uint8_t>() % 2 == 0;
  // Distinct clauses, as the samplers draw them: a permutation from the input.
  std::uint8_t pool[synth::kMaxClauses];
  for (std::size_t i = 0; i < synth::kMaxClauses; ++i) pool[i] = static_cast<std::uint8_t>(i);
  for (std::size_t i = 0; i < c.clause_count; ++i) {
    const std::size_t j = i + in.take<std::uint8_t>() % (synth::kMaxClauses - i);
    const std::uint8_t t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
    c.clauses[i] = pool[i];
  }

  synth::PromptPair out;
  std::memset(&out, 0, sizeof out);
  synth::compose_prompts(c, out);
  require(out.original_length > 0 && out.original_length < synth::kMaxOriginalLength);
  require(out.enhanced_length > 0 && out.enhanced_length <= synth::kMaxEnhancedText);
  const std::string_view enhanced = out.enhanced_text();
  require_text(out.original_text());
  require_text(enhanced);
  require(clauses_in(enhanced) == c.clause_count);
  require(enhanced.find("Requirements: .") == std::string_view::npos);
  require(enhanced.back() == '.');
  if (c.elaborate) require(enhanced.find(synth::kFillerSentence) == std::string_view::npos);
  // A fitted prompt lands within a sentence of its target, unless the fixed
  // parts (with the padding to the minimum length) alone are longer.
  synth::PromptChoices bare = c;
  bare.target_length = 0;
  synth::PromptPair fixed;
  synth::compose_prompts(bare, fixed);
  const std::size_t target =
      c.target_length < synth::kMaxEnhancedText ? c.target_length : synth::kMaxEnhancedText;
  if (c.elaborate) {
    require(out.enhanced_length < (target > fixed.enhanced_length ? target : fixed.enhanced_length) + 42);
    if (target >= fixed.enhanced_length) require(out.enhanced_length + 42 > target);
  }
  return 0;
}

// The static length budget of src/engine/generate/prompt_parts.cpp: for every domain,
// the longest enhanced prompt the parts allow fits the domain's maximum length,
// and the shortest reaches its minimum (through padding), so the `length`
// feature always lies in the range of docs/design.md §2 and equals the text's length.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <array>
#include <cstddef>
#include <numeric>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/domain_table.hpp"
#include "engine/generate/prompt_composer.hpp"
#include "engine/generate/prompt_parts.hpp"

namespace synth {
namespace {

Range range_of(std::size_t domain, Feature f) {
  return kDomains[domain].feature_ranges[static_cast<std::size_t>(f)];
}

template <std::size_t N>
std::size_t longest(const std::array<std::string_view, N>& items) {
  return static_cast<std::size_t>(
      std::max_element(items.begin(), items.end(), [](auto a, auto b) { return a.size() < b.size(); }) -
      items.begin());
}

template <std::size_t N>
std::size_t shortest(const std::array<std::string_view, N>& items) {
  return static_cast<std::size_t>(
      std::min_element(items.begin(), items.end(), [](auto a, auto b) { return a.size() < b.size(); }) -
      items.begin());
}

// The indices of the `count` longest (or shortest) clauses.
std::vector<std::size_t> clauses_by_length(const DomainParts& parts, std::size_t count, bool longest_first) {
  std::vector<std::size_t> order(parts.clauses.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return longest_first ? parts.clauses[a].size() > parts.clauses[b].size()
                         : parts.clauses[a].size() < parts.clauses[b].size();
  });
  order.resize(count);
  return order;
}

PromptChoices choices_with_clauses(std::size_t domain, const std::vector<std::size_t>& clauses) {
  PromptChoices c;
  c.domain = domain;
  c.clause_count = clauses.size();
  for (std::size_t i = 0; i < clauses.size(); ++i) c.clauses[i] = static_cast<std::uint8_t>(clauses[i]);
  return c;
}

std::size_t clause_count_in(std::string_view enhanced) {
  const std::size_t label = enhanced.find(kRequirementsLabel);
  if (label == std::string_view::npos) return 0;
  std::size_t count = 1;
  for (std::size_t at = enhanced.find("; ", label); at != std::string_view::npos;
       at = enhanced.find("; ", at + 2))
    ++count;
  return count;
}

TEST(PromptBudget, PartsAreWellFormed) {
  // Clauses never contain the separator, no part holds the label, and everything is printable ASCII.
  for (std::size_t d = 0; d < kDomainCount; ++d) {
    const DomainParts& parts = parts_for(d);
    auto check = [&](std::string_view s) {
      EXPECT_FALSE(s.empty()) << kDomains[d].name;
      EXPECT_EQ(s.find("; "), std::string_view::npos) << s;
      EXPECT_EQ(s.find("Requirements"), std::string_view::npos) << s;
      for (char ch : s) EXPECT_TRUE(ch >= 0x20 && ch <= 0x7e) << s;
    };
    for (auto s : parts.verbs) check(s);
    for (auto s : parts.subjects) check(s);
    for (auto s : parts.audiences) check(s);
    for (auto s : parts.clauses) check(s);
    for (auto s : parts.contexts) check(s);
    // Enough clauses for the domain's highest complexity, and indices fit the choices' array.
    EXPECT_GE(parts.clauses.size(), static_cast<std::size_t>(range_of(d, Feature::kComplexity).high));
    EXPECT_LE(parts.clauses.size(), kMaxClauses);
    // The filler is shorter than the length range is wide, so padding cannot overshoot.
    EXPECT_LT(kFillerSentence.size(), range_of(d, Feature::kLength).high - range_of(d, Feature::kLength).low);
  }
}

TEST(PromptBudget, LongestEnhancedPromptFitsTheDomainMaximum) {
  for (std::size_t d = 0; d < kDomainCount; ++d) {
    const DomainParts& parts = parts_for(d);
    const Range length = range_of(d, Feature::kLength);
    const auto max_clauses = static_cast<std::size_t>(range_of(d, Feature::kComplexity).high);
    PromptChoices c = choices_with_clauses(d, clauses_by_length(parts, max_clauses, true));
    c.verb = longest(parts.verbs);
    c.subject = longest(parts.subjects);
    c.audience = longest(parts.audiences);
    for (std::size_t target :
         {std::size_t{0}, static_cast<std::size_t>(length.low), static_cast<std::size_t>(length.high)})
      for (std::size_t first = 0; first < parts.contexts.size(); ++first)
        for (std::size_t framing = 0; framing < kOriginalFramings.size(); ++framing) {
          c.target_length = target;
          c.first_context = first;
          c.framing = framing;
          PromptPair out;
          compose_prompts(c, out);
          EXPECT_LE(out.enhanced_length, length.high) << kDomains[d].name << ": " << out.enhanced_text();
          EXPECT_GE(out.enhanced_length, length.low) << kDomains[d].name << ": " << out.enhanced_text();
          EXPECT_EQ(clause_count_in(out.enhanced_text()), max_clauses) << out.enhanced_text();
          // The original is never truncated.
          const std::size_t expected_original =
              kOriginalFramings[framing].before.size() + parts.verbs[c.verb].size() + 1 +
              parts.subjects[c.subject].size() + kOriginalFramings[framing].after.size();
          EXPECT_EQ(out.original_length, expected_original);
          EXPECT_LT(out.original_length, kMaxOriginalLength);
        }
  }
}

TEST(PromptBudget, ShortestEnhancedPromptReachesTheDomainMinimum) {
  for (std::size_t d = 0; d < kDomainCount; ++d) {
    const DomainParts& parts = parts_for(d);
    const Range length = range_of(d, Feature::kLength);
    const auto min_clauses = static_cast<std::size_t>(range_of(d, Feature::kComplexity).low);
    PromptChoices c = choices_with_clauses(d, clauses_by_length(parts, min_clauses, false));
    c.verb = shortest(parts.verbs);
    c.subject = shortest(parts.subjects);
    c.audience = shortest(parts.audiences);
    for (std::size_t target : {std::size_t{0}, static_cast<std::size_t>(length.low)})
      for (std::size_t first = 0; first < parts.contexts.size(); ++first) {
        c.target_length = target;
        c.first_context = first;
        PromptPair out;
        compose_prompts(c, out);
        EXPECT_GE(out.enhanced_length, length.low) << kDomains[d].name << ": " << out.enhanced_text();
        // Padding stops as soon as the minimum is reached.
        EXPECT_LT(out.enhanced_length, length.low + kFillerSentence.size()) << out.enhanced_text();
        EXPECT_EQ(clause_count_in(out.enhanced_text()), min_clauses) << out.enhanced_text();
      }
  }
}

TEST(PromptBudget, EveryClauseCountAndTargetLandsInRange) {
  // Random other choices, every allowed clause count, every target in the range.
  std::mt19937_64 rng(17);
  for (std::size_t d = 0; d < kDomainCount; ++d) {
    const DomainParts& parts = parts_for(d);
    const Range length = range_of(d, Feature::kLength);
    const Range complexity = range_of(d, Feature::kComplexity);
    for (auto k = static_cast<std::size_t>(complexity.low); k <= static_cast<std::size_t>(complexity.high);
         ++k)
      for (auto target = static_cast<std::size_t>(length.low);
           target <= static_cast<std::size_t>(length.high); target += 3) {
        std::vector<std::size_t> pool(parts.clauses.size());
        std::iota(pool.begin(), pool.end(), 0);
        std::shuffle(pool.begin(), pool.end(), rng);
        pool.resize(k);
        PromptChoices c = choices_with_clauses(d, pool);
        c.verb = rng() % parts.verbs.size();
        c.subject = rng() % parts.subjects.size();
        c.framing = rng() % kOriginalFramings.size();
        c.audience = rng() % parts.audiences.size();
        c.first_context = rng() % parts.contexts.size();
        c.target_length = target;
        PromptPair out;
        compose_prompts(c, out);
        ASSERT_GE(out.enhanced_length, length.low) << out.enhanced_text();
        ASSERT_LE(out.enhanced_length, length.high) << out.enhanced_text();
        ASSERT_EQ(clause_count_in(out.enhanced_text()), k) << out.enhanced_text();
        // Context sentences never push the prompt past its target (or past the
        // length it has without any, when the fixed parts alone exceed the target).
        PromptChoices bare = c;
        bare.target_length = 0;
        PromptPair without_context;
        compose_prompts(bare, without_context);
        ASSERT_LE(out.enhanced_length, std::max<std::size_t>(target, without_context.enhanced_length))
            << out.enhanced_text();
      }
  }
}

TEST(PromptBudget, ComposesTheExpectedText) {
  // technical, "explain", the first subject, "can you ...?", "a backend team",
  // two clauses, no target: 56 + 54 characters of fixed text, padded to >= 150
  // with four filler sentences (162 characters).
  PromptChoices c = choices_with_clauses(0, {0, 1});
  c.framing = 2;
  PromptPair out;
  compose_prompts(c, out);
  EXPECT_EQ(out.original_text(), "can you explain a REST API for user accounts?");
  EXPECT_EQ(out.enhanced_text(),
            "Explain a REST API for user accounts for a backend team. Be thorough. Be thorough. Be thorough. "
            "Be thorough. Requirements: cite the error codes; show sample code.");
  EXPECT_EQ(out.enhanced_length, 162u);

  // With a target, context sentences fill the room in order from first_context
  // (wrapping around), skipping those that do not fit.
  c.target_length = 200;
  c.first_context = 5;
  compose_prompts(c, out);
  EXPECT_EQ(out.enhanced_text(),
            "Explain a REST API for user accounts for a backend team. Downtime is not acceptable. "
            "Assume PostgreSQL 15 on Linux. Legacy code must keep working. "
            "Requirements: cite the error codes; show sample code.");
  // 110 fixed + 28 + 31 (the 35-character sentence is skipped) + 31 = exactly the target.
  EXPECT_EQ(out.enhanced_length, 200u);
}

// True when text is well-formed UTF-8 without a NUL (what a text value may hold).
bool valid_text(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) return false;
    std::size_t extra = c < 0x80             ? 0
                        : (c & 0xe0) == 0xc0 ? 1
                        : (c & 0xf0) == 0xe0 ? 2
                        : (c & 0xf8) == 0xf0 ? 3
                                             : 9;
    if (extra == 9 || (extra == 1 && c < 0xc2) || i + extra >= text.size() + (extra ? 0 : 1)) return false;
    for (std::size_t k = 1; k <= extra; ++k)
      if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return false;
    i += extra + 1;
  }
  return true;
}

// Every length and complexity a fitted profile can carry: every vocabulary
// (the five domains and the neutral one), 0 to kMaxClauses clauses, targets
// from 0 past kMaxEnhancedText, minimum lengths below, at and above the
// target. The text is written up to its length (no NUL, no stale byte: the
// buffer is poisoned first), holds exactly the clauses asked for (none: no
// requirements sentence), stays within kMaxEnhancedText and lands within a
// short sentence of the target whenever the fixed parts allow.
TEST(PromptBudget, FittedPromptsOfEveryLengthAndComplexityAreWellFormed) {
  std::mt19937_64 rng(23);
  std::size_t composed = 0;
  for (std::size_t d = 0; d <= kNeutralParts; ++d) {
    const DomainParts& parts = parts_for(d);
    for (std::size_t k = 0; k <= kMaxClauses; ++k)
      for (std::size_t target = 0; target <= kMaxEnhancedText + 300; ++target) {
        std::vector<std::size_t> pool(parts.clauses.size());
        std::iota(pool.begin(), pool.end(), 0);
        std::shuffle(pool.begin(), pool.end(), rng);
        pool.resize(k);
        PromptChoices c = choices_with_clauses(d, pool);
        c.elaborate = true;
        c.verb = rng() % parts.verbs.size();
        c.subject = rng() % parts.subjects.size();
        c.framing = rng() % kOriginalFramings.size();
        c.audience = rng() % parts.audiences.size();
        c.first_context = rng() % parts.contexts.size();
        c.target_length = target;
        const std::size_t minimums[] = {1, target / 2 + 1, target + 1, kMaxEnhancedText + 1000};
        c.min_length = minimums[target % 4];
        PromptPair out;
        std::memset(&out, 0, sizeof out);
        compose_prompts(c, out);
        ++composed;
        const std::string_view enhanced = out.enhanced_text();
        ASSERT_TRUE(valid_text(enhanced)) << target << " " << k;
        ASSERT_TRUE(valid_text(out.original_text())) << out.original_text();
        for (char ch : enhanced) ASSERT_TRUE(ch >= 0x20 && ch <= 0x7e) << enhanced;
        ASSERT_GT(out.original_length, 0u);
        ASSERT_LE(out.enhanced_length, kMaxEnhancedText) << enhanced;
        ASSERT_EQ(clause_count_in(enhanced), k) << enhanced;
        ASSERT_EQ(enhanced.find("Requirements: ."), std::string_view::npos) << enhanced;
        ASSERT_EQ(enhanced.find(kFillerSentence), std::string_view::npos) << enhanced;
        ASSERT_EQ(enhanced.back(), '.') << enhanced;
        ASSERT_EQ(enhanced.find(".."), std::string_view::npos) << enhanced;
        // The same choices without a target: the fixed parts alone.
        PromptChoices bare = c;
        bare.target_length = 0;
        bare.min_length = 1;
        PromptPair fixed;
        compose_prompts(bare, fixed);
        const std::size_t wanted =
            std::min(std::max(target, std::min(c.min_length, kMaxEnhancedText)), kMaxEnhancedText);
        if (wanted >= fixed.enhanced_length) {
          ASSERT_GT(out.enhanced_length + 42, wanted) << "target " << target << ": " << enhanced;
          ASSERT_LT(out.enhanced_length, wanted + 42) << "target " << target << ": " << enhanced;
        } else {
          ASSERT_EQ(out.enhanced_length, fixed.enhanced_length) << enhanced;
        }
      }
  }
  EXPECT_GT(composed, 150000u);
}

TEST(PromptBudget, ZeroClausesGiveNoRequirementsSentence) {
  // 56 characters of fixed text, then context sentences (31, the 35 skipped,
  // 31) up to the target; no "Requirements: ." at the end. With a longer
  // target, the contexts that fit and then a general sentence (13 of the 15
  // characters left).
  PromptChoices c = choices_with_clauses(0, {});
  c.elaborate = true;
  c.min_length = 1;
  c.target_length = 118;
  PromptPair out;
  compose_prompts(c, out);
  EXPECT_EQ(out.enhanced_text(),
            "Explain a REST API for user accounts for a backend team. Assume PostgreSQL 15 on Linux. "
            "Legacy code must keep working.");
  EXPECT_EQ(out.enhanced_length, 118u);
  c.target_length = 200;
  compose_prompts(c, out);
  EXPECT_EQ(
      out.enhanced_text(),
      "Explain a REST API for user accounts for a backend team. Assume PostgreSQL 15 on Linux. "
      "The service handles 2k requests/s. Legacy code must keep working. Latency matters more than cost. "
      "Be specific.");
  EXPECT_EQ(out.enhanced_length, 198u);
}

}  // namespace
}  // namespace synth

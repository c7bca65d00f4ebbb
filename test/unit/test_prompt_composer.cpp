// The static length budget of src/engine/generate/prompt_parts.cpp: for every domain,
// the longest enhanced prompt the parts allow fits the domain's maximum length,
// and the shortest reaches its minimum (through padding), so the `length`
// feature always lies in the range of DESIGN.md §2 and equals the text's length.
#include <gtest/gtest.h>

#include <algorithm>
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

Range range_of(std::size_t domain, Feature f) { return kDomains[domain].feature_ranges[static_cast<std::size_t>(f)]; }

template <std::size_t N>
std::size_t longest(const std::array<std::string_view, N>& items) {
  return static_cast<std::size_t>(std::max_element(items.begin(), items.end(), [](auto a, auto b) {
                                    return a.size() < b.size();
                                  }) - items.begin());
}

template <std::size_t N>
std::size_t shortest(const std::array<std::string_view, N>& items) {
  return static_cast<std::size_t>(std::min_element(items.begin(), items.end(), [](auto a, auto b) {
                                    return a.size() < b.size();
                                  }) - items.begin());
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
  for (std::size_t at = enhanced.find("; ", label); at != std::string_view::npos; at = enhanced.find("; ", at + 2))
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
    for (std::size_t target : {std::size_t{0}, static_cast<std::size_t>(length.low),
                               static_cast<std::size_t>(length.high)})
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
          const std::size_t expected_original = kOriginalFramings[framing].before.size() + parts.verbs[c.verb].size() +
                                                1 + parts.subjects[c.subject].size() +
                                                kOriginalFramings[framing].after.size();
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
    for (auto k = static_cast<std::size_t>(complexity.low); k <= static_cast<std::size_t>(complexity.high); ++k)
      for (auto target = static_cast<std::size_t>(length.low); target <= static_cast<std::size_t>(length.high);
           target += 3) {
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

}  // namespace
}  // namespace synth

// The per-domain vocabulary prompts are composed from. Original prompts are
// short and weak ("explain X"); enhanced prompts name an audience, add context
// and list requirement clauses. Clause and phrase lengths are budgeted so every
// composed prompt fits its domain's length range (checked by a unit test).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <tuple>

#include "engine/generate/prompt_composer.hpp"
#include "engine/model/domain_table.hpp"

namespace synth {

struct DomainParts {
  std::array<std::string_view, 8> verbs;      // lower case; capitalised in the enhanced prompt
  std::array<std::string_view, 20> subjects;  // noun phrases
  std::array<std::string_view, 6> audiences;  // "for ..." in the enhanced prompt
  std::array<std::string_view, 12> clauses;   // requirement clauses
  std::array<std::string_view, 6> contexts;   // context sentences, used to reach the target length
};

// Framings of the weak original prompt: {verb} {subject} inside one of these.
struct OriginalFraming {
  std::string_view before;
  std::string_view after;
};
inline constexpr std::array<OriginalFraming, 4> kOriginalFramings = {
    {{"", ""}, {"please ", ""}, {"can you ", "?"}, {"i need you to ", ""}}};

// The (verb, subject, framing, audience, first context) combinations every
// domain offers, and the five choices read back from one index below it,
// digit by digit (mixed radix): one draw instead of five.
inline constexpr std::uint32_t kVerbs = std::tuple_size_v<decltype(DomainParts::verbs)>;
inline constexpr std::uint32_t kSubjects = std::tuple_size_v<decltype(DomainParts::subjects)>;
inline constexpr std::uint32_t kFramings = kOriginalFramings.size();
inline constexpr std::uint32_t kAudiences = std::tuple_size_v<decltype(DomainParts::audiences)>;
inline constexpr std::uint32_t kContexts = std::tuple_size_v<decltype(DomainParts::contexts)>;
inline constexpr std::uint32_t kTextChoices = kVerbs * kSubjects * kFramings * kAudiences * kContexts;
inline void set_text_choices(std::uint32_t text_pick, PromptChoices& choices) noexcept {
  choices.verb = text_pick % kVerbs;
  text_pick /= kVerbs;
  choices.subject = text_pick % kSubjects;
  text_pick /= kSubjects;
  choices.framing = text_pick % kFramings;
  text_pick /= kFramings;
  choices.audience = text_pick % kAudiences;
  text_pick /= kAudiences;
  choices.first_context = text_pick;
}

inline constexpr std::string_view kRequirementsLabel = "Requirements: ";
inline constexpr std::string_view kFillerSentence = " Be thorough.";

// General sentences that lengthen a fitted prompt past what its domain's
// context sentences reach (real prompts run to thousands of characters). In
// no particular order of length, so a greedy fill finds one for most of the
// room that is left; 1,083 characters in all.
inline constexpr std::array<std::string_view, 32> kElaborations = {
    " Explain the reasoning behind each choice.",
    " Say so when something is uncertain.",
    " Start with the most important point.",
    " Use concrete examples where they help.",
    " Keep the structure easy to follow.",
    " Avoid repeating what was already said.",
    " Point out any assumptions you make.",
    " Mention what could go wrong.",
    " Suggest a first step to take today.",
    " Keep each paragraph focused on one idea.",
    " Define any term a reader may not know.",
    " Note where more detail is available.",
    " Prefer short sentences to long ones.",
    " Compare at least two approaches.",
    " Give the answer before the details.",
    " Stay within the scope of the request.",
    " Flag anything that needs a decision.",
    " Show how the parts fit together.",
    " Write for someone reading it quickly.",
    " Close with a short recap.",
    " Call out the limits of the advice.",
    " Use numbers where they make it clearer.",
    " Order the points by priority.",
    " Separate facts from opinions.",
    " Check that every claim is supported.",
    " Leave out anything that is not needed.",
    " Name who should act on each point.",
    " Make the next steps easy to find.",
    " Keep the tone respectful.",
    " Ask for what is missing.",
    " Be specific.",
    " Stay on topic.",
};

// Every text of DomainParts is followed by at least this many readable bytes
// (the composer copies a part of up to 48 bytes in three fixed 16-byte moves).
inline constexpr std::size_t kPartPadding = 48;

// Parts of the five domains (0..kDomainCount-1), and at kNeutralParts a
// neutral vocabulary for domains of fitted data the design table does not know.
inline constexpr std::size_t kNeutralParts = kDomainCount;
const DomainParts& parts_for(std::size_t domain);

}  // namespace synth

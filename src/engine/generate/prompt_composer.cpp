#include "engine/generate/prompt_composer.hpp"

#include <cstring>

#include "engine/model/domain_table.hpp"
#include "engine/generate/prompt_parts.hpp"

namespace synth {
namespace {

// Room kept free at the end of each output buffer, for the bytes a padded
// copy writes past a part: a text that would reach into it is left out
// (never happens with the vocabulary's budgets and kMaxEnhancedText).
constexpr std::size_t kCutMargin = 16;
static_assert(kMaxEnhancedText + kCutMargin <= kMaxEnhancedLength);
// Parts up to this long are copied in three fixed 16-byte moves (every part
// of today's vocabulary), longer ones 16 bytes at a time.
constexpr std::size_t kShortPart = 48;
static_assert(kPartPadding >= kShortPart && kCutMargin >= 16 && kShortPart % 16 == 0);

// Copies a part of DomainParts (padded, see kPartPadding) in 16-byte moves:
// it may read and write up to 15 bytes past the text, which the arena and the
// output buffers' margin allow; the next append overwrites the excess.
inline void copy_padded(char* dst, const char* src, std::size_t n) {
  for (std::size_t done = 0; done < n; done += 16) std::memcpy(dst + done, src + done, 16);
}

// Appends into a fixed buffer. The part budgets keep every prompt far below
// the capacity; the capacity check keeps a future vocabulary edit from
// overflowing: a text that would not fit is left out whole, so the length
// never counts a byte that was not written.
class BoundedWriter {
 public:
  BoundedWriter(char* buffer, std::size_t capacity)
      : buffer_(buffer), end_(capacity), capacity_(capacity - kCutMargin) {}
  // For short literals of the composer itself.
  void append(std::string_view text) {
    if (text.size() > capacity_ - length_) return;
    std::memcpy(buffer_ + length_, text.data(), text.size());
    length_ += text.size();
  }
  // For texts of DomainParts. A short part is copied without a branch on its
  // length (a loop of 1 to 3 moves mispredicts its exit about every part);
  // the bytes written past it lie inside the buffer and are overwritten by
  // the next append or lie past the prompt's length.
  void append_part(std::string_view part) {
    if (part.size() > capacity_ - length_) return;
    char* dst = buffer_ + length_;
    if (part.size() <= kShortPart && length_ + kShortPart <= end_) {
      std::memcpy(dst, part.data(), 16);
      std::memcpy(dst + 16, part.data() + 16, 16);
      std::memcpy(dst + 32, part.data() + 32, 16);
    } else {
      copy_padded(dst, part.data(), part.size());
    }
    length_ += part.size();
  }
  void append_part_capitalised(std::string_view part) {
    std::size_t start = length_;
    append_part(part);
    if (length_ > start && buffer_[start] >= 'a' && buffer_[start] <= 'z')
      buffer_[start] = static_cast<char>(buffer_[start] - 'a' + 'A');
  }
  std::size_t length() const { return length_; }

 private:
  char* buffer_;
  std::size_t end_;       // the buffer's size
  std::size_t capacity_;  // end_ less the margin
  std::size_t length_ = 0;
};

// The requirements sentence: none without clauses.
std::size_t requirements_length(const DomainParts& parts, const PromptChoices& c) {
  if (c.clause_count == 0) return 0;
  std::size_t length = 1 + kRequirementsLabel.size() + 1;  // leading space, label, final period
  for (std::size_t i = 0; i < c.clause_count; ++i) length += parts.clauses[c.clauses[i]].size();
  if (c.clause_count > 1) length += 2 * (c.clause_count - 1);  // "; " separators
  return length;
}

constexpr std::size_t shortest_elaboration() {
  std::size_t shortest = kElaborations[0].size();
  for (std::string_view e : kElaborations) shortest = e.size() < shortest ? e.size() : shortest;
  return shortest;
}
constexpr std::size_t kShortestElaboration = shortest_elaboration();
static_assert(kShortestElaboration > 0);

}  // namespace

void compose_prompts(const PromptChoices& c, PromptPair& out) {
  const DomainParts& parts = parts_for(c.domain);
  const std::size_t min_length =
      c.min_length > 0 || c.domain >= kDomainCount
          ? c.min_length
          : static_cast<std::size_t>(
                kDomains[c.domain].feature_ranges[static_cast<std::size_t>(Feature::kLength)].low);
  const std::string_view verb = parts.verbs[c.verb];
  const std::string_view subject = parts.subjects[c.subject];
  const OriginalFraming& framing = kOriginalFramings[c.framing];

  BoundedWriter original(out.original, kMaxOriginalLength);
  original.append(framing.before);
  original.append_part(verb);
  original.append(" ");
  original.append_part(subject);
  original.append(framing.after);
  out.original_length = static_cast<std::uint16_t>(original.length());

  BoundedWriter enhanced(out.enhanced, kMaxEnhancedLength);
  enhanced.append_part_capitalised(verb);
  enhanced.append(" ");
  enhanced.append_part(subject);
  enhanced.append(" for ");
  enhanced.append_part(parts.audiences[c.audience]);
  enhanced.append(".");

  // Context sentences fill the room between the fixed parts and the target length.
  const std::size_t requirements = requirements_length(parts, c);
  const std::size_t fixed = enhanced.length() + requirements;
  const std::size_t target = c.target_length < kMaxEnhancedText ? c.target_length : kMaxEnhancedText;
  std::size_t room = target > fixed ? target - fixed : 0;
  for (std::size_t i = 0, k = c.first_context; i < parts.contexts.size() && room > 0; ++i) {
    std::string_view context = parts.contexts[k];
    k = k + 1 == parts.contexts.size() ? 0 : k + 1;
    if (context.size() > room) continue;
    enhanced.append_part(context);
    room -= context.size();
  }
  if (c.elaborate) {
    // Then the general sentences, round and round from a start the choices
    // give, each that fits; once a whole round fits none, the room left is
    // below what any could fill. Then up to the minimum length, whatever the
    // target, never past kMaxEnhancedText.
    std::size_t k = (c.first_context * 5 + c.verb) % kElaborations.size();
    auto next = [&k] { k = k + 1 == kElaborations.size() ? 0 : k + 1; };
    for (std::size_t misses = 0; room >= kShortestElaboration && misses < kElaborations.size(); next()) {
      if (kElaborations[k].size() > room) {
        ++misses;
        continue;
      }
      enhanced.append(kElaborations[k]);
      room -= kElaborations[k].size();
      misses = 0;
    }
    const std::size_t minimum = min_length < kMaxEnhancedText ? min_length : kMaxEnhancedText;
    for (std::size_t misses = 0; enhanced.length() + requirements < minimum && misses < kElaborations.size();
         next()) {
      if (enhanced.length() + requirements + kElaborations[k].size() > kMaxEnhancedText) {
        ++misses;
        continue;
      }
      enhanced.append(kElaborations[k]);
      misses = 0;
    }
  } else {
    // Never below the domain's minimum length: the filler is shorter than any range's width.
    while (enhanced.length() + requirements < min_length &&
           enhanced.length() + requirements + kFillerSentence.size() < kMaxEnhancedText)
      enhanced.append(kFillerSentence);
  }

  if (c.clause_count > 0) {
    enhanced.append(" ");
    enhanced.append(kRequirementsLabel);
    for (std::size_t i = 0; i < c.clause_count; ++i) {
      if (i) enhanced.append("; ");
      enhanced.append_part(parts.clauses[c.clauses[i]]);
    }
    enhanced.append(".");
  }
  out.enhanced_length = static_cast<std::uint16_t>(enhanced.length());
}

}  // namespace synth

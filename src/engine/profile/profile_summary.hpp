// A profile a person can read (synth_profile_summary, synth_profile_report):
// the domains with their rows and shares, per feature its range, median and
// whether it takes integers or a decimal grid, the strongest dependences, and
// what the profile gives away. A profile's own JSON holds every knot; this is
// the page and the small jsonb that say what those knots amount to.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "engine/profile/profile.hpp"

namespace synth {

// How many of the strongest pooled correlations the summary names.
inline constexpr std::size_t kSummaryDependences = 5;

struct FeatureSummary {
  std::string name;
  double min = 0, median = 0, max = 0;
  bool integer = false;
  std::optional<double> grid;  // 0.1 .. 0.000001: every real value lay on it (profile.decimal_grids; for
                               // a profile without them, 0.1 .. 0.001 when every pooled knot does); not
                               // for integers
};

struct DependenceSummary {
  std::string first, second;  // feature names, or "score"
  double correlation = 0;     // of normal scores, pooled
};

struct ProfileSummary {
  std::string hash;
  std::uint64_t rows = 0;
  std::vector<DomainProfile const*> domains;  // borrowed from the profile
  std::vector<FeatureSummary> features;
  FeatureSummary score;
  std::array<double, kBandCount> band_shares{};
  std::vector<DependenceSummary> dependences;  // strongest |correlation| first
  std::optional<PrivacyInfo> privacy;          // a private profile's guarantee
};

ProfileSummary summarize_profile(const Profile& profile);

// The small jsonb of synth_profile_summary; numbers rounded for a person
// (shares and correlations to 3 decimals, values to 10 significant digits).
std::string profile_summary_json(const Profile& profile);

// The page of synth_profile_report: at most `width` columns a line.
std::vector<std::string> profile_summary_page(const Profile& profile, std::size_t width = 78);

// The privacy sentence both forms carry: kProfilePrivacyNote for a profile
// fitted without privacy, the guarantee for a private one.
extern const char* const kProfilePrivacyNote;
std::string profile_privacy_note(const Profile& profile);
// A private profile fitted with seeded noise (its mechanism says so): not
// private to whoever knows the seed.
bool seeded_noise(const PrivacyInfo& info);

}  // namespace synth

// The readable summary of a profile: the facts it names come from the
// profile, its numbers are rounded for a person, and its page fits 78 columns.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/model/page_text.hpp"
#include "engine/profile/profile_fit.hpp"
#include "engine/profile/profile_summary.hpp"

namespace synth {
namespace {

Profile small_profile() {
  ProfileFitter fitter;
  for (int g = 1; g <= 300; ++g) {
    const double score = ((g * 37) % 100) / 100.0;
    const double features[3] = {static_cast<double>((g * 13) % 9), ((g * 7) % 50) / 10.0 + 1e-7 * g,
                                score * 5 + ((g * 11) % 10) / 1000.0};
    fitter.add(g % 3 == 0 ? "billing" : "technical", features, 3, score);
  }
  return fitter.fit({"length", "clarity", "specificity"});
}

TEST(ProfileSummary, NamesDomainsFeaturesAndExtremes) {
  const Profile profile = small_profile();
  const ProfileSummary s = summarize_profile(profile);
  ASSERT_EQ(s.domains.size(), 2u);
  EXPECT_EQ(s.domains[0]->name, "billing");
  EXPECT_EQ(s.domains[0]->rows, 100u);
  ASSERT_EQ(s.features.size(), 3u);
  EXPECT_TRUE(s.features[0].integer);
  EXPECT_FALSE(s.features[1].integer);
  EXPECT_EQ(s.features[0].min, 0.0);
  EXPECT_EQ(s.features[0].max, 8.0);
  EXPECT_EQ(s.hash, profile_hash(profile));
  // The score follows specificity closely: the strongest pair.
  ASSERT_FALSE(s.dependences.empty());
  EXPECT_EQ(s.dependences[0].first, "specificity");
  EXPECT_EQ(s.dependences[0].second, "score");
  EXPECT_LE(s.dependences.size(), kSummaryDependences);
}

TEST(ProfileSummary, JsonIsSmallRoundedAndSaysItIsNotPrivate) {
  const Profile profile = small_profile();
  const std::string json = profile_summary_json(profile);
  EXPECT_LT(json.size() * 5, profile_json(profile).size());
  EXPECT_NE(json.find("\"share\": 0.333"), std::string::npos) << json;
  EXPECT_NE(json.find("\"private\": false"), std::string::npos);
  EXPECT_NE(json.find("observed minimum and maximum"), std::string::npos);
  EXPECT_EQ(json.find("0000000"), std::string::npos) << json;  // no float noise
}

TEST(ProfileSummary, PageFitsItsWidth) {
  const std::vector<std::string> page = profile_summary_page(small_profile());
  ASSERT_GT(page.size(), 10u);
  for (const std::string& line : page) EXPECT_LE(display_width(line), 78u) << line;
  bool privacy = false;
  for (const std::string& line : page) privacy = privacy || line == "Privacy";
  EXPECT_TRUE(privacy);
}

}  // namespace
}  // namespace synth

// The readable summary of a profile: see profile_summary.hpp.
#include "engine/profile/profile_summary.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "engine/model/json_writer.hpp"
#include "engine/model/number_text.hpp"
#include "engine/model/page_text.hpp"

namespace synth {

const char* const kProfilePrivacyNote =
    "not private: the first and last knots of every marginal are the observed minimum and maximum of the "
    "real "
    "rows, and the other knots are their quantiles; share a profile only with whoever may read the real rows";

bool seeded_noise(const PrivacyInfo& info) { return info.mechanism.find("seeded") != std::string::npos; }

std::string profile_privacy_note(const Profile& profile) {
  if (!profile.privacy) return kProfilePrivacyNote;
  const PrivacyInfo& info = *profile.privacy;
  if (seeded_noise(info))
    return "not private: fitted with seeded noise (" + info.mechanism +
           "), which whoever knows the seed can subtract to get the statistics exactly; without the seed it "
           "would be (epsilon " +
           format_readable(info.epsilon) + ", delta " + format_readable(info.delta) +
           "); a seed is for tests and must never be reused across fits";
  return "differentially private: (epsilon " + format_readable(info.epsilon) + ", delta " +
         format_readable(info.delta) + ") with respect to adding or removing one real row (" +
         format_readable(info.rho) + "-zCDP, " + info.mechanism + " noise, bounds " + info.bounds_source +
         "); every number in it comes from noisy statistics, and its first and last knots are grid "
         "points or values many rows share, not observed extremes";
}

namespace {

// A median to 4 significant digits: where the middle lies, not a knot's last bits.
double significant(double x) {
  if (!(x != 0) || !std::isfinite(x)) return x;
  const double scale = std::pow(10.0, 3 - std::floor(std::log10(std::fabs(x))));
  return std::isfinite(scale) && scale > 0 ? std::nearbyint(x * scale) / scale + 0.0 : x;
}
// A number right-aligned in `width` columns, never cut: a longer one is set off by a blank.
std::string cell(const std::string& text, std::size_t width) {
  return text.size() >= width ? " " + text : pad_left(text, width);
}

// The coarsest decimal step (1e-1 .. 1e-3) every knot is a multiple of, if any.
std::optional<double> decimal_grid(const Marginal& m) {
  for (int decimals = 1; decimals <= 3; ++decimals) {
    const double scale = std::pow(10.0, decimals);
    const bool on_grid = std::all_of(m.knots.begin(), m.knots.end(), [scale](double x) {
      const double scaled = x * scale;
      return std::fabs(scaled) < 1e12 && std::fabs(scaled - std::nearbyint(scaled)) <= 1e-6;
    });
    if (on_grid) return 1.0 / scale;
  }
  return std::nullopt;
}

FeatureSummary summarize_marginal(std::string name, const Marginal& m, bool integer, int learned_grid = -1) {
  FeatureSummary f;
  f.name = std::move(name);
  f.min = m.min();
  f.median = significant(m.quantile(0.5));
  f.max = m.max();
  f.integer = integer;
  // The grid the fit learned (every real value on it), else (a profile from
  // before grids were kept) the one every knot lies on.
  if (!integer)
    f.grid = learned_grid > 0 ? std::optional<double>(std::pow(10.0, -learned_grid)) : decimal_grid(m);
  return f;
}

// x as a person reads it, and as a JSON number of the same digits.
double readable(double x) { return parse_decimal(format_readable(x)).value; }
double rounded(double x, double scale = 1000.0) { return std::nearbyint(x * scale) / scale + 0.0; }
std::string percent(double share) { return format_readable(rounded(share * 100.0, 10.0)) + "%"; }

std::string kind_text(const FeatureSummary& f) {
  if (f.integer) return "integer";
  if (f.grid) return "grid " + format_readable(*f.grid);
  return "continuous";
}

}  // namespace

ProfileSummary summarize_profile(const Profile& p) {
  ProfileSummary s;
  s.hash = profile_hash(p);
  s.rows = p.rows;
  for (const DomainProfile& d : p.domains) s.domains.push_back(&d);
  const std::size_t d = p.dimension();
  for (std::size_t f = 0; f < d; ++f)
    s.features.push_back(summarize_marginal(p.feature_names[f], p.pooled.features[f], p.integer_features[f],
                                            f < p.decimal_grids.size() ? p.decimal_grids[f] : -1));
  s.score = summarize_marginal("score", p.pooled.score, false);
  s.band_shares = p.band_shares;
  s.privacy = p.privacy;
  const std::size_t width = d + 1;
  auto name = [&](std::size_t i) { return i == d ? std::string("score") : p.feature_names[i]; };
  for (std::size_t a = 0; a < width; ++a)
    for (std::size_t b = a + 1; b < width; ++b)
      s.dependences.push_back({name(a), name(b), p.pooled.correlation[a * width + b]});
  std::stable_sort(s.dependences.begin(), s.dependences.end(),
                   [](const DependenceSummary& x, const DependenceSummary& y) {
                     return std::fabs(x.correlation) > std::fabs(y.correlation);
                   });
  if (s.dependences.size() > kSummaryDependences) s.dependences.resize(kSummaryDependences);
  return s;
}

std::string profile_summary_json(const Profile& p) {
  const ProfileSummary s = summarize_profile(p);
  JsonWriter w;
  auto feature = [&w](const FeatureSummary& f, bool with_kind) {
    w.begin_object().key("name").string(f.name);
    w.key("min")
        .number(readable(f.min))
        .key("median")
        .number(readable(f.median))
        .key("max")
        .number(readable(f.max));
    if (with_kind) {
      w.key("integer").boolean(f.integer).key("grid");
      if (f.grid)
        w.number(*f.grid);
      else
        w.null();
    }
    w.end_object();
  };
  w.begin_object();
  w.key("profile_hash").string(s.hash);
  w.key("rows").count(s.rows);
  w.key("dimension").count(s.features.size());
  w.key("domains").begin_array();
  for (const DomainProfile* d : s.domains) {
    w.begin_object().key("name").string(d->name).key("rows").count(d->rows);
    w.key("share").number(rounded(d->share)).key("borrowed").boolean(d->borrowed).end_object();
  }
  w.end_array();
  w.key("features").begin_array();
  for (const FeatureSummary& f : s.features) feature(f, true);
  w.end_array();
  w.key("score");
  feature(s.score, false);
  w.key("band_shares").begin_object();
  for (std::size_t b = 0; b < kBandCount; ++b) w.key(kBandNames[b]).number(rounded(s.band_shares[b]));
  w.end_object();
  w.key("strongest_correlations").begin_array();
  for (const DependenceSummary& c : s.dependences)
    w.begin_object()
        .key("a")
        .string(c.first)
        .key("b")
        .string(c.second)
        .key("correlation")
        .number(rounded(c.correlation))
        .end_object();
  w.end_array();
  w.key("privacy").begin_object().key("private").boolean(s.privacy.has_value() && !seeded_noise(*s.privacy));
  if (s.privacy) {
    w.key("epsilon").number(s.privacy->epsilon).key("delta").number(s.privacy->delta);
    w.key("rho").number(s.privacy->rho).key("mechanism").string(s.privacy->mechanism);
    w.key("bounds_source").string(s.privacy->bounds_source);
    w.key("seeded").boolean(seeded_noise(*s.privacy));
  }
  // Said in so many words: a profile that is not private carries the real
  // rows' observed minimum and maximum as its first and last knots.
  w.key("holds_real_extremes").boolean(!s.privacy.has_value());
  w.key("note").string(profile_privacy_note(p)).end_object();
  w.end_object();
  return w.take();
}

std::vector<std::string> profile_summary_page(const Profile& p, std::size_t width) {
  const ProfileSummary s = summarize_profile(p);
  std::vector<std::string> lines;
  auto line = [&](const std::string& text) {
    std::string clipped = clip(text, width);
    clipped.erase(clipped.find_last_not_of(' ') + 1);
    lines.push_back(std::move(clipped));
  };
  // A sentence wrapped at word boundaries, each line indented.
  auto paragraph = [&](std::string_view text, std::size_t indent) {
    std::string current(indent, ' ');
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find(' ', start);
      if (end == std::string_view::npos) end = text.size();
      const std::string_view word = text.substr(start, end - start);
      if (display_width(current) > indent && display_width(current) + 1 + display_width(word) > width) {
        line(current);
        current.assign(indent, ' ');
      }
      if (display_width(current) > indent) current += ' ';
      current += word;
      start = end + 1;
    }
    if (display_width(current) > indent) line(current);
  };

  line("synthdata profile " + s.hash);
  line(std::to_string(s.rows) + " real rows fitted, " + std::to_string(s.features.size()) + " features, " +
       std::to_string(s.domains.size()) + (s.domains.size() == 1 ? " domain" : " domains"));
  line("");
  line("Domains (borrowed: too few rows, sampled from the pooled model)");
  line("  " + pad_right("domain", 24) + pad_left("rows", 10) + pad_left("share", 9));
  for (const DomainProfile* d : s.domains)
    line("  " + pad_right(d->name, 24) + pad_left(std::to_string(d->rows), 10) +
         pad_left(percent(d->share), 9) + (d->borrowed ? "  borrowed" : ""));
  line("");
  line("Features (pooled over every domain)");
  line("  " + pad_right("feature", 22) + pad_left("min", 12) + pad_left("median", 12) + pad_left("max", 12) +
       "  kind");
  auto feature_line = [&](const FeatureSummary& f, const std::string& kind) {
    line("  " + pad_right(f.name, 22) + cell(format_readable(f.min), 12) +
         cell(format_readable(f.median), 12) + cell(format_readable(f.max), 12) + "  " + kind);
  };
  for (const FeatureSummary& f : s.features) feature_line(f, kind_text(f));
  feature_line(s.score, "the score");
  std::string bands = "  score bands:";
  for (std::size_t b = 0; b < kBandCount; ++b)
    bands += std::string(b ? "," : "") + " " + std::string(kBandNames[b]) + " " + percent(s.band_shares[b]);
  line(bands);
  line("");
  line("Strongest dependences (pooled correlation of normal scores, -1..1)");
  for (const DependenceSummary& c : s.dependences)
    line("  " + pad_right(clip(c.first, 30) + " ~ " + clip(c.second, 30), 50) +
         pad_left(fixed(rounded(c.correlation), 3), 8));
  if (s.dependences.empty()) line("  (one column only)");
  line("");
  line("Privacy");
  paragraph(profile_privacy_note(p), 2);
  return lines;
}

}  // namespace synth

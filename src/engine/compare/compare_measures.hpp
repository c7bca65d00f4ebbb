// The measures compare_sides runs, one file each: the bounded samples they
// share (compare_report.cpp), detection, efficacy and privacy (quality has
// compare_quality.hpp). Internal to the compare wing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/compare/compare_quality.hpp"
#include "engine/compare/compare_report.hpp"
#include "engine/compare/compare_sampling.hpp"

namespace synth::compare {

// The bounded, seeded samples of every measure, drawn in one fixed order.
struct Samples {
  SideColumns boot_real, boot_synthetic;    // quality replicates
  SideColumns model_real, model_synthetic;  // detection and efficacy
  SideColumns dcr_queries, dcr_reference;   // synthetic rows, and the real rows they are measured to
  std::size_t holdout_rows = 0;             // with a holdout: equal samples of real and holdout rows
  SideColumns holdout_real, holdout_reference;
  SideColumns model_holdout;         // the ceiling's detection and the augmentation's test rows
  std::vector<SideColumns> augment;  // synthetic rows added: the loader's count, then the caller's
};

// Detection of `b` (label 1) against `a` (label 0) on the model samples.
DetectionFigures measure_detection(const SideColumns& a, const SideColumns& b, std::size_t numeric,
                                   std::size_t categories, int bootstrap, Random& random);

// Efficacy: does a model of "score above the real median" trained on the
// synthetic rows rank the real rows as one trained on real rows does.
void measure_efficacy(std::size_t dimension, std::size_t categories, const Samples& samples,
                      double median_score, int bootstrap, Random& random, CompareReport& report);

// Synthetic feature vectors equal to a real one, over every row (before any sort).
std::uint64_t count_exact_copies(const SideColumns& real, const SideColumns& synthetic);

// Exact-copy share, DCR and, with a holdout, closer_to_real; `real` sorted
// (its ends give each column's range).
void measure_privacy(const QualityLayout& layout, const SideColumns& real, const Samples& samples,
                     bool holdout, const CompareOptions& options, CompareReport& report);

// With a holdout: quality (every row) and detection (model samples) of the
// synthetic rows and of the real rows, each against the holdout. `real` and
// `synthetic` sorted, with their pair figures from before the sort; the
// holdout's columns in row order (sorted on return).
HoldoutFigures measure_against_holdout(const QualityLayout& layout, SideColumns& holdout,
                                       const SideColumns& real, const SidePairs& real_pairs,
                                       const SideColumns& synthetic, const SidePairs& synthetic_pairs,
                                       const Samples& samples, const CompareOptions& options);

// With a holdout: the model trained on the real model sample alone and with
// each of samples.augment added, scored on samples.model_holdout.
AugmentFigures measure_augmentation(std::size_t dimension, std::size_t categories, const Samples& samples,
                                    const std::vector<double>& ratios, int bootstrap, Random& random);

}  // namespace synth::compare

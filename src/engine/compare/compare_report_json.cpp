// The comparison as JSON text, for synth_compare (which turns it into jsonb).
#include <cmath>
#include <cstdint>
#include <string>

#include "engine/compare/compare_detail.hpp"
#include "engine/compare/compare_report.hpp"
#include "engine/model/json_writer.hpp"

namespace synth {
namespace {

JsonWriter& interval(JsonWriter& j, const Interval& i) {
  if (!std::isfinite(i.low) || !std::isfinite(i.high)) return j.null();
  return j.begin_array().number(i.low).number(i.high).end_array();
}

void side(JsonWriter& j, const SideFacts& s) {
  j.begin_object();
  j.key("table").string(s.source.table);
  j.key("layout").string(s.source.layout);
  j.key("column_type").string(s.source.column_type);
  j.key("data_source").string_or_null(s.source.data_source);
  j.key("real_sources").string_or_null(s.source.sources);
  j.key("only_active").boolean(s.source.only_active);
  j.key("rows_read").count(s.rows_read);
  j.key("rows").count(s.rows);
  std::uint64_t invalid = 0;
  for (std::uint64_t n : s.invalid) invalid += n;
  j.key("invalid_rows").count(invalid);
  j.key("invalid").begin_object();
  for (std::size_t k = 0; k < kInvalidReasonCount; ++k) j.key(kInvalidReasonNames[k]).count(s.invalid[k]);
  j.end_object();
  j.key("dimension").count(s.dimension);
  j.key("has_domain").boolean(s.has_domain);
  j.end_object();
}

void rows(JsonWriter& j, std::uint64_t real, std::uint64_t synthetic) {
  j.key("rows").begin_object().key("real").count(real).key("synthetic").count(synthetic).end_object();
}

void detail_side(JsonWriter& j, const DetailSide& s, bool numeric) {
  j.begin_object().key("rows").count(s.rows);
  j.key("counts").begin_array();
  for (std::uint64_t n : s.counts) j.count(n);
  j.end_array();
  if (numeric) {
    j.key("quantiles").begin_array();
    for (double q : s.quantiles) j.number(q);
    j.end_array();
  }
  j.end_object();
}

void matrix(JsonWriter& j, const std::vector<std::vector<double>>& m) {
  j.begin_array();
  for (const std::vector<double>& row : m) {
    j.begin_array();
    for (double x : row) j.number(x);
    j.end_array();
  }
  j.end_array();
}

}  // namespace

std::string compare_detail_json(const CompareDetail& d) {
  JsonWriter j;
  j.begin_object();
  j.key("columns").begin_array();
  for (const std::string& c : d.columns) j.string(c);
  j.end_array();
  j.key("real");
  side(j, d.real);
  j.key("synthetic");
  side(j, d.synthetic);
  j.key("holdout");
  if (d.holdout)
    side(j, *d.holdout);
  else
    j.null();
  j.key("bins").count(static_cast<std::uint64_t>(d.bins));
  j.key("quantile_levels").begin_array();
  for (double q : kDetailQuantiles) j.number(q);
  j.end_array();
  j.key("distributions").begin_array();
  for (const DetailColumn& c : d.distributions) {
    j.begin_object().key("name").string(c.name);
    j.key("kind").string(c.categorical ? "categorical" : "numeric");
    j.key("metric").string(c.metric).key("score").number(c.score);
    if (c.categorical) {
      j.key("categories").begin_array();
      for (const std::string& name : c.categories) j.string(name);
      j.end_array();
    } else {
      j.key("integers").boolean(c.integers);
      j.key("edges").begin_array();
      for (double e : c.edges) j.number(e);
      j.end_array();
    }
    j.key("real");
    detail_side(j, c.real, !c.categorical);
    j.key("synthetic");
    detail_side(j, c.synthetic, !c.categorical);
    j.key("holdout");
    if (c.holdout)
      detail_side(j, *c.holdout, !c.categorical);
    else
      j.null();
    j.end_object();
  }
  j.end_array();
  j.key("correlations").begin_object();
  j.key("method").string("pearson");
  j.key("columns").begin_array();
  for (const std::string& c : d.correlation_columns) j.string(c);
  j.end_array();
  j.key("real");
  matrix(j, d.real_correlation);
  j.key("synthetic");
  matrix(j, d.synthetic_correlation);
  j.key("holdout");
  if (d.holdout)
    matrix(j, d.holdout_correlation);
  else
    j.null();
  j.end_object();
  j.end_object();
  return j.take();
}

// synthetic and ceiling side by side: {"synthetic": x, "ceiling": y}.
void beside(JsonWriter& j, const char* key, double synthetic, double ceiling) {
  j.key(key).begin_object().key("synthetic").number(synthetic).key("ceiling").number(ceiling).end_object();
}

void against_holdout(JsonWriter& j, const CompareReport& r) {
  j.key("against_holdout");
  if (!r.against_holdout) {
    j.null();
    return;
  }
  const HoldoutFigures& h = *r.against_holdout;
  j.begin_object();
  beside(j, "quality", h.quality, h.quality_ceiling);
  beside(j, "column_shapes", h.shapes, h.shapes_ceiling);
  beside(j, "column_pair_trends", h.trends, h.trends_ceiling);
  beside(j, "detection", h.detection, h.detection_ceiling);
  j.key("columns").begin_array();
  for (std::size_t c = 0; c < h.column_shapes.size() && c < r.shape_columns.size(); ++c) {
    j.begin_object()
        .key("name")
        .string(r.shape_columns[c].name)
        .key("metric")
        .string(r.shape_columns[c].metric);
    j.key("synthetic").number(h.column_shapes[c]).key("ceiling").number(h.column_ceilings[c]).end_object();
  }
  j.end_array();
  j.key("rows").begin_object().key("holdout").count(h.rows).end_object();
  j.key("detection_rows").begin_object().key("holdout").count(h.model_rows_holdout);
  j.key("real").count(h.model_rows_real).key("synthetic").count(h.model_rows_synthetic).end_object();
  j.end_object();
}

void augmentation(JsonWriter& j, const CompareReport& r) {
  j.key("augmentation");
  if (!r.augmentation) {
    j.null();
    return;
  }
  const AugmentFigures& a = *r.augmentation;
  j.begin_object();
  j.key("model").string(
      "logistic regression on the features; a row is high above its training rows' median score");
  j.key("metric").string("accuracy on the holdout");
  j.key("real_rows").count(a.real_rows).key("holdout_rows").count(a.holdout_rows);
  j.key("real_accuracy").number(a.real_accuracy);
  for (const AugmentArm& arm : a.arms) {
    j.key(arm.name.c_str()).begin_object();
    j.key("ratio").number(arm.ratio).key("synthetic_rows").count(arm.synthetic_rows);
    j.key("accuracy").number(arm.accuracy).key("difference").number(arm.difference);
    interval(j.key("interval"), arm.interval).end_object();
  }
  j.end_object();
}

std::string compare_report_json(const CompareReport& r) {
  JsonWriter j;
  j.begin_object();
  j.key("columns").begin_array();
  for (const std::string& c : r.columns) j.string(c);
  j.end_array();
  j.key("real");
  side(j, r.real);
  j.key("synthetic");
  side(j, r.synthetic);
  j.key("holdout");
  if (r.holdout)
    side(j, *r.holdout);
  else
    j.null();
  j.key("bootstrap").begin_object();
  j.key("replicates").count(static_cast<std::uint64_t>(r.bootstrap));
  j.key("seed").integer(static_cast<std::int64_t>(r.seed));
  j.key("level").number(0.95);
  rows(j, r.bootstrap_rows_real, r.bootstrap_rows_synthetic);
  j.end_object();

  j.key("quality").begin_object();
  j.key("score").number(r.quality);
  interval(j.key("interval"), r.quality_interval);
  rows(j, r.real.rows, r.synthetic.rows);
  j.key("column_shapes").begin_object();
  j.key("score").number(r.shapes);
  interval(j.key("interval"), r.shapes_interval);
  j.key("columns").begin_array();
  for (const ColumnShape& c : r.shape_columns) {
    j.begin_object().key("name").string(c.name).key("metric").string(c.metric).key("score").number(c.score);
    interval(j.key("interval"), c.interval).end_object();
  }
  j.end_array().end_object();
  j.key("column_pair_trends").begin_object();
  j.key("score").number(r.trends);
  interval(j.key("interval"), r.trends_interval);
  j.key("counted").count(r.counted_pairs);
  j.key("pairs").begin_array();
  for (const PairTrend& p : r.pairs) {
    j.begin_object().key("columns").begin_array().string(p.first).string(p.second).end_array();
    j.key("metric").string(p.metric).key("score").number(p.score);
    j.key("real").number(p.real).key("synthetic").number(p.synthetic).key("counted").boolean(p.counted);
    interval(j.key("interval"), p.interval).end_object();
  }
  j.end_array().end_object();
  j.end_object();

  j.key("detection").begin_object();
  j.key("metric").string("LogisticDetection");
  j.key("score").number(r.detection.score);
  interval(j.key("interval"), r.detection.interval);
  j.key("auc").number(r.detection.auc);
  j.key("folds").count(r.detection.folds);
  rows(j, r.detection.rows_real, r.detection.rows_synthetic);
  j.end_object();

  j.key("efficacy").begin_object();
  j.key("threshold").number(r.efficacy.threshold);
  j.key("tstr_auc").number(r.efficacy.tstr_auc);
  interval(j.key("tstr_interval"), r.efficacy.tstr_interval);
  j.key("trtr_auc").number(r.efficacy.trtr_auc);
  interval(j.key("trtr_interval"), r.efficacy.trtr_interval);
  j.key("trtr_low").number(r.efficacy.trtr_low);
  j.key("above_chance").boolean(r.efficacy.above_chance);
  j.key("ratio").number(r.efficacy.ratio);
  interval(j.key("ratio_interval"), r.efficacy.ratio_interval);
  j.key("folds").count(kFolds);
  rows(j, r.efficacy.rows_real, r.efficacy.rows_synthetic);
  j.end_object();

  const auto& p = r.privacy;
  j.key("privacy").begin_object();
  j.key("exact_copies").count(p.exact_copies);
  j.key("exact_copy_share").number(p.exact_copy_share);
  interval(j.key("exact_copy_interval"), p.exact_copy_interval);
  j.key("rows_checked").count(p.rows_checked);
  j.key("dcr_median").number(p.dcr_median);
  interval(j.key("dcr_interval"), p.dcr_interval);
  rows(j, p.dcr_rows_real, p.dcr_rows_synthetic);
  j.key("holdout");
  if (p.has_holdout) {
    interval(j.begin_object().key("closer_to_real").number(p.closer_to_real).key("interval"),
             p.closer_interval);
    j.key("rows").count(p.holdout_rows).end_object();
  } else {
    j.null();
  }
  j.end_object();
  against_holdout(j, r);
  augmentation(j, r);
  j.end_object();
  return j.take();
}

}  // namespace synth

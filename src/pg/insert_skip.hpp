// skip_if_present of synth_insert: whether the target already holds
// synthetic rows (a cold start) or rows of this slice of this dataset, each
// looked up under an advisory lock with a fresh snapshot, so concurrent
// loads of one table or one slice wait for each other.
#pragma once

#include <string>

#include "engine/generate/enhancement_document.hpp"
#include "engine/generate/generator_options.hpp"
#include "engine/generate/table_layout.hpp"
#include "pg/insert_target.hpp"
#include "pg/postgres.hpp"

namespace synth::pg {

// What names a dataset in its rows' metadata besides seed and n: the
// generator_version, and either the profile's hash and the domain_weights of
// a fitted call or the design table's options. Plain data, palloc'd.
struct DatasetNames {
  bool fitted;
  const char* profile_hash;  // fitted only
  // Design: {label_noise, tier_shares, domain_weights} as a jsonb column holds
  // them (numbers to 15 digits) and as a json column does (the shortest
  // text); fitted: the domain_weights, twice (both columns hold the same).
  Datum options[2];
};

// The names of a dataset, from its options as the documents write them
// (write_options_json for the design table, write_domain_weights_json for a
// profile) and, fitted, the profile's hash; `design` gives the jsonb form of
// the design table's options.
DatasetNames dataset_names(bool fitted, const std::string& options_text, const std::string& profile_hash,
                           const DocumentContext& design);

// Both run inside synth_insert's guard, connected to SPI: backend calls only.
// Whether the target holds any synthetic row (skip_if_present without a slice).
bool holds_synthetic_rows(Oid relid, const TargetTable& t, Layout layout);

// skip_if_present for a slice: whether the table already holds a synthetic
// row of this slice, i.e. of this dataset (what its document's metadata says
// of it: seed, n, generator_version, the profile's hash or its absence, and
// the options) with a sample_id in [start, start + count). Serialised per
// (table, seed, n, slice) rather than per table, so the slices of one load
// run side by side while a retry of a slice waits for the first attempt. A
// flat table keeps no metadata: there any synthetic row in the sample_id
// range counts.
bool holds_slice_rows(Oid relid, const TargetTable& t, const InsertPlan& plan,
                      const GeneratorOptions& options, SliceRange slice, const DatasetNames& names);

}  // namespace synth::pg

// Start, progress and end of a long run as NOTICEs, one line each, governed by
// synthdata.progress_interval (rows between progress lines; 0: none). A run
// too short for a progress line says nothing at all.
#pragma once

#include <cstdint>
#include <string>

#include "engine/rows/observation_sink.hpp"
#include "pg/postgres.hpp"

namespace synth::pg {

// Rows between progress lines, 0 when progress is off.
std::int64_t progress_interval();

// A read of a table's rows (synth_fit, synth_compare, synth_refresh's fit):
// "synth_fit: reading public.t (about 3000000 rows in the table)",
// "synth_fit: 1000000 rows read from public.t", "synth_fit: read 3000000 rows
// of public.t" (its DETAIL: "It took 4.2 s."). How many rows a read keeps is
// known only at its end (the table's size is the planner's estimate, and a
// filter keeps some of them), so the start line comes with the first progress
// line: a read shorter than the interval says nothing.
class ReadProgress final : public ObservationSink {
 public:
  ReadProgress(ObservationSink& next, const char* function, Oid relid);
  void add(const RowObservation& row) override;
  // The end line, when the start line was said.
  void finish();

 private:
  void start();

  ObservationSink& next_;
  const char* function_;
  std::string table_;
  std::string estimate_;
  std::int64_t interval_;
  std::uint64_t rows_ = 0;
  bool started_ = false;
  TimestampTz began_ = 0;
};

// synth_insert's end line after its progress lines ("synth_insert: 300000 rows
// inserted into public.t", its DETAIL saying how long it took); said only when n is above the interval,
// as the progress lines and the start line are.
void insert_finished(const char* table, std::int64_t inserted, std::int64_t n, TimestampTz began);

}  // namespace synth::pg

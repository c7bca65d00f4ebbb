// Where a table reader delivers the rows it observed: the quality report's
// accumulator, the profile fit, synth_refresh's digest, the comparison's
// columns. One virtual call a row, made from the reader's batches.
#pragma once

#include "engine/rows/row_observation.hpp"

namespace synth {

class ObservationSink {
 public:
  virtual ~ObservationSink() = default;
  // May throw; the reader stops the query and rethrows once it is safe.
  virtual void add(const RowObservation& row) = 0;
};

}  // namespace synth

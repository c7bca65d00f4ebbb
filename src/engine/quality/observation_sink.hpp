// Where a table reader delivers the rows it observed: the quality accumulator
// for synth_validate, the profile fit, the comparison's columns. One virtual
// call a row, made from the reader's batches.
#pragma once

#include "engine/quality/quality_observation.hpp"

namespace synth {

class ObservationSink {
 public:
  virtual ~ObservationSink() = default;
  // May throw; the reader stops the query and rethrows once it is safe.
  virtual void add(const RowObservation& row) = 0;
};

}  // namespace synth

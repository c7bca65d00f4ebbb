// The one place that names every row source (see row_source.hpp) and picks
// the one a call asks for: rows drawn from a profile when it passes one, the
// design table's rows otherwise.
#pragma once

#include "pg/design_rows.hpp"
#include "pg/fitted_rows.hpp"

namespace synth::pg {

template <typename Source>
struct SourceTag {
  using type = Source;
};

inline bool has_profile(FunctionCallInfo fcinfo, const RowArgs& at) {
  return at.profile >= 0 && PG_NARGS() > at.profile && !PG_ARGISNULL(at.profile);
}

// visit(SourceTag<S>{}) for the call's source S.
template <typename Visit>
decltype(auto) with_row_source(FunctionCallInfo fcinfo, const RowArgs& at, Visit&& visit) {
  if (has_profile(fcinfo, at)) return visit(SourceTag<FittedRows>{});
  return visit(SourceTag<DesignRows>{});
}

}  // namespace synth::pg

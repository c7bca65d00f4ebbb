// Server settings (GUCs) defined in module.cpp.
#pragma once

namespace synth::pg {
extern int progress_interval_rows;   // synthdata.progress_interval
extern double privacy_budget;        // synthdata.privacy_budget (epsilon)
extern double privacy_budget_delta;  // synthdata.privacy_budget_delta
}  // namespace synth::pg

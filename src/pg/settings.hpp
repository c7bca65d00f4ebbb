// Server settings (GUCs) defined in module.cpp.
#pragma once

namespace synth::pg {
extern int progress_interval_rows;  // synthdata.progress_interval
}

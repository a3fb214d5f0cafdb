// The Clock phase's work: the TSC's rate, measured against PIT channel 2 in
// short bracketed windows until their bounds pin it (kernel/time/
// calibration.hpp), else what CPUID states; without either, boot times are
// not measured. Logs the outcome (`TSC: <N> MHz (...)` or why not).
#pragma once

namespace init {

void calibrate_timestamp_counter();

}  // namespace init

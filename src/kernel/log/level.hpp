// How important a log line is; shared by the log and the loglevel= option.
#pragma once

#include "lib/ktl/types.hpp"

namespace kernel::log {

enum class Level : u8 { Debug, Info, Warn, Error };

}  // namespace kernel::log

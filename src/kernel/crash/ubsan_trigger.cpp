// The `ubsan` crash test. This file is always built with
// -fsanitize=undefined (src/CMakeLists.txt), whatever KEEL_UBSAN says, so the
// crash test works in every build.
#include "kernel/crash/crash.hpp"
#include "kernel/log/log.hpp"

namespace kernel::crash {

namespace {

volatile int g_int_max = 0x7FFFFFFF;

[[gnu::noinline]] int add_one(int value) {
    return value + 1;  // value = INT_MAX: signed overflow, undefined behaviour
}

}  // namespace

void ubsan_signed_overflow() {
    const int result = add_one(g_int_max);
    log::error("crash: INT_MAX + 1 gave {} without a UBSan report", result);
}

}  // namespace kernel::crash

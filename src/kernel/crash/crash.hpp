// Crash tests, like Linux's LKDTM: `crash=<name>` on the kernel command line
// provokes one fault after boot, to check that the kernel catches it and
// reports it (docs/crash.md). tests/qemu/crash_tests.cmake boots each one.
#pragma once

#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"

namespace kernel::crash {

struct CrashTest {
    const char* name;      // as on the command line: "null-deref"
    const char* expected;  // what the report should say
    void (*run)();
};

[[nodiscard]] ktl::span<const CrashTest> crash_tests();

// Runs crash test `name`. It normally never returns; when it does (unknown
// name, or a protection that is missing), it logs an error saying so.
void run(ktl::string_view name);

// In ubsan_trigger.cpp, the one file always built with -fsanitize=undefined.
void ubsan_signed_overflow();

}  // namespace kernel::crash

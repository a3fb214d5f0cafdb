// The fuzzers' assertion: a broken invariant aborts, which libFuzzer reports
// as a crash with the input that caused it (assert() would vanish under
// NDEBUG).
#pragma once

#include <cstdlib>

#define FUZZ_CHECK(cond)  \
    do {                  \
        if (!(cond)) {    \
            std::abort(); \
        }                 \
    } while (0)

// KEEL_NO_UNROLL, written just before a loop: the compiler keeps it a loop.
//
// For cold loops that run at boot. A loop whose trip count the compiler
// knows (or can split) is otherwise unrolled into a copy of its body per
// iteration; each copy that runs is distinct code, which QEMU's TCG
// translates on its first run (about 13 us a block: docs/time.md,
// "Instructions and blocks"). A loop kept rolled is translated once.
#pragma once

#if defined(__clang__)
#define KEEL_NO_UNROLL _Pragma("clang loop unroll(disable)")
#elif defined(__GNUC__)
#define KEEL_NO_UNROLL _Pragma("GCC unroll 1")
#else
#define KEEL_NO_UNROLL
#endif

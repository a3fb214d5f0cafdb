// The stack protector's guard value (-fstack-protector-strong with
// -mstack-protector-guard=global: every protected function copies the global
// __stack_chk_guard into its frame and checks it before returning).
#pragma once

#include "kernel/lib/ktl/string_view.hpp"

namespace arch {

// Replaces the link-time guard with a random one: RDSEED, else RDRAND, else
// the TSC mixed. Call it from a function built without the stack protector
// (kernel_main: src/CMakeLists.txt) before anything else, since every
// protected function active across the change would fail its check.
void seed_stack_protector();
// Where the current guard came from: "RDSEED", "RDRAND", "TSC", or
// "built-in constant" before seed_stack_protector().
[[nodiscard]] ktl::string_view stack_protector_source();

}  // namespace arch

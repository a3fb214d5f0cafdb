// The stack protector's guard value (-fstack-protector-strong with
// -mstack-protector-guard=global: every protected function copies the global
// __stack_chk_guard into its frame and checks it before returning).
#pragma once

// seed_stack_protector() and stack_protector_source() are declared in
// arch/setup.hpp (the portable boot interface).
#include "arch/setup.hpp"

// Placement new: the only form of operator new the kernel has (no heap yet).
// Host builds get it from the C++ library instead.
#pragma once

#include "lib/ktl/types.hpp"

#ifdef KERNEL_HOST_TEST
#include <new>
#else
inline void* operator new(usize /*unused*/, void* place) noexcept { return place; }
inline void* operator new[](usize /*unused*/, void* place) noexcept { return place; }
#endif

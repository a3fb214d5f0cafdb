// Whether the allocators run their debug checks: poisoning freed frames,
// heap red zones and poison. On in every build without NDEBUG (CMake's Debug
// type, which the host tests and fuzzers use) and wherever KEEL_DEBUG_ALLOC
// is defined: the kernel build defines it unless configured with
// -DKEEL_DEBUG_ALLOC=OFF (cmake/KernelFlags.cmake), so that the crash tests
// of heap errors run in the kernel the boot tests use. The frame allocator's
// double-free and never-allocated checks cost one byte compare and are
// always on.
#pragma once

namespace kernel::mm {

#if defined(KEEL_DEBUG_ALLOC) || !defined(NDEBUG)
inline constexpr bool kDebugAlloc = true;
#else
inline constexpr bool kDebugAlloc = false;
#endif

}  // namespace kernel::mm

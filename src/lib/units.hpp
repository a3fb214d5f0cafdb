// Sizes and the page size, named once for the whole kernel.
//
// kPageSize is the smallest page of the one architecture Keel runs on; the
// boot assembly has its own copy in arch/x86_64/bits.h (PAGE_SIZE), and a
// static_assert in arch/x86_64/paging/address.hpp keeps the two equal. Larger page sizes and the
// paging index math belong to arch (arch/x86_64/paging/address.hpp).
#pragma once

#include "lib/ktl/types.hpp"

inline constexpr u64 kKiB = 1ULL << 10;
inline constexpr u64 kMiB = 1ULL << 20;
inline constexpr u64 kGiB = 1ULL << 30;
inline constexpr u64 kTiB = 1ULL << 40;

inline constexpr u32 kPageShift = 12;
inline constexpr u64 kPageSize = 1ULL << kPageShift;

// What the heap core's files (heap.cpp, heap_large.cpp, heap_checks.cpp)
// share about a block's bytes and a chunk's header; nothing else includes
// it. The public layout the inline fast paths need is heap_layout in
// heap.hpp.
#pragma once

#include "kernel/mm/heap.hpp"

namespace kernel::mm::heap_block {

using heap_layout::kHeaderBytes;
using heap_layout::kSlabMagic;
static_assert(sizeof(void*) == 8);

inline constexpr u32 kLargeMagic = 0x4c524745;   // "LRGE"
inline constexpr u32 kFreedMagic = 0x46524544;   // "FRED": a large block given back
inline constexpr u32 kMappedMagic = 0x4450414d;  // "MAPD": a large block of mapped pages

// Debug layout of a small block of class size C (release: the caller's
// bytes start at the block, nothing else):
//   [0, 8)        free: the next free block; live: the requested size,
//                 and the prefix in bits 48 and up (so that a pointer into
//                 the block is not taken for the block)
//   [8, 12)       kLiveTag or kFreeTag
//   [12, prefix)  front red zone (prefix = 16, or the alignment up to 64)
//   [prefix, prefix + size)   the caller's bytes
//   [prefix + size, C)        rear red zone, at least kRearRedZone bytes
// A free block is kHeapPoison from byte 12 to its end.
inline constexpr u32 kLiveTag = 0x4556494c;  // "LIVE"
inline constexpr u32 kFreeTag = 0x45455246;  // "FREE"
inline constexpr u32 kPrefixShift = 48;
inline constexpr u64 kSizeMask = (u64{1} << kPrefixShift) - 1;
inline constexpr usize kLargeRearRedZone = 64;

static_assert(kHeaderBytes % 64 == 0, "blocks of power-of-two classes up to 64 B stay aligned");

template <typename T>
T load(const u8* at) {
    T value;
    __builtin_memcpy(&value, at, sizeof value);
    return value;
}
template <typename T>
void store(u8* at, T value) {
    __builtin_memcpy(at, &value, sizeof value);
}

// The first byte in [from, to) that is not `expected`, or `to`.
inline const u8* first_not(const u8* from, const u8* to, u8 expected) {
    for (; from < to; ++from)
        if (*from != expected) return from;
    return to;
}

}  // namespace kernel::mm::heap_block

// The physical frame allocator: a buddy allocator over the free ranges that
// PhysicalRegions computed (available RAM minus every reservation), in 4 KiB
// frames and blocks of 2^order frames, order 0 (4 KiB) to kMaxOrder (4 MiB).
// Design, zones and checks: docs/memory-allocators.md.
//
// Hardware-independent: it reaches physical memory only through a
// PhysicalWindow (the direct map in the kernel, an arena in host tests).
// Unlocked: wrap it in Locked<> (kernel/mm/locked.hpp).
#pragma once

#include "kernel/mm/alloc_debug.hpp"
#include "kernel/mm/physical_regions.hpp"
#include "lib/ktl/optional.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"
#include "lib/result.hpp"

namespace kernel::mm {

inline constexpr u32 kMaxOrder = 10;  // 2^10 frames = 4 MiB
inline constexpr u32 kOrderCount = kMaxOrder + 1;
inline constexpr u64 kFrameSize = kPageSize;
inline constexpr u64 kDma32End = 4ULL << 30;

// Low: below 1 MiB, kept for what must live there (SMP trampolines): handed
// out only to a request that names it. Dma32: 1 MiB to 4 GiB, for devices
// with 32-bit addresses. Normal: everything above.
enum class Zone : u8 { Low, Dma32, Normal };
inline constexpr usize kZoneCount = 3;

[[nodiscard]] constexpr Zone zone_of(PhysAddr phys) {
    if (phys.value() < kLowMemoryEnd) return Zone::Low;
    if (phys.value() < kDma32End) return Zone::Dma32;
    return Zone::Normal;
}
// "low", "DMA32", "normal".
[[nodiscard]] ktl::string_view zone_name(Zone zone);

// virtual = physical + offset: the kernel's direct map (arch::direct_map_offset())
// or a host arena (its address minus the physical address it stands for).
struct PhysicalWindow {
    uptr offset;

    [[nodiscard]] u8* at(PhysAddr phys) const {
        return reinterpret_cast<u8*>(static_cast<uptr>(phys.value()) + offset);
    }
    [[nodiscard]] PhysAddr phys_of(const void* virt) const {
        return PhysAddr{static_cast<u64>(reinterpret_cast<uptr>(virt) - offset)};
    }
};

enum class FrameErrorKind : u8 {
    DoubleFree,    // the block is already free
    NotAllocated,  // no allocated block starts there (never allocated, an
                   // interior frame, a misaligned or unmanaged address)
    WrongOrder,    // allocated, but with another order
    AlreadyFree,   // inside a larger free block: freed twice and merged with
                   // its buddy since, or never allocated (nothing tells which)
};
// "double free", "free of a frame never allocated", "free with the wrong
// order", "free of a frame that is free (a double free, or never allocated)".
[[nodiscard]] ktl::string_view describe(FrameErrorKind kind);

struct FrameError {
    FrameErrorKind kind{};
    PhysAddr phys;          // the address passed to free()
    u32 order{};            // the order passed to free()
    u32 allocated_order{};  // for WrongOrder: the order it was allocated with
    const void* caller{};   // free()'s return address
};
// The kernel's handler panics (kernel/mm/alloc_panic.hpp); when a handler
// returns (host tests), the free is ignored and nothing changes.
using FrameErrorHandler = void (*)(const FrameError& error, void* context);

inline constexpr u8 kFramePoison = 0xF5;  // fills freed frames in debug builds

struct BuddyConfig {
    PhysicalWindow window{};
    FrameErrorHandler on_error{};
    void* error_context = nullptr;
    // Fill each freed block with kFramePoison (never at init: the free RAM
    // of a large machine would take seconds to fill).
    bool poison = kDebugAlloc;
};

enum class BuddyInitError : u8 {
    NoFreeMemory,          // the free list is empty
    NoRoomForBookkeeping,  // no free range above 1 MiB holds the state array
    TooManyRanges,         // more than kMaxSpans pieces after the zone splits
};
[[nodiscard]] ktl::string_view describe(BuddyInitError error);

// On success, where the state array went (page-rounded).
using BuddyInitResult = Result<PhysRange, BuddyInitError>;

class BuddyAllocator {
public:
    // Free ranges split at 1 MiB and 4 GiB: at most two more pieces.
    static constexpr usize kMaxSpans = PhysicalRegions::kMaxFreeRanges + 2;

    // Takes every frame of `free` (sorted, disjoint, page-aligned, as
    // PhysicalRegions gives them) except the ones its bookkeeping needs: one
    // byte per frame, carved out of the first free range above 1 MiB that
    // holds it. May be called again to start over.
    [[nodiscard]] BuddyInitResult init(ktl::span<const PhysRange> free, const BuddyConfig& config);

    // A block of 2^order frames, aligned to its size, from `zone`: Low and
    // Dma32 only from themselves (their callers need those addresses);
    // Normal from Normal, then from Dma32 when Normal has none (a machine
    // below 4 GiB has no Normal zone). Never from Low unless asked.
    // Nothing when no such block is free or order > kMaxOrder.
    [[nodiscard]] ktl::optional<PhysAddr> allocate(u32 order, Zone zone = Zone::Normal);

    // Returns a block from allocate(); `order` must be the same. A double
    // free or a free of anything else goes to the error handler, with the
    // caller's return address.
    __attribute__((noinline)) void free(PhysAddr phys, u32 order);

    [[nodiscard]] u64 free_frames(Zone zone) const { return zones_[index(zone)].free_frames; }
    [[nodiscard]] u64 total_frames(Zone zone) const { return zones_[index(zone)].total_frames; }
    [[nodiscard]] u64 free_frames() const;
    [[nodiscard]] u64 total_frames() const;
    // Free blocks of exactly this order (walks the list: for tests and reports).
    [[nodiscard]] u64 free_blocks(Zone zone, u32 order) const;
    // Whether `phys` is a frame this allocator manages (free or allocated).
    [[nodiscard]] bool manages(PhysAddr phys) const {
        return find_span(phys.value() / kFrameSize) != nullptr;
    }
    [[nodiscard]] PhysRange bookkeeping() const { return bookkeeping_; }

private:
    // The whole kMaxOrder blocks of a span sit in [fresh, fresh_end) until
    // first handed out, on no list: a free list lives in the free blocks
    // themselves, and linking every 4 MiB block at init would touch one
    // page per 4 MiB of RAM (256 Ki pages on a 1 TiB machine) before
    // anything needs them. A block once handed out never returns there
    // (freed, it goes on the kMaxOrder list), and no buddy of a block below
    // kMaxOrder is ever fresh, so coalescing never meets one.
    struct Span {
        u64 first;  // frame numbers [first, end)
        u64 end;
        u64 fresh;  // frame numbers [fresh, fresh_end): untouched kMaxOrder blocks
        u64 fresh_end;
        u8* state;  // one byte per frame
        Zone zone;
    };
    struct ZoneState {
        u64 heads[kOrderCount];  // physical address of the first free block, kNone if none
        usize fresh_span;        // no span before this one has fresh blocks
        u64 free_frames;
        u64 total_frames;
    };

    static constexpr usize index(Zone zone) { return static_cast<usize>(zone); }
    [[nodiscard]] const Span* find_span(u64 frame) const;
    [[nodiscard]] ktl::optional<PhysAddr> take(Zone zone, u32 order);
    [[nodiscard]] ktl::optional<u64> take_fresh(Zone zone);
    void push(Zone zone, u64 phys, u32 order);
    void unlink(Zone zone, u64 phys, u32 order);
    [[nodiscard]] static u8& state_of(const Span& span, u64 frame) {
        return span.state[frame - span.first];
    }
    // Whether `frame` lies inside a free block of a larger order (whose head
    // is the frame rounded down to that order): what a freed frame becomes
    // once merged with its buddy. Error reports only.
    [[nodiscard]] static bool inside_free_block(const Span& span, u64 frame);
    void report(FrameErrorKind kind, PhysAddr phys, u32 order, u32 allocated,
                const void* caller) const;
    // init()'s steps.
    void reset(const BuddyConfig& config);
    static PhysRange place_bookkeeping(ktl::span<const PhysRange> free, u64 frames);
    [[nodiscard]] bool add_span(u64 base, u64 end, u8* state, u64& used);
    [[nodiscard]] bool add_cut(u64 base, u64 end, u8* state, u64& used);
    void link_span(const Span& s);

    BuddyConfig config_{};
    Span spans_[kMaxSpans]{};
    usize span_count_ = 0;
    ZoneState zones_[kZoneCount]{};
    PhysRange bookkeeping_{};
};

}  // namespace kernel::mm

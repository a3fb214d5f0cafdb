// Physical memory at boot: which RAM is free for an allocator to hand out,
// and which ranges must be kept because something already lives there (the
// kernel image, the boot information, modules, the symbol tables, the
// real-mode/BIOS area).
//
//   free = available memory-map regions
//          - every other memory-map region (reserved types win an overlap)
//          - every reservation
//   then each free range is shrunk inward to whole 4 KiB pages.
//
// Hardware-independent (host-tested in tests/host/physical_regions_*_test.cpp):
// static storage only, no memory is read. Layout and reasons: docs/memory.md,
// "Physical memory".
#pragma once

#include "boot/params.hpp"
#include "lib/address.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"
#include "lib/result.hpp"
#include "lib/units.hpp"

namespace kernel::mm {

// The end of the low zone: memory a real-mode AP trampoline can run in
// (a SIPI vector names a 4 KiB page below 1 MiB).
inline constexpr u64 kLowMemoryEnd = 1 * kMiB;
// What of the first MiB is kept at boot even where the memory map calls it
// available; the rest is free RAM for the low zone (the AP trampoline).
//   - page 0: the real-mode IVT and the BIOS data area (and the null page);
//   - from 512 KiB up: the EBDA, which the BDA's pointer places in the
//     128 KiB below 640 KiB on every BIOS (a fixed bound: no memory is
//     read here, and firmware that maps it "available" is not trusted),
//     then the legacy video window and the option and system ROMs.
inline constexpr u64 kRealModeDataEnd = 0x1000;
inline constexpr u64 kBiosAreaStart = 0x80000;

// The least free RAM (after every reservation) Keel boots with; below it
// kernel_main panics with a sentence saying so instead of failing later in
// some allocator. The kernel image (about 0.9 MiB with .bss, its stacks and
// boot page tables included) is already in place and reserved, so this is
// what is left for everything that allocates: the frame allocator's own
// bookkeeping, page tables of new address spaces, kernel stacks (16 KiB
// each), the kernel heap, the first programs. 4 MiB = 1024 frames: room for
// those with a margin, on any machine GRUB itself can run in. Measured under
// SeaBIOS (docs/memory.md): -m 4M leaves about 2 MiB free (the boot.lowmem
// test), -m 6M about 4 MiB.
inline constexpr u64 kMinimumFreeMemory = 4 * kMiB;

// Whether `free_bytes` of free RAM is enough to boot (>= `minimum`).
[[nodiscard]] constexpr bool enough_memory(u64 free_bytes, u64 minimum = kMinimumFreeMemory) {
    return free_bytes >= minimum;
}

// Ranges are PhysRange (lib/address.hpp): the last byte of the 64-bit space
// (2^64 - 1) cannot be included; it is never RAM.

enum class ReservationKind : u8 {
    LowMemory,        // page 0 and [kBiosAreaStart, kLowMemoryEnd): two reservations
    KernelImage,      // __kernel_physical_start - __kernel_physical_end
    BootInformation,  // the Multiboot2 information structure
    Module,           // a GRUB module
    KernelSymbols,    // .symtab or .strtab, loaded by GRUB into available RAM
    Framebuffer,      // the loader's framebuffer (in case it lies in RAM)
    PageTables,       // the kernel's first page tables (kernel/mm/boot_frames.hpp)
};
// "real-mode/BIOS area", "kernel image", "boot information", "module",
// "kernel symbols", "framebuffer", "early page tables".
[[nodiscard]] ktl::string_view kind_name(ReservationKind kind);

struct Reservation {
    ReservationKind kind{};
    PhysRange range;  // as given (not page-rounded), end clamped to 2^64 - 1
};

class PhysicalRegions {
public:
    static constexpr usize kMaxFreeRanges = 256;
    static constexpr usize kMaxReservations = 64;

    enum class ReserveError : u8 {
        Empty,  // zero length: nothing to keep, not recorded
        Full,   // kMaxReservations already: not recorded, see reservations_dropped()
    };

    // Forgets every reservation and free range.
    void clear() {
        count_ = 0;
        reservation_count_ = 0;
        reservations_dropped_ = 0;
        free_dropped_ = 0;
    }

    // Records that `range` must never be free. Takes effect at compute().
    [[nodiscard]] Result<void, ReserveError> reserve(ReservationKind kind, PhysRange range);
    // [base, base + length), the end clamped to 2^64 - 1 instead of wrapping.
    [[nodiscard]] Result<void, ReserveError> reserve(ReservationKind kind, u64 base, u64 length) {
        return reserve(kind, PhysRange::from_size(base, length));
    }

    // (Re)computes the free ranges from `map` and the reservations recorded
    // so far: sorted, disjoint, merged where they touch, each of whole 4 KiB
    // pages. The map may be in any order, with duplicate or overlapping
    // entries; where an available entry overlaps any other type, the other
    // type wins.
    //
    // Fails safe: when a reservation was dropped (the list was full), no
    // memory is free, as the dropped range cannot be told apart. When there
    // are more than kMaxFreeRanges free ranges, the highest are left out
    // (free_ranges_dropped() counts them): less memory, never reserved memory.
    void compute(ktl::span<const boot::MemoryRegion> map);

    [[nodiscard]] ktl::span<const PhysRange> free_ranges() const { return {free_, count_}; }
    [[nodiscard]] const PhysRange* begin() const { return free_; }
    [[nodiscard]] const PhysRange* end() const { return free_ + count_; }
    [[nodiscard]] usize size() const { return count_; }
    [[nodiscard]] u64 free_bytes() const;

    // Whether all of `range` is free (inside one free range). False for an
    // empty range, and for one that reaches 2^64 - 1 (as a from_size() that
    // would wrap does): the last page is never free.
    [[nodiscard]] bool is_free(PhysRange range) const;
    // Whether any byte of `range` is free. False for an empty range.
    [[nodiscard]] bool any_free(PhysRange range) const;

    [[nodiscard]] ktl::span<const Reservation> reservations() const {
        return {reservations_, reservation_count_};
    }
    [[nodiscard]] u32 reservations_dropped() const { return reservations_dropped_; }
    // Free ranges left out for lack of room (at least this many).
    [[nodiscard]] u32 free_ranges_dropped() const { return free_dropped_; }
    // Whether nothing was dropped: the result is exact.
    [[nodiscard]] bool complete() const { return reservations_dropped_ == 0 && free_dropped_ == 0; }

private:
    void unite(PhysRange range);
    void subtract(PhysRange cut);
    void insert_at(usize index, PhysRange range);
    void remove_at(usize index);
    void drop_last();

    PhysRange free_[kMaxFreeRanges]{};
    usize count_ = 0;
    Reservation reservations_[kMaxReservations]{};
    usize reservation_count_ = 0;
    u32 reservations_dropped_ = 0;
    u32 free_dropped_ = 0;
};

// Where the kernel itself is, for reserve_boot_regions(): the physical range
// of the image from the linker script, and the .symtab and .strtab the loader
// placed (empty ranges when there are none).
struct KernelPlacement {
    PhysRange image;
    PhysRange symtab;
    PhysRange strtab;
};

// Records every range the loader and the firmware placed that must be kept:
// the real-mode/BIOS area (two ranges), the kernel image, the boot information, each
// module, the symbol tables, the framebuffer. Returns how many could not be
// recorded (0 unless the list is full).
u32 reserve_boot_regions(PhysicalRegions& regions, const boot::BootParams& info,
                         const KernelPlacement& kernel);

// The kernel's one instance, computed once by kernel_main for the allocators
// to come. Read-only after boot.
[[nodiscard]] const PhysicalRegions& physical_regions();
[[nodiscard]] PhysicalRegions& boot_physical_regions();

}  // namespace kernel::mm

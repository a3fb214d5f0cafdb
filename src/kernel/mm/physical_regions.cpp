#include "kernel/mm/physical_regions.hpp"

namespace kernel::mm {

namespace {

constexpr u64 kMaxEnd = ~0ULL;

// The whole pages inside [base, end): start rounded up, end rounded down.
PhysicalRange pages_inside(PhysicalRange r) {
    u64 base =
        r.base > kMaxEnd - (kPageSize - 1) ? kMaxEnd : (r.base + kPageSize - 1) & ~(kPageSize - 1);
    return {base, r.end & ~(kPageSize - 1)};
}

// Constant-initialized (the constructor is implicit and constexpr): no
// constructor runs, it is all .bss.
PhysicalRegions g_regions;

}  // namespace

ktl::string_view kind_name(ReservationKind kind) {
    switch (kind) {
        case ReservationKind::LowMemory:
            return "real-mode/BIOS area";
        case ReservationKind::KernelImage:
            return "kernel image";
        case ReservationKind::BootInformation:
            return "boot information";
        case ReservationKind::Module:
            return "module";
        case ReservationKind::KernelSymbols:
            return "kernel symbols";
        case ReservationKind::Framebuffer:
            return "framebuffer";
    }
    return "unknown";
}

PhysicalRegions::ReserveResult PhysicalRegions::reserve(ReservationKind kind, u64 base,
                                                        u64 length) {
    PhysicalRange range = make_range(base, length);
    if (range.empty()) return ReserveResult::Empty;
    if (reservation_count_ == kMaxReservations) {
        ++reservations_dropped_;
        return ReserveResult::Full;
    }
    reservations_[reservation_count_++] = {kind, range};
    return ReserveResult::Recorded;
}

void PhysicalRegions::compute(ktl::span<const boot::MemoryRegion> map) {
    count_ = 0;
    free_dropped_ = 0;
    if (reservations_dropped_ != 0) return;  // fail safe: see the header

    // Byte-exact first, so that available entries which only touch (or
    // overlap) still merge into whole pages; rounding comes last, so that a
    // page holding any byte of something reserved is not free.
    for (const boot::MemoryRegion& region : map) {
        if (!region.usable()) continue;
        PhysicalRange r = make_range(region.base, region.length);
        if (!r.empty()) unite(r.base, r.end);
    }
    for (const boot::MemoryRegion& region : map) {
        if (region.usable()) continue;
        PhysicalRange r = make_range(region.base, region.length);
        if (!r.empty()) subtract(r.base, r.end);
    }
    for (usize i = 0; i < reservation_count_; ++i)
        subtract(reservations_[i].range.base, reservations_[i].range.end);

    // Disjoint ranges that do not touch stay apart after rounding inward.
    usize kept = 0;
    for (usize i = 0; i < count_; ++i) {
        PhysicalRange r = pages_inside(free_[i]);
        if (!r.empty()) free_[kept++] = r;
    }
    count_ = kept;
}

u64 PhysicalRegions::free_bytes() const {
    // Disjoint ranges below 2^64 - 1: the sum cannot wrap.
    u64 total = 0;
    for (usize i = 0; i < count_; ++i) total += free_[i].size();
    return total;
}

namespace {
// The first index in [0, count) where pred is false; pred must hold on a
// prefix of the (sorted) ranges and fail on the rest.
template <typename Pred>
usize partition_point(usize count, Pred pred) {
    usize lo = 0;
    usize hi = count;
    while (lo < hi) {
        usize mid = lo + (hi - lo) / 2;
        if (pred(mid))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
}  // namespace

bool PhysicalRegions::is_free(u64 phys, u64 length) const {
    u64 end = 0;
    if (length == 0 || __builtin_add_overflow(phys, length, &end)) return false;
    // Just past the last range starting at or before phys.
    usize lo = partition_point(count_, [&](usize i) { return free_[i].base <= phys; });
    return lo != 0 && end <= free_[lo - 1].end;
}

bool PhysicalRegions::any_free(u64 phys, u64 length) const {
    if (length == 0) return false;
    PhysicalRange range = make_range(phys, length);
    // The first range ending after phys.
    usize lo = partition_point(count_, [&](usize i) { return free_[i].end <= phys; });
    return lo != count_ && free_[lo].base < range.end;
}

// Adds [base, end) to the sorted free list, merging what it overlaps or
// touches.
void PhysicalRegions::unite(u64 base, u64 end) {
    usize first = 0;
    while (first < count_ && free_[first].end < base) ++first;
    usize last = first;  // [first, last) overlap or touch the new range
    while (last < count_ && free_[last].base <= end) ++last;
    if (first == last) {
        insert_at(first, {base, end});
        return;
    }
    PhysicalRange merged{base < free_[first].base ? base : free_[first].base,
                         end > free_[last - 1].end ? end : free_[last - 1].end};
    free_[first] = merged;
    for (usize i = last - 1; i > first; --i) remove_at(first + 1);
}

// Removes [base, end) from the free list, splitting a range it lies inside.
void PhysicalRegions::subtract(u64 base, u64 end) {
    usize i = 0;
    while (i < count_ && free_[i].end <= base) ++i;
    while (i < count_ && free_[i].base < end) {
        PhysicalRange& r = free_[i];
        if (base <= r.base && r.end <= end) {
            remove_at(i);
            continue;
        }
        if (r.base < base && end < r.end) {
            // Strictly inside: no other range overlaps.
            PhysicalRange upper{end, r.end};
            r.end = base;
            insert_at(i + 1, upper);
            return;
        }
        if (r.base < base)
            r.end = base;
        else
            r.base = end;
        ++i;
    }
}

// Inserts at `index`; when the list is full the highest range goes (which
// may be the new one): less free memory, never more.
void PhysicalRegions::insert_at(usize index, PhysicalRange range) {
    if (count_ == kMaxFreeRanges) {
        if (index == count_) {
            ++free_dropped_;
            return;
        }
        drop_last();
    }
    for (usize i = count_; i > index; --i) free_[i] = free_[i - 1];
    free_[index] = range;
    ++count_;
}

void PhysicalRegions::remove_at(usize index) {
    for (usize i = index; i + 1 < count_; ++i) free_[i] = free_[i + 1];
    --count_;
}

void PhysicalRegions::drop_last() {
    --count_;
    ++free_dropped_;
}

// The low MiB, the image, two symbol tables, the framebuffer and every loader
// region always fit.
static_assert(7 + boot::BootParams::kMaxModules <= PhysicalRegions::kMaxReservations);

u32 reserve_boot_regions(PhysicalRegions& regions, const boot::BootParams& info,
                         const KernelPlacement& kernel) {
    u32 dropped = 0;
    auto keep = [&](ReservationKind kind, PhysicalRange r) {
        u64 length = r.empty() ? 0 : r.size();
        if (regions.reserve(kind, r.base, length) == PhysicalRegions::ReserveResult::Full)
            ++dropped;
    };
    keep(ReservationKind::LowMemory, {0, kLowMemoryEnd});
    keep(ReservationKind::KernelImage, kernel.image);
    keep(ReservationKind::BootInformation, make_range(info.info_phys, info.info_size));
    for (const boot::Module& module : info.module_list())
        keep(ReservationKind::Module, {module.start, module.end});
    if (info.untracked_modules.count != 0)
        keep(ReservationKind::Module, {info.untracked_modules.start, info.untracked_modules.end});
    keep(ReservationKind::KernelSymbols, kernel.symtab);
    keep(ReservationKind::KernelSymbols, kernel.strtab);
    if (info.framebuffer.present) {
        const boot::Framebuffer& fb = info.framebuffer;
        keep(ReservationKind::Framebuffer,
             make_range(fb.address, static_cast<u64>(fb.pitch) * fb.height));
    }
    return dropped;
}

const PhysicalRegions& physical_regions() { return g_regions; }
PhysicalRegions& boot_physical_regions() { return g_regions; }

}  // namespace kernel::mm

#include "kernel/mm/physical_regions.hpp"

namespace kernel::mm {

namespace {

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
        case ReservationKind::PageTables:
            return "early page tables";
    }
    return "unknown";
}

Result<void, PhysicalRegions::ReserveError> PhysicalRegions::reserve(ReservationKind kind,
                                                                     PhysRange range) {
    if (range.empty()) return ReserveError::Empty;
    if (reservation_count_ == kMaxReservations) {
        ++reservations_dropped_;
        return ReserveError::Full;
    }
    reservations_[reservation_count_++] = {kind, range};
    return {};
}

void PhysicalRegions::compute(ktl::span<const boot::MemoryRegion> map) {
    count_ = 0;
    free_dropped_ = 0;
    if (reservations_dropped_ != 0) return;  // fail safe: see the header

    // Byte-exact first, so that available entries which only touch (or
    // overlap) still merge into whole pages; rounding comes last, so that a
    // page holding any byte of something reserved is not free.
    for (const boot::MemoryRegion& region : map)
        if (region.usable() && !region.range().empty()) unite(region.range());
    for (const boot::MemoryRegion& region : map)
        if (!region.usable() && !region.range().empty()) subtract(region.range());
    for (usize i = 0; i < reservation_count_; ++i) subtract(reservations_[i].range);

    // Disjoint ranges that do not touch stay apart after rounding inward.
    usize kept = 0;
    for (usize i = 0; i < count_; ++i) {
        PhysRange r = free_[i].align_inward(kPageSize);
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

bool PhysicalRegions::is_free(PhysRange range) const {
    // Just past the last range starting at or before the range's base.
    usize lo = partition_point(count_, [&](usize i) { return free_[i].base() <= range.base(); });
    return lo != 0 && free_[lo - 1].contains(range);
}

bool PhysicalRegions::any_free(PhysRange range) const {
    // The first range ending after the range's base.
    usize lo = partition_point(count_, [&](usize i) { return free_[i].end() <= range.base(); });
    return lo != count_ && free_[lo].overlaps(range);
}

// Adds `range` to the sorted free list, merging what it overlaps or touches.
void PhysicalRegions::unite(PhysRange range) {
    usize first = 0;
    while (first < count_ && free_[first].end() < range.base()) ++first;
    usize last = first;  // [first, last) overlap or touch the new range
    while (last < count_ && free_[last].base() <= range.end()) ++last;
    if (first == last) {
        insert_at(first, range);
        return;
    }
    free_[first] = range.unite(free_[first]).unite(free_[last - 1]);
    for (usize i = last - 1; i > first; --i) remove_at(first + 1);
}

// Removes `cut` from the free list, splitting a range it lies inside.
void PhysicalRegions::subtract(PhysRange cut) {
    usize i = 0;
    while (i < count_ && free_[i].end() <= cut.base()) ++i;
    while (i < count_ && free_[i].base() < cut.end()) {
        PhysRange& r = free_[i];
        const PhysRange below{r.base(), cut.base()};  // empty when cut starts first
        const PhysRange above{cut.end(), r.end()};    // empty when cut reaches the end
        if (below.empty() && above.empty()) {
            remove_at(i);
            continue;
        }
        if (!below.empty() && !above.empty()) {
            // Strictly inside: no other range overlaps.
            r = below;
            insert_at(i + 1, above);
            return;
        }
        r = below.empty() ? above : below;
        ++i;
    }
}

// Inserts at `index`; when the list is full the highest range goes (which
// may be the new one): less free memory, never more.
void PhysicalRegions::insert_at(usize index, PhysRange range) {
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

// The two low ranges, the image, two symbol tables, the framebuffer and
// every loader region always fit.
static_assert(8 + boot::BootParams::kMaxModules <= PhysicalRegions::kMaxReservations);

u32 reserve_boot_regions(PhysicalRegions& regions, const boot::BootParams& info,
                         const KernelPlacement& kernel) {
    u32 dropped = 0;
    auto keep = [&](ReservationKind kind, PhysRange r) {
        // An empty range has nothing to keep; only a full list loses one.
        auto kept = regions.reserve(kind, r);
        if (!kept && kept.error() == PhysicalRegions::ReserveError::Full) ++dropped;
    };
    keep(ReservationKind::LowMemory, PhysRange{PhysAddr{0}, PhysAddr{kRealModeDataEnd}});
    keep(ReservationKind::LowMemory, PhysRange{PhysAddr{kBiosAreaStart}, PhysAddr{kLowMemoryEnd}});
    keep(ReservationKind::KernelImage, kernel.image);
    keep(ReservationKind::BootInformation, PhysRange::from_size(info.info_phys, info.info_size));
    for (const boot::Module& module : info.module_list())
        keep(ReservationKind::Module, module.range());
    if (info.untracked_modules.count != 0)
        keep(ReservationKind::Module, info.untracked_modules.range());
    keep(ReservationKind::KernelSymbols, kernel.symtab);
    keep(ReservationKind::KernelSymbols, kernel.strtab);
    if (info.framebuffer.present) keep(ReservationKind::Framebuffer, info.framebuffer.range());
    return dropped;
}

const PhysicalRegions& physical_regions() { return g_regions; }
PhysicalRegions& boot_physical_regions() { return g_regions; }

}  // namespace kernel::mm

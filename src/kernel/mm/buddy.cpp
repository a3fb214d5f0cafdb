#include "kernel/mm/buddy.hpp"

namespace kernel::mm {

namespace {

constexpr u64 kNone = ~0ULL;

// The state byte of a frame. Only the first frame of a block says anything;
// the others are 0, so a free of an interior frame is told apart.
constexpr u8 kFreeHead = 0x80;
constexpr u8 kUsedHead = 0x40;
constexpr u8 kOrderMask = 0x0f;
static_assert(kMaxOrder <= kOrderMask);

// Kept in the first bytes of each free block, reached through the window:
// the lists cost no memory of their own and grow with the RAM they describe.
struct FreeLink {
    u64 next;
    u64 prev;
};

constexpr u64 kBoundaries[] = {kLowMemoryEnd, kDma32End};

FreeLink* link_at(const PhysicalWindow& window, u64 phys) {
    return reinterpret_cast<FreeLink*>(window.at(PhysAddr{phys}));
}

u32 floor_log2(u64 value) { return 63 - static_cast<u32>(__builtin_clzll(value)); }

}  // namespace

ktl::string_view zone_name(Zone zone) {
    switch (zone) {
        case Zone::Low:
            return "low";
        case Zone::Dma32:
            return "DMA32";
        case Zone::Normal:
            return "normal";
    }
    return "unknown";
}

ktl::string_view describe(FrameErrorKind kind) {
    switch (kind) {
        case FrameErrorKind::DoubleFree:
            return "double free";
        case FrameErrorKind::NotAllocated:
            return "free of a frame never allocated";
        case FrameErrorKind::WrongOrder:
            return "free with the wrong order";
        case FrameErrorKind::AlreadyFree:
            return "free of a frame that is free (a double free, or never allocated)";
    }
    return "unknown frame error";
}

ktl::string_view describe(BuddyInitError error) {
    switch (error) {
        case BuddyInitError::NoFreeMemory:
            return "no free memory to manage";
        case BuddyInitError::NoRoomForBookkeeping:
            return "no free range above 1 MiB can hold the frame allocator's bookkeeping";
        case BuddyInitError::TooManyRanges:
            return "too many free ranges for the frame allocator";
    }
    return "unknown error";
}

void BuddyAllocator::reset(const BuddyConfig& config) {
    config_ = config;
    span_count_ = 0;
    bookkeeping_ = {};
    for (ZoneState& zone : zones_) {
        for (u64& head : zone.heads) head = kNone;
        zone.fresh_span = 0;
        zone.free_frames = 0;
        zone.total_frames = 0;
    }
}

// One state byte per frame, for every free frame (its own frames included:
// a little more than needed, never less). Above 1 MiB, so that the low zone
// stays whole for what must live there. Empty when no range holds it.
PhysRange BuddyAllocator::place_bookkeeping(ktl::span<const PhysRange> free, u64 frames) {
    const u64 bytes = (frames + kFrameSize - 1) / kFrameSize * kFrameSize;
    for (const PhysRange& r : free) {
        const PhysAddr base = r.base().value() < kLowMemoryEnd ? PhysAddr{kLowMemoryEnd} : r.base();
        if (base < r.end() && r.end() - base >= bytes) return PhysRange::from_size(base, bytes);
    }
    return {};
}

bool BuddyAllocator::add_span(u64 base, u64 end, u8* state, u64& used) {
    if (base >= end) return true;
    if (span_count_ == kMaxSpans) return false;
    Span& s = spans_[span_count_++];
    s.first = base / kFrameSize;
    s.end = end / kFrameSize;
    s.state = state + used;
    s.zone = zone_of(PhysAddr{base});
    constexpr u64 kMaxBlock = 1ULL << kMaxOrder;
    s.fresh = (s.first + kMaxBlock - 1) / kMaxBlock * kMaxBlock;
    s.fresh_end = s.end / kMaxBlock * kMaxBlock;
    if (s.fresh >= s.fresh_end) s.fresh = s.fresh_end = s.end;
    used += s.end - s.first;
    return true;
}

// [base, end) as spans cut at the zone boundaries, so that no block
// straddles two zones.
bool BuddyAllocator::add_cut(u64 base, u64 end, u8* state, u64& used) {
    for (u64 boundary : kBoundaries) {
        if (base < boundary && boundary < end) {
            if (!add_span(base, boundary, state, used)) return false;
            base = boundary;
        }
    }
    return add_span(base, end, state, used);
}

// Each span as the largest aligned blocks that fit, lowest first: the same
// blocks that freeing its frames one by one would coalesce into. The whole
// kMaxOrder blocks stay fresh (on no list); only the pieces before and after
// them are linked.
void BuddyAllocator::link_span(const Span& s) {
    ZoneState& zone = zones_[index(s.zone)];
    zone.total_frames += s.end - s.first;
    zone.free_frames += s.end - s.first;
    u64 frame = s.first;
    while (frame < s.end) {
        if (frame == s.fresh && s.fresh < s.fresh_end) {
            frame = s.fresh_end;
            continue;
        }
        u32 order = floor_log2(s.end - frame);
        if (frame != 0) {
            const u32 align = static_cast<u32>(__builtin_ctzll(frame));
            if (align < order) order = align;
        }
        if (order > kMaxOrder) order = kMaxOrder;
        state_of(s, frame) = static_cast<u8>(kFreeHead | order);
        push(s.zone, frame * kFrameSize, order);
        frame += 1ULL << order;
    }
}

BuddyInitResult BuddyAllocator::init(ktl::span<const PhysRange> free, const BuddyConfig& config) {
    reset(config);

    u64 frames = 0;
    for (const PhysRange& r : free)
        if (!r.empty()) frames += r.size() / kFrameSize;
    if (frames == 0) return BuddyInitError::NoFreeMemory;

    bookkeeping_ = place_bookkeeping(free, frames);
    if (bookkeeping_.empty()) return BuddyInitError::NoRoomForBookkeeping;

    // The spans: the free ranges less the bookkeeping.
    u8* state = config_.window.at(bookkeeping_.base());
    u64 used = 0;
    for (const PhysRange& r : free) {
        if (r.empty()) continue;
        bool ok = true;
        const u64 base = r.base().value();
        const u64 end = r.end().value();
        if (r.contains(bookkeeping_)) {
            ok = add_cut(base, bookkeeping_.base().value(), state, used) &&
                 add_cut(bookkeeping_.end().value(), end, state, used);
        } else {
            ok = add_cut(base, end, state, used);
        }
        if (!ok) {
            span_count_ = 0;
            return BuddyInitError::TooManyRanges;
        }
    }
    __builtin_memset(state, 0, used);

    for (usize i = 0; i < span_count_; ++i) link_span(spans_[i]);
    return bookkeeping_;
}

const BuddyAllocator::Span* BuddyAllocator::find_span(u64 frame) const {
    usize lo = 0;
    usize hi = span_count_;
    while (lo < hi) {  // the first span starting after `frame`
        const usize mid = lo + (hi - lo) / 2;
        if (spans_[mid].first <= frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || frame >= spans_[lo - 1].end) return nullptr;
    return &spans_[lo - 1];
}

void BuddyAllocator::push(Zone zone, u64 phys, u32 order) {
    u64& head = zones_[index(zone)].heads[order];
    FreeLink* link = link_at(config_.window, phys);
    link->next = head;
    link->prev = kNone;
    if (head != kNone) link_at(config_.window, head)->prev = phys;
    head = phys;
}

void BuddyAllocator::unlink(Zone zone, u64 phys, u32 order) {
    const FreeLink* link = link_at(config_.window, phys);
    if (link->prev == kNone)
        zones_[index(zone)].heads[order] = link->next;
    else
        link_at(config_.window, link->prev)->next = link->next;
    if (link->next != kNone) link_at(config_.window, link->next)->prev = link->prev;
}

// The lowest fresh kMaxOrder block of `zone`, no longer fresh.
ktl::optional<u64> BuddyAllocator::take_fresh(Zone zone) {
    ZoneState& z = zones_[index(zone)];
    for (; z.fresh_span < span_count_; ++z.fresh_span) {
        Span& s = spans_[z.fresh_span];
        if (s.zone != zone || s.fresh == s.fresh_end) continue;
        const u64 frame = s.fresh;
        s.fresh += 1ULL << kMaxOrder;
        return frame * kFrameSize;
    }
    return {};
}

ktl::optional<PhysAddr> BuddyAllocator::take(Zone zone, u32 order) {
    ZoneState& z = zones_[index(zone)];
    u32 found = order;
    while (found <= kMaxOrder && z.heads[found] == kNone) ++found;
    u64 phys = 0;
    if (found <= kMaxOrder) {
        phys = z.heads[found];
        unlink(zone, phys, found);
    } else if (ktl::optional<u64> fresh = take_fresh(zone)) {
        phys = *fresh;
        found = kMaxOrder;
    } else {
        return {};
    }
    const Span& span = *find_span(phys / kFrameSize);
    // Split: the upper halves go back, the lowest piece is handed out.
    while (found > order) {
        --found;
        const u64 upper = phys + (kFrameSize << found);
        state_of(span, upper / kFrameSize) = static_cast<u8>(kFreeHead | found);
        push(zone, upper, found);
    }
    state_of(span, phys / kFrameSize) = static_cast<u8>(kUsedHead | order);
    z.free_frames -= 1ULL << order;
    return PhysAddr{phys};
}

ktl::optional<PhysAddr> BuddyAllocator::allocate(u32 order, Zone zone) {
    if (order > kMaxOrder) return {};
    if (auto phys = take(zone, order)) return phys;
    if (zone == Zone::Normal) return take(Zone::Dma32, order);
    return {};
}

void BuddyAllocator::report(FrameErrorKind kind, PhysAddr phys, u32 order, u32 allocated,
                            const void* caller) const {
    const FrameError error{kind, phys, order, allocated, caller};
    if (config_.on_error == nullptr) __builtin_trap();  // init() was never called
    config_.on_error(error, config_.error_context);
}

void BuddyAllocator::free(PhysAddr phys, u32 order) {
    const void* caller = __builtin_return_address(0);
    const u64 frame = phys.value() / kFrameSize;
    const Span* span = find_span(frame);
    const bool aligned = order <= kMaxOrder && phys.is_aligned(kFrameSize << order);
    if (span == nullptr || !aligned || frame + (1ULL << order) > span->end) {
        report(FrameErrorKind::NotAllocated, phys, order, 0, caller);
        return;
    }
    const u8 state = state_of(*span, frame);
    if ((state & kFreeHead) != 0) {
        report(FrameErrorKind::DoubleFree, phys, order, 0, caller);
        return;
    }
    if ((state & kUsedHead) == 0) {
        // Freed already and merged with its buddy since, the frame is inside
        // a larger free block rather than its head; so is a frame never
        // allocated from one. Neither is "never allocated" for sure.
        report(inside_free_block(*span, frame) ? FrameErrorKind::AlreadyFree
                                               : FrameErrorKind::NotAllocated,
               phys, order, 0, caller);
        return;
    }
    if ((state & kOrderMask) != order) {
        report(FrameErrorKind::WrongOrder, phys, order, state & kOrderMask, caller);
        return;
    }

    if (config_.poison)
        __builtin_memset(config_.window.at(phys), kFramePoison, kFrameSize << order);
    zones_[index(span->zone)].free_frames += 1ULL << order;

    // Merge with the buddy while it is a free block of the same order inside
    // the same span (spans never cross a zone boundary or a hole).
    u64 head = frame;
    state_of(*span, frame) = 0;
    while (order < kMaxOrder) {
        const u64 buddy = head ^ (1ULL << order);
        if (buddy < span->first || buddy + (1ULL << order) > span->end) break;
        u8& buddy_state = state_of(*span, buddy);
        if (buddy_state != (kFreeHead | order)) break;
        unlink(span->zone, buddy * kFrameSize, order);
        buddy_state = 0;
        head &= ~(1ULL << order);
        ++order;
    }
    state_of(*span, head) = static_cast<u8>(kFreeHead | order);
    push(span->zone, head * kFrameSize, order);
}

bool BuddyAllocator::inside_free_block(const Span& span, u64 frame) {
    for (u32 order = 1; order <= kMaxOrder; ++order) {
        const u64 head = frame & ~((1ULL << order) - 1);
        if (head < span.first) break;
        if (state_of(span, head) == (kFreeHead | order)) return true;
    }
    return false;
}

u64 BuddyAllocator::free_frames() const {
    u64 total = 0;
    for (const ZoneState& zone : zones_) total += zone.free_frames;
    return total;
}

u64 BuddyAllocator::total_frames() const {
    u64 total = 0;
    for (const ZoneState& zone : zones_) total += zone.total_frames;
    return total;
}

u64 BuddyAllocator::free_blocks(Zone zone, u32 order) const {
    if (order > kMaxOrder) return 0;
    u64 count = 0;
    if (order == kMaxOrder)
        for (usize i = 0; i < span_count_; ++i)
            if (spans_[i].zone == zone)
                count += (spans_[i].fresh_end - spans_[i].fresh) >> kMaxOrder;
    for (u64 at = zones_[index(zone)].heads[order]; at != kNone;
         at = link_at(config_.window, at)->next)
        ++count;
    return count;
}

}  // namespace kernel::mm

// A 4-level page-table editor, independent of how the tables are reached.
//
// The Mapper does not know where page-table pages live or how they are
// allocated: a `TableMemory` policy answers that. In the kernel it reaches
// tables through the direct map and allocates from the early pool
// (paging.cpp); in the host tests it is a hash map of fake pages. The same
// walking code therefore runs under GoogleTest with sanitizers and on the
// machine. (The split follows the idea of Hedron's generic page table: the
// table logic is a template over its memory.)
//
// Rules the Mapper keeps:
// Every edit returns a [[nodiscard]] Result (lib/result.hpp) whose error is
// a MapError.
//
//   - mapping over an existing, different mapping fails (AlreadyMapped)
//     unless Overwrite::Yes is passed; mapping the identical thing again is
//     a no-op that succeeds;
//   - it never splits or merges large pages: a 4 KiB page inside an
//     existing 2 MiB page is HugePageInTheWay, a 2 MiB page over an existing
//     page table is TableInTheWay (map_range falls back to smaller pages);
//   - intermediate entries are present + writable (+ user when a user page
//     lies below) and never NX: the leaf alone decides the permissions;
//   - unmap clears the leaf but never frees page-table pages;
//   - every change to an entry that was present calls memory.flush(virt) so
//     the live tables' TLB entries can be invalidated.
//
// Hardware-independent: the host tests compile it as-is.
#pragma once

#include "arch/x86_64/paging/address.hpp"
#include "arch/x86_64/paging/entry.hpp"
#include "lib/ktl/optional.hpp"
#include "lib/ktl/type_traits.hpp"
#include "lib/result.hpp"

namespace arch::paging {

template <typename A, typename B>
concept SameAs = ktl::is_same_v<A, B> && ktl::is_same_v<B, A>;

// How the Mapper reaches and obtains page-table pages.
template <typename M>
concept TableMemory = requires(M& memory, PhysAddr table, VirtAddr virt) {
    // The 512 entries of the table page at physical address `table`.
    { memory.table(table) } -> SameAs<u64*>;
    // A new, zeroed, 4 KiB-aligned table page, or nothing when none is left.
    { memory.allocate_table() } -> SameAs<ktl::optional<PhysAddr>>;
    // A present entry mapping `virt` was changed or removed.
    memory.flush(virt);
};

// A table memory's pages, with its flushes collected instead of done page
// by page: the range [low, high) holds every address flushed since the
// caller last reset it (high == 0: none). The address space (one TLB
// invalidation per operation) and paging::init (tables not yet loaded)
// edit through it, so the kernel has one copy of the Mapper's code.
template <TableMemory Memory>
struct RecordingTables {
    Memory* inner;
    u64 low = ~0ULL;
    u64 high = 0;

    u64* table(PhysAddr phys) { return inner->table(phys); }
    ktl::optional<PhysAddr> allocate_table() { return inner->allocate_table(); }
    void flush(VirtAddr virt) {
        if (virt.value() < low) low = virt.value();
        if (virt.value() + 1 > high) high = virt.value() + 1;
    }
};

enum class MapError : u8 {
    NonCanonical,         // the address (or the range's end) is not canonical
    Misaligned,           // address or length not a multiple of the page size
    PhysOutOfRange,       // physical address at or above 2^52
    PageSizeUnsupported,  // a 1 GiB page, but the CPU has none
    AlreadyMapped,        // a different mapping is there (pass Overwrite::Yes to replace)
    HugePageInTheWay,     // a larger page already covers the address
    TableInTheWay,        // a large page where a lower-level table exists
    OutOfTables,          // the table allocator is empty
    NotMapped,            // nothing to unmap
    SizeMismatch,         // unmap with another page size than the mapping's
};

[[nodiscard]] constexpr const char* describe(MapError error) {
    switch (error) {
        case MapError::NonCanonical:
            return "the virtual address is not canonical";
        case MapError::Misaligned:
            return "an address or length is not aligned to the page size";
        case MapError::PhysOutOfRange:
            return "the physical address is above 2^52";
        case MapError::PageSizeUnsupported:
            return "the CPU does not support 1 GiB pages";
        case MapError::AlreadyMapped:
            return "a different mapping already exists there";
        case MapError::HugePageInTheWay:
            return "a larger page already maps that address";
        case MapError::TableInTheWay:
            return "a page table exists where a large page was asked for";
        case MapError::OutOfTables:
            return "no page-table page is left";
        case MapError::NotMapped:
            return "the address is not mapped";
        case MapError::SizeMismatch:
            return "the mapping there has another page size";
    }
    return "unknown error";
}

enum class Overwrite : bool { No, Yes };

struct MapperConfig {
    bool nx = true;        // EFER.NXE is on: encode NX for non-executable pages
    bool pages_1g = true;  // the CPU supports 1 GiB pages (CPUID 0x80000001 EDX bit 26)
};

struct Translation {
    PhysAddr phys;       // the translated byte: page + offset
    PhysAddr page;       // the first byte of the page
    VirtAddr page_virt;  // the first virtual byte of the page
    PageSize size;
    // Effective permissions: writable/user only when every level allows it,
    // executable unless some level sets NX; Global and caching from the leaf.
    PageFlags flags;
    Entry leaf;  // accessed/dirty and the raw bits
};

using MapResult = Result<void, MapError>;

// Pages mapped, by size.
struct PageCounts {
    u64 pages[3];  // indexed by PageSize

    constexpr void add(const PageCounts& other) {
        for (int i = 0; i < 3; ++i) pages[i] += other.pages[i];
    }
    friend constexpr bool operator==(const PageCounts&, const PageCounts&) = default;
};

// Why map_range stopped: the error, where, and what it had mapped before.
struct RangeError {
    MapError error;
    VirtAddr where;
    PageCounts done;

    friend constexpr bool operator==(const RangeError&, const RangeError&) = default;
};

using RangeResult = Result<PageCounts, RangeError>;

template <TableMemory Memory>
class Mapper {
public:
    // Edits the tables rooted at the PML4 page `root`.
    Mapper(Memory& memory, PhysAddr root, MapperConfig config = {})
        : memory_(&memory), root_(root), config_(config) {}

    [[nodiscard]] PhysAddr root() const { return root_; }
    [[nodiscard]] const MapperConfig& config() const { return config_; }

    // Maps one page of `size` at `virt` to `phys`.
    [[nodiscard]] MapResult map(VirtAddr virt, PhysAddr phys, PageSize size, PageFlags flags,
                                Overwrite overwrite = Overwrite::No) {
        u64 bytes = page_bytes(size);
        if (!is_canonical(virt)) return MapError::NonCanonical;
        if (!virt.is_aligned(bytes) || !phys.is_aligned(bytes)) return MapError::Misaligned;
        if (!is_addressable(phys)) return MapError::PhysOutOfRange;
        if (size == PageSize::Size1G && !config_.pages_1g) return MapError::PageSizeUnsupported;

        const u32 leaf_at = leaf_level(size);
        Result<u64*, MapError> table =
            walk_to_leaf_table(virt, leaf_at, has(flags, PageFlags::User));
        if (!table) return table.error();
        return set_leaf((*table)[table_index(virt, leaf_at)], virt, leaf_at,
                        Entry::leaf(phys, size, flags, config_.nx), overwrite);
    }

    // Maps [virt, virt + length) to [phys, phys + length), both 4 KiB
    // aligned, with the largest pages (up to `largest`) that alignment and
    // length allow. Returns the pages mapped, by size; stops at the first
    // error and says where.
    [[nodiscard]] RangeResult map_range(VirtAddr virt, PhysAddr phys, u64 length, PageFlags flags,
                                        PageSize largest = PageSize::Size1G,
                                        Overwrite overwrite = Overwrite::No) {
        PageCounts counts{{0, 0, 0}};
        if (!virt.is_aligned(kPageSize) || !phys.is_aligned(kPageSize) || length % kPageSize != 0)
            return RangeError{MapError::Misaligned, virt, counts};
        if (length == 0) return counts;
        u64 last = 0;
        if (__builtin_add_overflow(virt.value(), length - 1, &last) || !is_canonical(virt) ||
            !is_canonical(VirtAddr{last}) || (virt.value() >> 63) != (last >> 63))
            return RangeError{MapError::NonCanonical, virt, counts};
        if (!is_addressable(phys) || length > kPhysicalLimit - phys.value())
            return RangeError{MapError::PhysOutOfRange, virt, counts};

        // The page table the last 4 KiB page went into: the next one goes
        // into its next slot without a walk from the root, unless it
        // starts a new table (a range of 4 KiB pages costs one walk per
        // 2 MiB, not one per page).
        const bool user = has(flags, PageFlags::User);
        u64* leaf_table = nullptr;
        // A 4 KiB page's entry is this one with the frame's address added
        // (the range's physical addresses were checked above).
        const Entry small_page = Entry::leaf(PhysAddr{0}, PageSize::Size4K, flags, config_.nx);
        for (u64 done = 0; done < length;) {
            VirtAddr v = virt + done;
            PhysAddr p = phys + done;
            PageSize size = largest_fit(v, p, length - done, largest);
            if (size == PageSize::Size4K) {
                MapResult mapped =
                    map_small(v, Entry{small_page.raw() | p.value()}, user, overwrite, leaf_table);
                if (!mapped) return RangeError{mapped.error(), v, counts};
                ++counts.pages[static_cast<u8>(size)];
                done += kPageSize;
                continue;
            }
            leaf_table = nullptr;
            MapResult mapped = map(v, p, size, flags, overwrite);
            // Where a table already exists, smaller pages still fit.
            while (!mapped && mapped.error() == MapError::TableInTheWay &&
                   size != PageSize::Size4K) {
                size = static_cast<PageSize>(static_cast<u8>(size) - 1);
                mapped = map(v, p, size, flags, overwrite);
            }
            if (!mapped) return RangeError{mapped.error(), v, counts};
            ++counts.pages[static_cast<u8>(size)];
            done += page_bytes(size);
        }
        return counts;
    }

    // Removes the page of `size` that starts at `virt`.
    [[nodiscard]] MapResult unmap(VirtAddr virt, PageSize size = PageSize::Size4K) {
        if (!is_canonical(virt)) return MapError::NonCanonical;
        if (!virt.is_aligned(page_bytes(size))) return MapError::Misaligned;
        u32 leaf_at = leaf_level(size);
        u64* table = memory_->table(root_);
        for (u32 level = kLevels; level >= 1; --level) {
            u64& slot = table[table_index(virt, level)];
            Entry entry{slot};
            if (!entry.present()) return MapError::NotMapped;
            if (entry.is_leaf(level)) {
                if (level != leaf_at) return MapError::SizeMismatch;
                slot = 0;
                memory_->flush(virt);
                return {};
            }
            if (level == leaf_at) return MapError::SizeMismatch;  // a table, not a page
            table = memory_->table(entry.address(level));
        }
        return MapError::NotMapped;
    }

    // Where `virt` leads, with the effective permissions; nothing when it
    // is not canonical or not mapped.
    [[nodiscard]] ktl::optional<Translation> translate(VirtAddr virt) const {
        if (!is_canonical(virt)) return ktl::nullopt;
        Walk walk{true, true, false};
        const u64* table = memory_->table(root_);
        for (u32 level = kLevels; level >= 1; --level) {
            Entry entry{table[table_index(virt, level)]};
            if (!entry.present()) return ktl::nullopt;
            walk = walk.through(entry);
            if (entry.is_leaf(level)) {
                u64 offset = page_offset(virt, page_size_at(level));
                return make_translation(entry, level, VirtAddr{virt.value() - offset}, walk,
                                        offset);
            }
            table = memory_->table(entry.address(level));
        }
        return ktl::nullopt;
    }

    // Calls visit(const Translation&) for every mapped page, in ascending
    // virtual address order (the lower half first). Translation::phys is
    // the page's first byte.
    template <typename Visitor>
    void for_each_page(Visitor&& visit) const {
        visit_table(root_, kLevels, 0, Walk{true, true, false}, visit);
    }

private:
    // The table at `leaf_at` that holds virt's entry, from the root down,
    // adding the tables that are missing: the walk of map().
    [[nodiscard]] Result<u64*, MapError> walk_to_leaf_table(VirtAddr virt, u32 leaf_at, bool user) {
        u64* table = memory_->table(root_);
        for (u32 level = kLevels; level > leaf_at; --level) {
            u64& slot = table[table_index(virt, level)];
            Entry entry{slot};
            if (!entry.present()) {
                ktl::optional<PhysAddr> next = memory_->allocate_table();
                if (!next) return MapError::OutOfTables;
                entry = Entry::table(*next, user);
                slot = entry.raw();
            } else if (entry.is_leaf(level)) {
                return MapError::HugePageInTheWay;
            } else if (user && !entry.user()) {
                entry = Entry{entry.raw() | Entry::kUser};  // widening: no flush needed
                slot = entry.raw();
            }
            table = memory_->table(entry.address(level));
        }
        return table;
    }

    // map_range's 4 KiB page at `virt`: into `leaf_table` (the page table
    // of the page before), or into the table a walk finds when there is
    // none yet or virt starts a new one; leaf_table is then that table.
    [[nodiscard]] MapResult map_small(VirtAddr virt, Entry want, bool user, Overwrite overwrite,
                                      u64*& leaf_table) {
        const u32 slot = table_index(virt, 1);
        if (leaf_table == nullptr || slot == 0) {
            Result<u64*, MapError> table = walk_to_leaf_table(virt, 1, user);
            if (!table) return table.error();
            leaf_table = *table;
        }
        return set_leaf(leaf_table[slot], virt, 1, want, overwrite);
    }

    // Writes the leaf entry `slot` (virt's, in its table): the checks and
    // the flush of map().
    [[nodiscard]] MapResult set_leaf(u64& slot, VirtAddr virt, u32 leaf_at, Entry want,
                                     Overwrite overwrite) {
        Entry have{slot};
        if (have.present()) {
            if (!have.is_leaf(leaf_at)) return MapError::TableInTheWay;
            constexpr u64 kHardwareSet = Entry::kAccessed | Entry::kDirty;
            if ((have.raw() & ~kHardwareSet) == want.raw()) return {};
            if (overwrite == Overwrite::No) return MapError::AlreadyMapped;
            slot = want.raw();
            memory_->flush(virt);
            return {};
        }
        slot = want.raw();
        return {};
    }

    // Permissions accumulated down a walk.
    struct Walk {
        bool writable;
        bool user;
        bool no_execute;

        [[nodiscard]] Walk through(Entry e) const {
            return {writable && e.writable(), user && e.user(), no_execute || e.no_execute()};
        }
    };

    [[nodiscard]] PageSize largest_fit(VirtAddr v, PhysAddr p, u64 left, PageSize largest) const {
        for (u8 s = static_cast<u8>(largest); s > 0; --s) {
            auto size = static_cast<PageSize>(s);
            u64 bytes = page_bytes(size);
            if (size == PageSize::Size1G && !config_.pages_1g) continue;
            if (v.is_aligned(bytes) && p.is_aligned(bytes) && left >= bytes) return size;
        }
        return PageSize::Size4K;
    }

    [[nodiscard]] Translation make_translation(Entry leaf, u32 level, VirtAddr page_virt, Walk walk,
                                               u64 offset = 0) const {
        PageFlags own = leaf.flags(config_.nx);
        PageFlags flags =
            own & (PageFlags::Global | PageFlags::WriteThrough | PageFlags::CacheDisable);
        if (leaf.pat(level)) flags = flags | PageFlags::Pat;
        if (walk.writable) flags = flags | PageFlags::Writable;
        if (walk.user) flags = flags | PageFlags::User;
        if (!(config_.nx && walk.no_execute)) flags = flags | PageFlags::Executable;
        PhysAddr page = leaf.address(level);
        return Translation{page + offset, page, page_virt, page_size_at(level), flags, leaf};
    }

    template <typename Visitor>
    void visit_table(PhysAddr table_phys, u32 level, u64 base, Walk walk, Visitor& visit) const {
        const u64* table = memory_->table(table_phys);
        for (u32 i = 0; i < kEntriesPerTable; ++i) {
            Entry entry{table[i]};
            if (!entry.present()) continue;
            u64 virt = sign_extend(base | (static_cast<u64>(i) << level_shift(level)));
            Walk below = walk.through(entry);
            if (entry.is_leaf(level)) {
                const Translation t = make_translation(entry, level, VirtAddr{virt}, below);
                visit(t);
            } else {
                visit_table(entry.address(level), level - 1, virt, below, visit);
            }
        }
    }

    Memory* memory_;
    PhysAddr root_;
    MapperConfig config_;
};

}  // namespace arch::paging

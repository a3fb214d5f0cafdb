// An address space: ranges mapped, unmapped, re-protected and translated
// with permissions and a cache type, all or nothing (docs/virtual-memory.md).
//
// It sits on the Mapper (one page at a time) and adds what callers need:
//   - a whole range is checked before anything changes, so a failed call
//     leaves the tables as they were (out of memory for a page table
//     included: what was mapped is unmapped again);
//   - every change to a present entry is collected, and the TLB is told
//     once per operation through `Tlb::invalidate(VirtRange)`: the one
//     function that reaches every CPU (tlb.hpp: invlpg, then a shootdown);
//   - large pages are never split: a range covering part of one is
//     PartialLargePage.
// The caller serialises calls on one address space (the kernel's is
// behind a lock, kernel_space.cpp).
//
// Hardware-independent: the host tests compile it as-is.
#pragma once

#include "arch/x86_64/paging/mapper.hpp"
#include "arch/x86_64/paging/pat.hpp"
#include "lib/address.hpp"
#include "lib/vm.hpp"

namespace arch::paging {

template <typename T>
concept TlbInvalidator = requires(T& tlb, VirtRange range) {
    tlb.invalidate(range);
};

// What translate() reports.
struct Mapping {
    PhysAddr phys;       // the byte `virt` reaches
    VirtAddr page_virt;  // the page that holds it
    PhysAddr page;
    PageSize size;
    PageFlags access;  // Writable, Executable, User, Global (effective, all levels)
    CacheType cache;
    Entry leaf;
};

// The permissions a caller may ask for (reading is implied).
inline constexpr PageFlags kAccessFlags =
    PageFlags::Writable | PageFlags::Executable | PageFlags::User | PageFlags::Global;

using VmResult = Result<void, VmError>;

template <TableMemory Memory, TlbInvalidator Tlb>
class AddressSpace {
public:
    AddressSpace(Memory& memory, PhysAddr root, MapperConfig config, Tlb& tlb)
        : tables_{&memory}, mapper_{tables_, root, config}, tlb_(&tlb) {}

    ~AddressSpace() = default;
    AddressSpace(const AddressSpace&) = delete;
    AddressSpace& operator=(const AddressSpace&) = delete;

    // Maps [virt, virt + length) to [phys, phys + length) with pages up to
    // `largest`. AlreadyMapped when any page of the range is mapped.
    [[nodiscard]] VmResult map(VirtAddr virt, PhysAddr phys, u64 length, PageFlags access,
                               CacheType cache, PageSize largest = PageSize::Size2M) {
        KEEL_TRY(check_range(virt, length));
        if (!phys.is_aligned(kPageSize)) return VmError::Misaligned;
        if (!is_addressable(phys) || length > kPhysicalLimit - phys.value())
            return VmError::PhysOutOfRange;
        if (!valid_access(access)) return VmError::BadPermissions;
        for (u64 done = 0; done < length;) {
            const Probe p = probe(virt + done);
            if (p.mapped) return VmError::AlreadyMapped;
            done += p.skip;
        }
        const RangeResult r = mapper_.map_range(virt, phys, length, encode(access, cache), largest);
        if (r) return {};
        // Undo what was mapped (all of it fresh: nothing to invalidate but
        // what a speculative walk may have cached, so tell the TLB anyway).
        const u64 mapped = r.error().where.value() - virt.value();
        if (mapped != 0) remove(virt, mapped);
        flush_recorded();
        return to_vm_error(r.error().error);
    }

    // Unmaps every page of [virt, virt + length); NotMapped (and nothing
    // changed) when any page of it is not mapped.
    [[nodiscard]] VmResult unmap(VirtAddr virt, u64 length) {
        KEEL_TRY(check_range(virt, length));
        KEEL_TRY(check_mapped(virt, length));
        remove(virt, length);
        flush_recorded();
        return {};
    }

    // Gives every page of the range new permissions and cache type.
    [[nodiscard]] VmResult protect(VirtAddr virt, u64 length, PageFlags access, CacheType cache) {
        KEEL_TRY(check_range(virt, length));
        if (!valid_access(access)) return VmError::BadPermissions;
        KEEL_TRY(check_mapped(virt, length));
        const PageFlags flags = encode(access, cache);
        for (u64 done = 0; done < length;) {
            const ktl::optional<Translation> t = mapper_.translate(virt + done);
            // Cannot fail: the range was checked, and no table is needed.
            (void)mapper_.map(t->page_virt, t->page, t->size, flags, Overwrite::Yes);
            done += page_bytes(t->size);
        }
        flush_recorded();
        return {};
    }

    [[nodiscard]] Result<Mapping, VmError> translate(VirtAddr virt) const {
        if (!is_canonical(virt)) return VmError::NonCanonical;
        const ktl::optional<Translation> t = mapper_.translate(virt);
        if (!t) return VmError::NotMapped;
        return Mapping{t->phys,
                       t->page_virt,
                       t->page,
                       t->size,
                       t->flags & kAccessFlags,
                       cache_type_of(t->flags),
                       t->leaf};
    }

    [[nodiscard]] const Mapper<RecordingTables<Memory>>& mapper() const { return mapper_; }

private:
    // Whether `virt` is mapped, and how far the answer holds: the mapped
    // page's end, or the end of the empty entry the walk stopped at.
    struct Probe {
        bool mapped;
        u64 skip;
    };

    [[nodiscard]] Probe probe(VirtAddr virt) {
        u64* table = tables_.table(mapper_.root());
        for (u32 level = kLevels; level >= 1; --level) {
            const Entry entry{table[table_index(virt, level)]};
            const u64 span = level_span(level);
            if (!entry.present()) return {false, span - (virt.value() & (span - 1))};
            if (entry.is_leaf(level)) return {true, span};
            table = tables_.table(entry.address(level));
        }
        return {false, kPageSize};
    }

    [[nodiscard]] static bool valid_access(PageFlags access) {
        return without(access, kAccessFlags) == PageFlags::None;
    }
    [[nodiscard]] static PageFlags encode(PageFlags access, CacheType cache) {
        return access | cache_flags(cache);
    }

    [[nodiscard]] static VmResult check_range(VirtAddr virt, u64 length) {
        if (length == 0 || !virt.is_aligned(kPageSize) || length % kPageSize != 0)
            return VmError::Misaligned;
        u64 last = 0;
        if (__builtin_add_overflow(virt.value(), length - 1, &last) || !is_canonical(virt) ||
            !is_canonical(VirtAddr{last}) || (virt.value() >> 63) != (last >> 63))
            return VmError::NonCanonical;
        return {};
    }

    // Every page of the range mapped, and no large page sticking out.
    [[nodiscard]] VmResult check_mapped(VirtAddr virt, u64 length) const {
        for (u64 done = 0; done < length;) {
            const ktl::optional<Translation> t = mapper_.translate(virt + done);
            if (!t) return VmError::NotMapped;
            const u64 bytes = page_bytes(t->size);
            if (t->page_virt.value() < virt.value() || bytes > length - done)
                return VmError::PartialLargePage;
            done += bytes;
        }
        return {};
    }

    // Unmaps a range known to hold whole pages only.
    void remove(VirtAddr virt, u64 length) {
        for (u64 done = 0; done < length;) {
            const ktl::optional<Translation> t = mapper_.translate(virt + done);
            if (!t) {  // a hole (only while undoing a partial map)
                done += kPageSize;
                continue;
            }
            (void)mapper_.unmap(t->page_virt, t->size);
            done += page_bytes(t->size);
        }
    }

    void flush_recorded() {
        if (tables_.high == 0) return;
        tlb_->invalidate(VirtRange{VirtAddr{tables_.low}, VirtAddr{tables_.high}});
        tables_.low = ~0ULL;
        tables_.high = 0;
    }

    [[nodiscard]] static VmError to_vm_error(MapError e) {
        switch (e) {
            case MapError::NonCanonical:
                return VmError::NonCanonical;
            case MapError::Misaligned:
                return VmError::Misaligned;
            case MapError::PhysOutOfRange:
                return VmError::PhysOutOfRange;
            case MapError::OutOfTables:
                return VmError::OutOfMemory;
            case MapError::HugePageInTheWay:
            case MapError::TableInTheWay:
            case MapError::AlreadyMapped:
                return VmError::AlreadyMapped;
            case MapError::PageSizeUnsupported:
            case MapError::SizeMismatch:
                return VmError::PartialLargePage;
            case MapError::NotMapped:
                return VmError::NotMapped;
        }
        return VmError::OutOfMemory;
    }

    RecordingTables<Memory> tables_;
    Mapper<RecordingTables<Memory>> mapper_;
    Tlb* tlb_;
};

}  // namespace arch::paging

// A page-table entry (any level) and the permissions a mapping asks for.
// Entry formats: Intel SDM Vol. 3A, 4.5, tables 4-14 to 4-20. The bits are
// named once in bits.h, shared with the boot assembly.
//
// Hardware-independent: the host tests compile it as-is.
#pragma once

// Relative, so the host tests (which only add src/ to the include path)
// find it too.
#include "arch/x86_64/bits.h"
#include "arch/x86_64/paging/address.hpp"

namespace arch::paging {

// What a mapping grants, independent of how the entry encodes it.
// Everything mapped is readable (x86 has no write- or execute-only pages).
enum class PageFlags : u8 {
    None = 0,
    Writable = 1 << 0,
    Executable = 1 << 1,    // no NX bit (NX only exists with EFER.NXE)
    User = 1 << 2,          // accessible from CPL 3
    Global = 1 << 3,        // kept in the TLB across CR3 loads (CR4.PGE)
    WriteThrough = 1 << 4,  // PWT
    CacheDisable = 1 << 5,  // PCD
    Pat = 1 << 6,           // the PAT bit: with PCD and PWT, selects a PAT entry (pat.hpp)
};

[[nodiscard]] constexpr PageFlags operator|(PageFlags a, PageFlags b) {
    return static_cast<PageFlags>(static_cast<u8>(a) | static_cast<u8>(b));
}
[[nodiscard]] constexpr PageFlags operator&(PageFlags a, PageFlags b) {
    return static_cast<PageFlags>(static_cast<u8>(a) & static_cast<u8>(b));
}
[[nodiscard]] constexpr PageFlags without(PageFlags set, PageFlags bits) {
    return static_cast<PageFlags>(static_cast<u8>(set) & ~static_cast<u8>(bits));
}
[[nodiscard]] constexpr bool has(PageFlags set, PageFlags bit) {
    return (static_cast<u8>(set) & static_cast<u8>(bit)) != 0;
}
// "R--", "RW-", "R-X" or "RWX", for logs.
[[nodiscard]] constexpr const char* rwx(PageFlags flags) {
    bool w = has(flags, PageFlags::Writable);
    bool x = has(flags, PageFlags::Executable);
    return w ? (x ? "RWX" : "RW-") : (x ? "R-X" : "R--");
}

class Entry {
public:
    static constexpr u64 kPresent = PTE_PRESENT;
    static constexpr u64 kWritable = PTE_WRITABLE;
    static constexpr u64 kUser = PTE_USER;
    static constexpr u64 kWriteThrough = PTE_WRITE_THROUGH;
    static constexpr u64 kCacheDisable = PTE_CACHE_DISABLE;
    static constexpr u64 kAccessed = PTE_ACCESSED;
    static constexpr u64 kDirty = PTE_DIRTY;
    static constexpr u64 kHuge = PTE_HUGE;  // PS in a PDPTE/PDE; PAT in a PTE
    static constexpr u64 kGlobal = PTE_GLOBAL;
    static constexpr u64 kNoExecute = PTE_NO_EXECUTE;
    static constexpr u64 kPat4K = PTE_PAT;           // a 4 KiB PTE's PAT bit (PS elsewhere)
    static constexpr u64 kPatLarge = PTE_PAT_LARGE;  // a 2 MiB/1 GiB leaf's PAT bit
    // Bits 51:12: the physical address of the next table or of a 4 KiB page.
    static constexpr u64 kAddressMask = (kPhysicalLimit - 1) & ~(kPageSize - 1);

    constexpr Entry() = default;
    constexpr explicit Entry(u64 raw) : raw_(raw) {}

    // An entry pointing at a lower-level table. Intermediate entries grant
    // everything (writable, executable); the leaf restricts. `user` must be
    // set on every level for a user page to be reachable from CPL 3.
    [[nodiscard]] static constexpr Entry table(PhysAddr next, bool user) {
        return Entry{(next.value() & kAddressMask) | kPresent | kWritable | (user ? kUser : 0)};
    }
    // An entry mapping `size` bytes at `phys` with `flags`. NX is only
    // encoded when `nx` (EFER.NXE) is on: without it bit 63 is reserved.
    [[nodiscard]] static constexpr Entry leaf(PhysAddr phys, PageSize size, PageFlags flags,
                                              bool nx) {
        u64 raw = (phys.value() & address_mask(leaf_level(size))) | kPresent;
        if (size != PageSize::Size4K) raw |= kHuge;
        if (has(flags, PageFlags::Writable)) raw |= kWritable;
        if (has(flags, PageFlags::User)) raw |= kUser;
        if (has(flags, PageFlags::Global)) raw |= kGlobal;
        if (has(flags, PageFlags::WriteThrough)) raw |= kWriteThrough;
        if (has(flags, PageFlags::CacheDisable)) raw |= kCacheDisable;
        if (has(flags, PageFlags::Pat)) raw |= size == PageSize::Size4K ? kPat4K : kPatLarge;
        if (nx && !has(flags, PageFlags::Executable)) raw |= kNoExecute;
        return Entry{raw};
    }
    // The address bits of a leaf at `level`: a 2 MiB/1 GiB page's address
    // starts at bit 21/30 (bit 12 is PAT there).
    [[nodiscard]] static constexpr u64 address_mask(u32 level) {
        return level == 1 ? kAddressMask : kAddressMask & ~(level_span(level) - 1);
    }

    [[nodiscard]] constexpr u64 raw() const { return raw_; }
    [[nodiscard]] constexpr bool present() const { return (raw_ & kPresent) != 0; }
    [[nodiscard]] constexpr bool writable() const { return (raw_ & kWritable) != 0; }
    [[nodiscard]] constexpr bool user() const { return (raw_ & kUser) != 0; }
    [[nodiscard]] constexpr bool write_through() const { return (raw_ & kWriteThrough) != 0; }
    [[nodiscard]] constexpr bool cache_disabled() const { return (raw_ & kCacheDisable) != 0; }
    [[nodiscard]] constexpr bool accessed() const { return (raw_ & kAccessed) != 0; }
    [[nodiscard]] constexpr bool dirty() const { return (raw_ & kDirty) != 0; }
    [[nodiscard]] constexpr bool huge() const { return (raw_ & kHuge) != 0; }
    [[nodiscard]] constexpr bool global() const { return (raw_ & kGlobal) != 0; }
    [[nodiscard]] constexpr bool no_execute() const { return (raw_ & kNoExecute) != 0; }
    // The PAT bit of a leaf at `level`: bit 7 in a PTE, bit 12 above.
    [[nodiscard]] constexpr bool pat(u32 level) const {
        return (raw_ & (level == 1 ? kPat4K : kPatLarge)) != 0;
    }

    // Whether a present entry at `level` maps memory rather than pointing at
    // a table: always in a PT, with PS=1 in a PD or PDPT, never in the PML4.
    [[nodiscard]] constexpr bool is_leaf(u32 level) const {
        return level == 1 || ((level == 2 || level == 3) && huge());
    }
    // The next table's address (non-leaf) or the page's (leaf).
    [[nodiscard]] constexpr PhysAddr address(u32 level) const {
        return PhysAddr{raw_ & (is_leaf(level) ? address_mask(level) : kAddressMask)};
    }
    // The leaf's own permissions (not combined with the upper levels).
    [[nodiscard]] constexpr PageFlags flags(bool nx) const {
        PageFlags f = PageFlags::None;
        if (writable()) f = f | PageFlags::Writable;
        if (!(nx && no_execute())) f = f | PageFlags::Executable;
        if (user()) f = f | PageFlags::User;
        if (global()) f = f | PageFlags::Global;
        if (write_through()) f = f | PageFlags::WriteThrough;
        if (cache_disabled()) f = f | PageFlags::CacheDisable;
        return f;
    }
    friend constexpr bool operator==(Entry, Entry) = default;

private:
    u64 raw_ = 0;
};

static_assert(sizeof(Entry) == 8);
static_assert(Entry::kAddressMask == 0x000F'FFFF'FFFF'F000ULL);

}  // namespace arch::paging

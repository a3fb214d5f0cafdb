// Physical and virtual addresses and half-open ranges of them: the kernel's
// vocabulary for "where", so that a physical address cannot be passed where
// a virtual one is meant and a range's end is never computed twice.
//
//   PhysAddr / VirtAddr   one address; explicit from u64, .value() back.
//   PhysRange / VirtRange [base, end), end exclusive. The last byte of the
//                         64-bit space (2^64 - 1) cannot be included: a
//                         range that would reach past it is clamped to end
//                         there instead of wrapping.
//
// Both print through kfmt: "{}" on an address is "0x1000" and any integer
// spec works as on a u64 ("{:#018x}"); "{}" on a range is its first and last
// byte, "0x1000-0x1fff", each end following the spec, and "(empty at 0x1000)"
// for an empty range.
//
// In the global namespace, like u64: every layer uses them, unqualified.
// Architecture-specific meaning (canonical addresses, page-table indices)
// lives in arch (arch/x86_64/paging/address.hpp).
#pragma once

#include "lib/format/format_check.hpp"
#include "lib/format/formatter.hpp"
#include "lib/ktl/bit.hpp"
#include "lib/ktl/types.hpp"

template <typename Tag>
class Address {
public:
    static constexpr u64 kMax = ~0ULL;

    constexpr Address() = default;
    constexpr explicit Address(u64 value) : value_(value) {}

    [[nodiscard]] constexpr u64 value() const { return value_; }
    // `alignment` is a power of two.
    [[nodiscard]] constexpr bool is_aligned(u64 alignment) const {
        return ktl::is_aligned(value_, alignment);
    }
    [[nodiscard]] constexpr Address align_down(u64 alignment) const {
        return Address{ktl::align_down(value_, alignment)};
    }
    // Saturates at the last aligned address instead of wrapping to 0.
    [[nodiscard]] constexpr Address align_up(u64 alignment) const {
        if (value_ > kMax - (alignment - 1)) return Address{ktl::align_down(kMax, alignment)};
        return Address{ktl::align_up(value_, alignment)};
    }

    // Plain modular arithmetic, as on the u64 it wraps: callers that can
    // reach the top check first (or build a Range, which clamps).
    [[nodiscard]] constexpr Address operator+(u64 offset) const { return Address{value_ + offset}; }
    [[nodiscard]] constexpr Address operator-(u64 offset) const { return Address{value_ - offset}; }
    // The distance from `b` up to `a`.
    [[nodiscard]] friend constexpr u64 operator-(Address a, Address b) {
        return a.value_ - b.value_;
    }
    friend constexpr bool operator==(Address, Address) = default;
    // Spelled out: <=> needs <compare>, a hosted header.
    friend constexpr bool operator<(Address a, Address b) { return a.value_ < b.value_; }
    friend constexpr bool operator<=(Address a, Address b) { return a.value_ <= b.value_; }
    friend constexpr bool operator>(Address a, Address b) { return a.value_ > b.value_; }
    friend constexpr bool operator>=(Address a, Address b) { return a.value_ >= b.value_; }

private:
    u64 value_ = 0;
};

struct PhysTag;
struct VirtTag;
using PhysAddr = Address<PhysTag>;
using VirtAddr = Address<VirtTag>;

// Where an object is, as a virtual address.
[[nodiscard]] inline VirtAddr virt_of(const volatile void* object) {
    return VirtAddr{reinterpret_cast<uptr>(object)};
}

template <typename A>
class Range {
public:
    constexpr Range() = default;
    // [base, end); an end below base gives the empty range at base.
    constexpr Range(A base, A end) : base_(base), end_(end < base ? base : end) {}
    // [base, base + size), the end clamped to 2^64 - 1 instead of wrapping.
    [[nodiscard]] static constexpr Range from_size(A base, u64 size) {
        u64 end = 0;
        if (__builtin_add_overflow(base.value(), size, &end)) end = A::kMax;
        return Range{base, A{end}};
    }
    // The same, from raw values (e.g. a firmware table's base and length).
    [[nodiscard]] static constexpr Range from_size(u64 base, u64 size) {
        return from_size(A{base}, size);
    }

    [[nodiscard]] constexpr A base() const { return base_; }
    [[nodiscard]] constexpr A end() const { return end_; }
    // The last byte; meaningless for an empty range.
    [[nodiscard]] constexpr A last() const { return end_ - 1; }
    [[nodiscard]] constexpr u64 size() const { return end_ - base_; }
    [[nodiscard]] constexpr bool empty() const { return end_ == base_; }

    [[nodiscard]] constexpr bool contains(A addr) const { return base_ <= addr && addr < end_; }
    // Whether every byte of `r` is in this range; false for an empty `r`, so
    // that "is this zero-length buffer mapped?" is never answered yes by
    // accident.
    [[nodiscard]] constexpr bool contains(Range r) const {
        return !r.empty() && base_ <= r.base_ && r.end_ <= end_;
    }
    // Whether some byte is in both.
    [[nodiscard]] constexpr bool overlaps(Range r) const {
        return !empty() && !r.empty() && base_ < r.end_ && r.base_ < end_;
    }
    // Whether the two overlap or touch, so that their union is one range.
    [[nodiscard]] constexpr bool touches(Range r) const {
        return base_ <= r.end_ && r.base_ <= end_;
    }
    // The bytes in both (empty, at some base, when there are none).
    [[nodiscard]] constexpr Range intersect(Range r) const {
        A b = base_ < r.base_ ? r.base_ : base_;
        A e = end_ < r.end_ ? end_ : r.end_;
        return Range{b, e};
    }
    // The smallest range holding both (they should touch, or the gap is taken too).
    [[nodiscard]] constexpr Range unite(Range r) const {
        return Range{base_ < r.base_ ? base_ : r.base_, end_ < r.end_ ? r.end_ : end_};
    }
    // The whole `alignment` blocks inside: base rounded up, end down (empty
    // when no whole block fits).
    [[nodiscard]] constexpr Range align_inward(u64 alignment) const {
        return Range{base_.align_up(alignment), end_.align_down(alignment)};
    }
    // The blocks touching it: base rounded down, end up, saturating at the
    // last aligned address rather than wrapping.
    [[nodiscard]] constexpr Range align_outward(u64 alignment) const {
        if (empty()) return *this;
        return Range{base_.align_down(alignment), end_.align_up(alignment)};
    }

    friend constexpr bool operator==(Range, Range) = default;

private:
    A base_{};
    A end_{};
};

using PhysRange = Range<PhysAddr>;
using VirtRange = Range<VirtAddr>;

namespace kfmt {

namespace detail {
// An address takes what a u64 takes, except 'c'.
constexpr const char* check_address_spec(const FormatSpec& spec) {
    if (spec.type == 'c') return fail("an address cannot be shown as a character");
    return check_spec(spec, ArgKind::unsigned_int);
}
// No type letter: "{:#x}" ("0x1000"), the way addresses are read.
constexpr FormatSpec address_spec(FormatSpec spec) {
    if (spec.type == '\0') {
        spec.type = 'x';
        spec.alt = true;
    }
    return spec;
}
}  // namespace detail

template <typename Tag>
struct Formatter<Address<Tag>> {
    static constexpr const char* check(const FormatSpec& spec) {
        return detail::check_address_spec(spec);
    }
    static void format(Sink& out, Address<Tag> addr, const FormatSpec& spec) {
        write_unsigned(out, addr.value(), detail::address_spec(spec));
    }
};

template <typename A>
struct Formatter<Range<A>> {
    static constexpr const char* check(const FormatSpec& spec) {
        return detail::check_address_spec(spec);
    }
    static void format(Sink& out, const Range<A>& r, const FormatSpec& spec) {
        const FormatSpec s = detail::address_spec(spec);
        if (r.empty()) {
            out.write("(empty at ", 10);
            write_unsigned(out, r.base().value(), s);
            out.put(')');
            return;
        }
        write_unsigned(out, r.base().value(), s);
        out.put('-');
        write_unsigned(out, r.last().value(), s);
    }
};

}  // namespace kfmt

#include "kernel/acpi/sleep_state.hpp"

#include "kernel/acpi/header.hpp"

namespace kernel::acpi {
namespace {

// AML opcodes and prefixes (ACPI 6.5 §20.2.3, §20.2.5).
constexpr u8 kNameOp = 0x08, kPackageOp = 0x12, kRootChar = 0x5C, kZeroOp = 0x00, kOneOp = 0x01,
             kBytePrefix = 0x0A, kWordPrefix = 0x0B, kDWordPrefix = 0x0C, kQWordPrefix = 0x0E;
// SLP_TYP is bits 12:10 of PM1 control.
constexpr u64 kMaxSleepType = 7;

// A cursor that fails, rather than reads, past the end.
class Cursor {
public:
    Cursor(Bytes bytes, usize at) : bytes_(bytes), at_(at) {}
    bool byte(u8& out) {
        if (!bytes_.covers(at_, 1)) return false;
        out = bytes_.u8_at(at_++);
        return true;
    }
    bool le(usize count, u64& out) {
        if (!bytes_.covers(at_, count)) return false;
        out = bytes_.le(at_, count);
        at_ += count;
        return true;
    }
    [[nodiscard]] usize at() const { return at_; }

private:
    Bytes bytes_;
    usize at_;
};

// PkgLength (§20.2.4): bits 7:6 of the lead byte count the bytes that
// follow (0-3); with none, bits 5:0 are the length, else bits 3:0 are its
// low nibble and each following byte adds 8 more bits. The length counts
// itself and runs from the lead byte.
bool package_length(Cursor& c, u64& length) {
    u8 lead = 0;
    if (!c.byte(lead)) return false;
    const u8 extra = lead >> 6;
    if (extra == 0) {
        length = lead & 0x3FU;
        return true;
    }
    u64 rest = 0;
    if (!c.le(extra, rest)) return false;
    length = (lead & 0x0FU) | (rest << 4);
    return true;
}

// ComputationalData that is an integer constant; false for anything else.
bool integer(Cursor& c, u64& value) {
    u8 op = 0;
    if (!c.byte(op)) return false;
    switch (op) {
        case kZeroOp:
            value = 0;
            return true;
        case kOneOp:
            value = 1;
            return true;
        case kBytePrefix:
            return c.le(1, value);
        case kWordPrefix:
            return c.le(2, value);
        case kDWordPrefix:
            return c.le(4, value);
        case kQWordPrefix:
            return c.le(8, value);
        default:
            return false;
    }
}

enum class Decoded : u8 { Ok, NotPackage, OutOfRange };

// The package that follows a NameOp `_S5_` whose name ends at `at`.
Decoded decode_package(Bytes t, usize at, SleepType& out) {
    Cursor c(t, at);
    u8 op = 0;
    if (!c.byte(op) || op != kPackageOp) return Decoded::NotPackage;
    const usize start = c.at();
    u64 length = 0;
    u8 count = 0;
    if (!package_length(c, length) || !c.byte(count) || count == 0) return Decoded::NotPackage;
    // The package must lie inside the table; its elements inside the package.
    if (!t.covers(start, length)) return Decoded::NotPackage;
    const Bytes package = t.sub(0, start + length);
    Cursor elements(package, c.at());
    u64 a = 0;
    if (!integer(elements, a)) return Decoded::NotPackage;
    u64 b = 0;
    if (count >= 2) {
        if (!integer(elements, b)) return Decoded::NotPackage;
    } else {
        b = (a >> 8) & 0xFFU;
        a &= 0xFFU;
    }
    if (a > kMaxSleepType || b > kMaxSleepType) return Decoded::OutOfRange;
    out.a = static_cast<u8>(a);
    out.b = static_cast<u8>(b);
    return Decoded::Ok;
}

}  // namespace

ktl::string_view describe(SleepTypeError error) {
    switch (error) {
        case SleepTypeError::NotAnAmlTable:
            return "not a DSDT or SSDT";
        case SleepTypeError::NotFound:
            return "no \\_S5_ object";
        case SleepTypeError::Undecodable:
            return "\\_S5_ is not a package of integer constants (an AML interpreter would be "
                   "needed)";
        case SleepTypeError::OutOfRange:
            return "\\_S5_ holds a sleep type above 7";
    }
    return "unknown error";
}

Result<SleepType, SleepTypeError> find_s5(Bytes table) {
    const auto header = read_header(table);
    if (!header) return SleepTypeError::NotAnAmlTable;
    if (!(header->signature == Signature::of("DSDT")) &&
        !(header->signature == Signature::of("SSDT")))
        return SleepTypeError::NotAnAmlTable;
    // Only the table's own bytes, when its header claims fewer than given.
    const usize size = header->length < table.size() ? header->length : table.size();
    const Bytes t = table.sub(0, size);

    SleepTypeError worst = SleepTypeError::NotFound;
    // The name is four bytes after NameOp: i is where `_S5_` starts.
    for (usize i = kHeaderSize + 1; t.covers(i, 4); ++i) {
        if (t.u8_at(i) != '_' || t.u8_at(i + 1) != 'S' || t.u8_at(i + 2) != '5' ||
            t.u8_at(i + 3) != '_')
            continue;
        usize name_op = i - 1;
        if (t.u8_at(name_op) == kRootChar && name_op > kHeaderSize) --name_op;
        if (t.u8_at(name_op) != kNameOp) continue;
        SleepType found{0, 0, static_cast<u32>(name_op)};
        switch (decode_package(t, i + 4, found)) {
            case Decoded::Ok:
                return found;
            case Decoded::OutOfRange:
                worst = SleepTypeError::OutOfRange;
                break;
            case Decoded::NotPackage:
                if (worst == SleepTypeError::NotFound) worst = SleepTypeError::Undecodable;
                break;
        }
    }
    return worst;
}

}  // namespace kernel::acpi

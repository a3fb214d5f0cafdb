// The \_S5_ (soft-off) sleep type values, found in a DSDT or SSDT by a
// bounded byte scan instead of an AML interpreter (ACPI 6.5 §7.4.2 for
// what \_S5 holds, §20.2 for the AML encoding).
//
// A match is the name `_S5_` right after NameOp (0x08), optionally with the
// root prefix `\`, then PackageOp (0x12), PkgLength, NumElements and the
// elements as integer constants: ZeroOp, OneOp, or BytePrefix, WordPrefix,
// DWordPrefix or QWordPrefix with their value. The first element is
// SLP_TYPa, the second SLP_TYPb; a package of one integer holds both, a
// in its low byte and b in the next (the ACPI 1.0 form). Anything else (a
// Method named _S5, a reference, a package of expressions) is passed over
// and the scan goes on; the first match that decodes wins, as firmware
// that defines _S5 twice does so inside If/Else branches of which the
// first is the usual one.
//
// Every read is bounded by the table's bytes (and its header's length when
// shorter): hostile AML cannot make the scan read out of bounds or loop.
#pragma once

#include "kernel/acpi/bytes.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"
#include "lib/result.hpp"

namespace kernel::acpi {

struct SleepType {
    u8 a;        // SLP_TYPa, written to PM1a control (3 bits)
    u8 b;        // SLP_TYPb, written to PM1b control
    u32 offset;  // where the NameOp of the match is in the table
    friend constexpr bool operator==(const SleepType&, const SleepType&) = default;
};

enum class SleepTypeError : u8 {
    NotAnAmlTable,  // shorter than a header, or neither a DSDT nor an SSDT
    NotFound,       // no NameOp `_S5_` anywhere
    Undecodable,    // `_S5_` named, but never as a package of integer constants
    OutOfRange,     // a package of integers whose SLP_TYP does not fit in 3 bits
};

[[nodiscard]] ktl::string_view describe(SleepTypeError error);

// Scans one whole table, header included ("DSDT" or "SSDT").
Result<SleepType, SleepTypeError> find_s5(Bytes table);

}  // namespace kernel::acpi

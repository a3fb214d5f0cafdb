// Why an ACPI structure could not be used, in words for the boot log.
#pragma once

#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::acpi {

enum class Error : u8 {
    Unreadable,     // the reader could not map it
    BadSignature,   // not the structure it was expected to be
    BadChecksum,    // bytes do not sum to zero
    TooShort,       // shorter than its fixed fields
    TooLong,        // longer than kMaxTableLength
    EntryTooShort,  // a subtable's length byte is below 2 (a walk would not advance)
    EntryPastEnd,   // a subtable runs past the table's end
    ListsItself,    // a root table names itself as one of its tables
    Duplicate,      // the same address listed again
    NoRootTable,    // the RSDP names neither an XSDT nor an RSDT
    PastModuleEnd,  // a supplied table's length runs past the end of its boot module
    ListFull,       // a supplied table would be one more than TableList::kCapacity
};

[[nodiscard]] ktl::string_view describe(Error error);

// An error at a byte offset inside a table (offset 0 for the table itself).
struct TableError {
    Error error;
    u32 offset;
    friend constexpr bool operator==(const TableError&, const TableError&) = default;
};

}  // namespace kernel::acpi

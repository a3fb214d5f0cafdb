// Names for PCI IDs, from the table generated out of pci.ids. Lookups
// return an empty name for IDs the table lacks, so callers can say
// "unknown" instead of printing a wrong name. A name is expanded from the
// table's tokens into the Name returned (name_table.hpp); a table whose
// bytes do not add up (an offset past the pool, a byte with no token)
// gives an empty name, never a read outside it.
#pragma once

#include "drivers/pci/name_table.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace drivers::pci {

struct Name {
    char text[names::kMaxNameLength]{};
    u8 length = 0;

    [[nodiscard]] ktl::string_view view() const { return {text, length}; }
    [[nodiscard]] bool empty() const { return length == 0; }
};
static_assert(names::kMaxNameLength <= 255, "Name::length is a u8");

[[nodiscard]] Name vendor_name(u16 vendor, const names::NameTable& table = names::kTable);
[[nodiscard]] Name device_name(u16 vendor, u16 device,
                               const names::NameTable& table = names::kTable);
// The subclass's name ("VGA compatible controller"), else the class's
// ("Display controller"), else empty.
[[nodiscard]] Name class_name(u8 class_code, u8 subclass,
                              const names::NameTable& table = names::kTable);

}  // namespace drivers::pci

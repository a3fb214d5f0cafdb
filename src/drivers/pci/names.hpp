// Names for PCI IDs, from the table generated out of pci.ids. Lookups
// return an empty view for IDs the table lacks, so callers can say
// "unknown" instead of printing a wrong name.
#pragma once

#include "drivers/pci/name_table.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace drivers::pci {

[[nodiscard]] ktl::string_view vendor_name(u16 vendor,
                                           const names::NameTable& table = names::kTable);
[[nodiscard]] ktl::string_view device_name(u16 vendor, u16 device,
                                           const names::NameTable& table = names::kTable);
// The subclass's name ("VGA compatible controller"), else the class's
// ("Display controller"), else empty.
[[nodiscard]] ktl::string_view class_name(u8 class_code, u8 subclass,
                                          const names::NameTable& table = names::kTable);

}  // namespace drivers::pci

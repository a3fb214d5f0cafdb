// The PCI name table's layout: generated at build time from Debian's
// pci.ids by tools/pciids2cpp.py (cmake/PciIds.cmake). Names are offsets
// into one pool of NUL-terminated strings; each table is sorted by its key.
#pragma once

#include "lib/ktl/span.hpp"
#include "lib/ktl/types.hpp"

namespace drivers::pci::names {

struct VendorName {
    u16 vendor;
    u32 name;  // offset into the pool
};
struct DeviceName {
    u16 vendor;
    u16 device;
    u32 name;
};
struct ClassName {
    u8 class_code;
    u32 name;
};
struct SubclassName {
    u16 class_word;  // class << 8 | subclass
    u32 name;
};

struct NameTable {
    const char* pool = nullptr;
    usize pool_size = 0;
    ktl::span<const VendorName> vendors;
    ktl::span<const DeviceName> devices;
    ktl::span<const ClassName> classes;
    ktl::span<const SubclassName> subclasses;
};

// The generated table.
extern const NameTable kTable;

}  // namespace drivers::pci::names

// The PCI name table's layout: generated at build time from Debian's
// pci.ids by tools/pciids2cpp.py (cmake/PciIds.cmake). Names are offsets
// into one pool of NUL-terminated strings; each table is sorted by its key.
// A pool byte below kFirstToken is itself (names are ASCII); kFirstToken + i
// stands for token i, a word from the token text (the 128 that save the
// most: the pool shrinks to about 60%). names.hpp expands them.
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

inline constexpr u8 kFirstToken = 0x80;
// The longest name, expanded (pciids2cpp.py's MAX_NAME_LENGTH refuses a
// pci.ids with a longer one, so the kernel never cuts a name short).
inline constexpr usize kMaxNameLength = 127;

struct NameTable {
    const char* pool = nullptr;
    usize pool_size = 0;
    ktl::span<const VendorName> vendors;
    ktl::span<const DeviceName> devices;
    ktl::span<const ClassName> classes;
    ktl::span<const SubclassName> subclasses;
    // The tokens: NUL-terminated words in `tokens`, token i at offset
    // token_offsets[i].
    const char* tokens = nullptr;
    usize tokens_size = 0;
    ktl::span<const u16> token_offsets;
};

// The generated table.
extern const NameTable kTable;

}  // namespace drivers::pci::names

// The kernel's own symbol table, for backtraces: function+offset for an
// address, read from the ELF .symtab/.strtab that the Multiboot2 loader
// placed in memory (the ELF-sections tag lists the section headers with
// sh_addr set to where the loader put each non-allocated section).
//
// Hardware-independent (host-tested in tests/host/symbols_test.cpp): memory
// is reached through a Translate function, which maps a loader address range
// to a readable pointer or refuses it. Every field read from the tables is
// bounds-checked, so a missing or malformed table only means raw addresses.
#pragma once

#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"
#include "lib/result.hpp"

namespace kernel::debug {

// ELF64 structures and constants used here (System V gABI, "Sections" and
// "Symbol Table").
namespace elf {
struct SectionHeader {
    u32 sh_name;
    u32 sh_type;
    u64 sh_flags;
    u64 sh_addr;
    u64 sh_offset;
    u64 sh_size;
    u32 sh_link;
    u32 sh_info;
    u64 sh_addralign;
    u64 sh_entsize;
};
static_assert(sizeof(SectionHeader) == 64);

struct Symbol {
    u32 st_name;
    u8 st_info;
    u8 st_other;
    u16 st_shndx;
    u64 st_value;
    u64 st_size;
};
static_assert(sizeof(Symbol) == 24);

inline constexpr u32 kShtSymtab = 2;
inline constexpr u32 kShtStrtab = 3;
inline constexpr u8 kSttFunc = 2;
inline constexpr u16 kShnUndef = 0;
[[nodiscard]] constexpr u8 symbol_type(u8 st_info) { return st_info & 0xF; }
[[nodiscard]] constexpr u8 make_info(u8 bind, u8 type) { return static_cast<u8>(bind << 4 | type); }
}  // namespace elf

// Maps [addr, addr + size) as the loader gave it (a physical address for
// the kernel) to readable memory, or returns nullptr when it cannot.
using Translate = const u8* (*)(u64 addr, u64 size);

// Where the ELF-sections tag's header table is (BootInfo.elf_sections).
struct ElfSectionTable {
    u64 headers_addr;  // num * entsize bytes, reached through Translate
    u32 num;
    u32 entsize;
};

// Why a table could not be used.
enum class SymbolTableError : u8 {
    NoSectionTable,     // no ELF-sections tag, or an empty one
    BadEntrySize,       // entsize smaller than an ELF64 section header
    HeadersUnreadable,  // Translate refused the header table
    NoSymtab,           // no SHT_SYMTAB section
    BadSymtab,          // wrong entsize, size not a multiple, or not loaded
    BadStrtab,          // sh_link out of range, not SHT_STRTAB, or not loaded
    Unreadable,         // Translate refused .symtab or .strtab
};
[[nodiscard]] ktl::string_view describe(SymbolTableError error);

struct SymbolInfo {
    ktl::string_view name;  // As in the table (C++ names are mangled).
    u64 start{};
    u64 size{};
    u64 offset{};  // address - start
};

class SymbolTable {
public:
    // Finds .symtab (by type) and its sh_link string table. The table keeps
    // only addresses and sizes; memory is re-translated on every lookup, so
    // it survives a change of the direct map.
    [[nodiscard]] Result<void, SymbolTableError> init(const ElfSectionTable& sections,
                                                      Translate translate);
    void clear() { *this = SymbolTable(); }

    [[nodiscard]] bool loaded() const { return translate_ != nullptr; }
    [[nodiscard]] u64 symbol_count() const { return symtab_size_ / sizeof(elf::Symbol); }
    [[nodiscard]] u64 function_count() const { return function_count_; }
    [[nodiscard]] u64 symtab_addr() const { return symtab_addr_; }
    [[nodiscard]] u64 symtab_size() const { return symtab_size_; }
    [[nodiscard]] u64 strtab_addr() const { return strtab_addr_; }
    [[nodiscard]] u64 strtab_size() const { return strtab_size_; }

    // The FUNC symbol with the greatest start <= address whose
    // [start, start + size) contains it. False when none does (or no table).
    bool lookup(u64 address, SymbolInfo& out) const;
    // The start of the first FUNC symbol called `name` (tests, debugging).
    bool find(ktl::string_view name, u64& address) const;

private:
    [[nodiscard]] ktl::string_view name_at(const u8* strtab, u32 offset) const;

    Translate translate_ = nullptr;
    u64 symtab_addr_ = 0;
    u64 symtab_size_ = 0;
    u64 strtab_addr_ = 0;
    u64 strtab_size_ = 0;
    u64 function_count_ = 0;
};

}  // namespace kernel::debug

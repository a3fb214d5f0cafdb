#include "kernel/debug/symbols.hpp"

namespace kernel::debug {

namespace {

// Names longer than this are cut: a corrupt string table must not make a
// lookup scan megabytes for a terminator.
constexpr u32 kMaxNameLength = 512;

template <typename T>
T load(const u8* bytes) {
    T value{};
    __builtin_memcpy(&value, bytes, sizeof(T));  // the tables carry no alignment promise
    return value;
}

}  // namespace

ktl::string_view describe(SymbolTableError error) {
    switch (error) {
        case SymbolTableError::NoSectionTable:
            return "the loader passed no ELF section headers";
        case SymbolTableError::BadEntrySize:
            return "the ELF section header size is too small";
        case SymbolTableError::HeadersUnreadable:
            return "the ELF section headers are not mapped";
        case SymbolTableError::NoSymtab:
            return "the kernel image has no .symtab (stripped?)";
        case SymbolTableError::BadSymtab:
            return "the .symtab section header is malformed";
        case SymbolTableError::BadStrtab:
            return "the .symtab's string table is missing or malformed";
        case SymbolTableError::Unreadable:
            return ".symtab or .strtab is not mapped";
    }
    return "unknown error";
}

Result<void, SymbolTableError> SymbolTable::init(const ElfSectionTable& sections,
                                                 Translate translate) {
    clear();
    if (translate == nullptr || sections.num == 0) return SymbolTableError::NoSectionTable;
    if (sections.entsize < sizeof(elf::SectionHeader)) return SymbolTableError::BadEntrySize;
    const u64 table_size = static_cast<u64>(sections.num) * sections.entsize;
    const u8* headers = translate(sections.headers_addr, table_size);
    if (headers == nullptr) return SymbolTableError::HeadersUnreadable;

    auto header = [&](u32 index) {
        return load<elf::SectionHeader>(headers + static_cast<u64>(index) * sections.entsize);
    };
    u32 symtab_index = sections.num;
    for (u32 i = 0; i < sections.num; ++i) {
        if (header(i).sh_type == elf::kShtSymtab) {
            symtab_index = i;
            break;
        }
    }
    if (symtab_index == sections.num) return SymbolTableError::NoSymtab;

    const elf::SectionHeader symtab = header(symtab_index);
    if (symtab.sh_entsize != sizeof(elf::Symbol) || symtab.sh_size % sizeof(elf::Symbol) != 0 ||
        symtab.sh_addr == 0 || symtab.sh_addr + symtab.sh_size < symtab.sh_addr)
        return SymbolTableError::BadSymtab;
    if (symtab.sh_link == 0 || symtab.sh_link >= sections.num) return SymbolTableError::BadStrtab;
    const elf::SectionHeader strtab = header(symtab.sh_link);
    if (strtab.sh_type != elf::kShtStrtab || strtab.sh_addr == 0 || strtab.sh_size == 0 ||
        strtab.sh_addr + strtab.sh_size < strtab.sh_addr)
        return SymbolTableError::BadStrtab;
    if (translate(symtab.sh_addr, symtab.sh_size) == nullptr ||
        translate(strtab.sh_addr, strtab.sh_size) == nullptr)
        return SymbolTableError::Unreadable;

    translate_ = translate;
    symtab_addr_ = symtab.sh_addr;
    symtab_size_ = symtab.sh_size;
    strtab_addr_ = strtab.sh_addr;
    strtab_size_ = strtab.sh_size;

    const u8* symbols = translate_(symtab_addr_, symtab_size_);
    for (u64 i = 0; i < symbol_count(); ++i) {
        const auto sym = load<elf::Symbol>(symbols + i * sizeof(elf::Symbol));
        if (elf::symbol_type(sym.st_info) == elf::kSttFunc && sym.st_shndx != elf::kShnUndef)
            ++function_count_;
    }
    return {};
}

ktl::string_view SymbolTable::name_at(const u8* strtab, u32 offset) const {
    if (offset == 0 || offset >= strtab_size_) return {};
    const char* name = reinterpret_cast<const char*>(strtab + offset);
    const u64 room = strtab_size_ - offset;
    const u64 limit = room < kMaxNameLength ? room : kMaxNameLength;
    u64 length = 0;
    while (length < limit && name[length] != '\0') ++length;
    if (length == room) return {};  // no terminator before the end of the table
    return {name, static_cast<usize>(length)};
}

bool SymbolTable::lookup(u64 address, SymbolInfo& out) const {
    if (!loaded()) return false;
    const u8* symbols = translate_(symtab_addr_, symtab_size_);
    const u8* strtab = translate_(strtab_addr_, strtab_size_);
    if (symbols == nullptr || strtab == nullptr) return false;

    bool found = false;
    elf::Symbol best{};
    for (u64 i = 0; i < symbol_count(); ++i) {
        const auto sym = load<elf::Symbol>(symbols + i * sizeof(elf::Symbol));
        if (elf::symbol_type(sym.st_info) != elf::kSttFunc || sym.st_shndx == elf::kShnUndef)
            continue;
        if (address < sym.st_value || address - sym.st_value >= sym.st_size) continue;
        // Of overlapping functions (aliases, nested asm labels) the innermost.
        if (!found || sym.st_value > best.st_value ||
            (sym.st_value == best.st_value && sym.st_size < best.st_size)) {
            best = sym;
            found = true;
        }
    }
    if (!found) return false;
    out.name = name_at(strtab, best.st_name);
    if (out.name.empty()) out.name = "?";
    out.start = best.st_value;
    out.size = best.st_size;
    out.offset = address - best.st_value;
    return true;
}

bool SymbolTable::find(ktl::string_view name, u64& address) const {
    if (!loaded()) return false;
    const u8* symbols = translate_(symtab_addr_, symtab_size_);
    const u8* strtab = translate_(strtab_addr_, strtab_size_);
    if (symbols == nullptr || strtab == nullptr) return false;
    for (u64 i = 0; i < symbol_count(); ++i) {
        const auto sym = load<elf::Symbol>(symbols + i * sizeof(elf::Symbol));
        if (elf::symbol_type(sym.st_info) != elf::kSttFunc || sym.st_shndx == elf::kShnUndef)
            continue;
        if (name_at(strtab, sym.st_name) == name) {
            address = sym.st_value;
            return true;
        }
    }
    return false;
}

}  // namespace kernel::debug

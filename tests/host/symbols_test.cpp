// kernel::debug::SymbolTable on synthesized ELF section tables: the lookup
// rule (greatest start <= address within size, FUNC symbols only) and the
// graceful refusal of missing or malformed tables.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "kernel/debug/symbols.hpp"

namespace {

using kernel::debug::ElfSectionTable;
using kernel::debug::SymbolInfo;
using kernel::debug::SymbolTable;
using kernel::debug::SymbolTableError;
namespace elf = kernel::debug::elf;

constexpr u8 kLocal = 0, kGlobal = 1;
constexpr u8 kObject = 1, kNoType = 0;
constexpr u32 kShtProgbits = 1;

// Addresses in the tables are host pointers: translate is the identity.
const u8* identity(u64 addr, u64) {
    return reinterpret_cast<const u8*>(static_cast<uintptr_t>(addr));
}
const u8* refuse_all(u64, u64) { return nullptr; }

u64 addr_of(const void* p) { return reinterpret_cast<u64>(p); }

// An ELF image as GRUB leaves it: section headers (num * entsize bytes) with
// sh_addr set to where each section's contents are in memory.
struct Image {
    std::vector<elf::Symbol> symbols;
    std::string strtab = std::string(1, '\0');
    std::vector<elf::SectionHeader> sections;
    std::vector<u8> header_bytes;
    u32 entsize = sizeof(elf::SectionHeader);

    u32 name(const std::string& text) {
        const u32 offset = static_cast<u32>(strtab.size());
        strtab += text;
        strtab += '\0';
        return offset;
    }
    void add_symbol(const std::string& symbol_name, u64 value, u64 size, u8 type = elf::kSttFunc,
                    u8 bind = kGlobal, u16 shndx = 1) {
        symbols.push_back({name(symbol_name), elf::make_info(bind, type), 0, shndx, value, size});
    }
    // Lays out: [0] null, [1] .text, [2] .symtab -> [3] .strtab.
    ElfSectionTable build() {
        symbols.insert(symbols.begin(), elf::Symbol{});  // index 0: the null symbol
        sections.assign(4, elf::SectionHeader{});
        sections[1].sh_type = kShtProgbits;
        sections[1].sh_addr = 0x1000;
        sections[1].sh_size = 0x2000;
        sections[2].sh_type = elf::kShtSymtab;
        sections[2].sh_addr = addr_of(symbols.data());
        sections[2].sh_size = symbols.size() * sizeof(elf::Symbol);
        sections[2].sh_entsize = sizeof(elf::Symbol);
        sections[2].sh_link = 3;
        sections[3].sh_type = elf::kShtStrtab;
        sections[3].sh_addr = addr_of(strtab.data());
        sections[3].sh_size = strtab.size();
        return finish();
    }
    // Re-serializes `sections` (after a test changed them) with `entsize`.
    ElfSectionTable finish() {
        header_bytes.assign(sections.size() * entsize, 0xEE);  // padding is garbage
        for (size_t i = 0; i < sections.size(); ++i)
            std::memcpy(&header_bytes[i * entsize], &sections[i],
                        std::min<size_t>(entsize, sizeof(elf::SectionHeader)));
        return {addr_of(header_bytes.data()), static_cast<u32>(sections.size()), entsize};
    }
};

// A table shaped like the kernel's: functions, an alias inside another
// function, data, an undefined symbol, listed out of address order.
Image sample() {
    Image image;
    image.add_symbol("gamma", 0x2000, 0x10);
    image.add_symbol("alpha", 0x1000, 0x100);
    image.add_symbol("data_object", 0x1180, 0x100, kObject);
    image.add_symbol("beta", 0x1100, 0x80, elf::kSttFunc, kLocal);
    image.add_symbol("alpha_inner", 0x1010, 0x10);
    image.add_symbol("undefined_function", 0x1000, 0x2000, elf::kSttFunc, kGlobal, elf::kShnUndef);
    image.add_symbol("label", 0x1190, 0, kNoType);
    return image;
}

std::string describe(const SymbolTable& table, u64 address) {
    SymbolInfo info;
    if (!table.lookup(address, info)) return "none";
    return std::string(info.name.data(), info.name.size()) + "+" + std::to_string(info.offset);
}

TEST(SymbolTable, LoadsTheSymtabAndItsStringTable) {
    Image image = sample();
    SymbolTable table;
    ASSERT_TRUE(table.init(image.build(), identity));
    EXPECT_TRUE(table.loaded());
    EXPECT_EQ(table.symbol_count(), 8u);
    EXPECT_EQ(table.function_count(), 4u);  // alpha, alpha_inner, beta, gamma
    EXPECT_EQ(table.symtab_addr(), addr_of(image.symbols.data()));
    EXPECT_EQ(table.strtab_size(), image.strtab.size());
}

TEST(SymbolTable, FindsTheFunctionContainingAnAddress) {
    Image image = sample();
    SymbolTable table;
    ASSERT_TRUE(table.init(image.build(), identity));
    EXPECT_EQ(describe(table, 0x1000), "alpha+0");
    EXPECT_EQ(describe(table, 0x100F), "alpha+15");
    EXPECT_EQ(describe(table, 0x10FF), "alpha+255");
    EXPECT_EQ(describe(table, 0x1100), "beta+0");  // local symbols count
    EXPECT_EQ(describe(table, 0x117F), "beta+127");
    EXPECT_EQ(describe(table, 0x2000), "gamma+0");
    EXPECT_EQ(describe(table, 0x200F), "gamma+15");
}

TEST(SymbolTable, PrefersTheGreatestStartBelowTheAddress) {
    Image image = sample();
    SymbolTable table;
    ASSERT_TRUE(table.init(image.build(), identity));
    EXPECT_EQ(describe(table, 0x1010), "alpha_inner+0");
    EXPECT_EQ(describe(table, 0x101F), "alpha_inner+15");
    EXPECT_EQ(describe(table, 0x1020), "alpha+32");  // past the inner one's size
}

TEST(SymbolTable, AnAddressOutsideEveryFunctionHasNoSymbol) {
    Image image = sample();
    SymbolTable table;
    ASSERT_TRUE(table.init(image.build(), identity));
    EXPECT_EQ(describe(table, 0), "none");
    EXPECT_EQ(describe(table, 0xFFF), "none");
    EXPECT_EQ(describe(table, 0x1180), "none");  // data, not code
    EXPECT_EQ(describe(table, 0x1190), "none");  // an untyped label
    EXPECT_EQ(describe(table, 0x2010), "none");  // one past gamma
    EXPECT_EQ(describe(table, ~u64{0}), "none");
}

TEST(SymbolTable, FindsAFunctionByName) {
    Image image = sample();
    SymbolTable table;
    ASSERT_TRUE(table.init(image.build(), identity));
    u64 address = 0;
    EXPECT_TRUE(table.find("beta", address));
    EXPECT_EQ(address, 0x1100u);
    EXPECT_FALSE(table.find("data_object", address));  // not a function
    EXPECT_FALSE(table.find("undefined_function", address));
    EXPECT_FALSE(table.find("missing", address));
    EXPECT_FALSE(table.find("", address));
}

TEST(SymbolTable, AcceptsSectionHeadersWithPadding) {
    Image image = sample();
    image.entsize = 80;  // larger than Elf64_Shdr: the extra bytes are skipped
    SymbolTable table;
    ASSERT_TRUE(table.init(image.build(), identity));
    EXPECT_EQ(describe(table, 0x1101), "beta+1");
}

TEST(SymbolTable, BadNamesPrintAsAQuestionMark) {
    Image image;
    image.add_symbol("fine", 0x1000, 0x10);
    image.add_symbol("x", 0x1100, 0x10);
    image.add_symbol("y", 0x1200, 0x10);
    ElfSectionTable sections = image.build();
    image.symbols[2].st_name = 0xFFFF;  // past the end of .strtab
    image.symbols[3].st_name = 0;       // the empty name
    SymbolTable table;
    ASSERT_TRUE(table.init(sections, identity));
    EXPECT_EQ(describe(table, 0x1005), "fine+5");
    EXPECT_EQ(describe(table, 0x1105), "?+5");
    EXPECT_EQ(describe(table, 0x1205), "?+5");
}

TEST(SymbolTable, ANameWithoutATerminatorIsRejected) {
    Image image;
    image.add_symbol("tail", 0x1000, 0x10);
    ElfSectionTable sections = image.build();
    image.sections[3].sh_size -= 1;  // the string table now ends inside "tail"
    sections = image.finish();
    SymbolTable table;
    ASSERT_TRUE(table.init(sections, identity));
    EXPECT_EQ(describe(table, 0x1000), "?+0");
}

TEST(SymbolTableInit, NoSectionHeaders) {
    SymbolTable table;
    EXPECT_EQ(table.init({0, 0, 64}, identity).error(), SymbolTableError::NoSectionTable);
    EXPECT_FALSE(table.loaded());
    EXPECT_EQ(describe(table, 0x1000), "none");
}

TEST(SymbolTableInit, EntrySizeTooSmall) {
    Image image = sample();
    image.entsize = 40;
    SymbolTable table;
    EXPECT_EQ(table.init(image.build(), identity).error(), SymbolTableError::BadEntrySize);
}

TEST(SymbolTableInit, UnreadableHeaders) {
    Image image = sample();
    SymbolTable table;
    EXPECT_EQ(table.init(image.build(), refuse_all).error(), SymbolTableError::HeadersUnreadable);
    EXPECT_EQ(table.init(image.build(), nullptr).error(), SymbolTableError::NoSectionTable);
}

TEST(SymbolTableInit, StrippedImage) {
    Image image = sample();
    image.build();
    image.sections[2].sh_type = kShtProgbits;
    SymbolTable table;
    EXPECT_EQ(table.init(image.finish(), identity).error(), SymbolTableError::NoSymtab);
    EXPECT_EQ(describe(table, 0x1000), "none");
}

TEST(SymbolTableInit, MalformedSymtab) {
    for (int variant = 0; variant < 3; ++variant) {
        Image image = sample();
        image.build();
        if (variant == 0) image.sections[2].sh_entsize = 16;
        if (variant == 1) image.sections[2].sh_size += 1;
        if (variant == 2) image.sections[2].sh_addr = 0;  // not loaded
        SymbolTable table;
        EXPECT_EQ(table.init(image.finish(), identity).error(), SymbolTableError::BadSymtab)
            << variant;
    }
}

TEST(SymbolTableInit, MalformedStrtab) {
    for (int variant = 0; variant < 5; ++variant) {
        Image image = sample();
        image.build();
        if (variant == 0) image.sections[2].sh_link = 0;
        if (variant == 1) image.sections[2].sh_link = 4;  // out of range
        if (variant == 2) image.sections[2].sh_link = 1;  // not a string table
        if (variant == 3) image.sections[3].sh_addr = 0;
        if (variant == 4) image.sections[3].sh_size = 0;
        SymbolTable table;
        EXPECT_EQ(table.init(image.finish(), identity).error(), SymbolTableError::BadStrtab)
            << variant;
    }
}

TEST(SymbolTableInit, UnreadableContents) {
    Image image = sample();
    ElfSectionTable sections = image.build();
    static u64 refused;
    refused = image.sections[3].sh_addr;
    auto refuse_strtab = [](u64 addr, u64 size) -> const u8* {
        return addr == refused ? nullptr : identity(addr, size);
    };
    SymbolTable table;
    EXPECT_EQ(table.init(sections, refuse_strtab).error(), SymbolTableError::Unreadable);
    EXPECT_FALSE(table.loaded());
}

TEST(SymbolTableInit, AFailedInitForgetsTheOldTable) {
    Image image = sample();
    SymbolTable table;
    ASSERT_TRUE(table.init(image.build(), identity));
    EXPECT_EQ(table.init({0, 0, 64}, identity).error(), SymbolTableError::NoSectionTable);
    EXPECT_EQ(describe(table, 0x1000), "none");
}

TEST(SymbolTableInit, EveryErrorIsDescribed) {
    for (int e = 0; e <= static_cast<int>(SymbolTableError::Unreadable); ++e)
        EXPECT_FALSE(kernel::debug::describe(static_cast<SymbolTableError>(e)).empty());
}

}  // namespace

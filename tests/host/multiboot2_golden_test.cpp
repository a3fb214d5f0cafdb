// The parser against real boot information captured from our kernel booting
// under QEMU + SeaBIOS, QEMU + OVMF and Bochs (tests/data/mbi/, made by
// tools/capture_mbi.py). What each loader reports is asserted as a user
// would read it in the boot log.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "boot/multiboot2/parse.hpp"

namespace mb2 = boot::multiboot2;

namespace {

std::vector<u8> load(const std::string& name) {
    std::ifstream in(std::string(KEEL_TEST_DATA_DIR) + "/mbi/" + name, std::ios::binary);
    EXPECT_TRUE(in.good()) << "missing golden file " << name;
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A fixed, 8-byte aligned physical address for the parsed copy.
constexpr u64 kPhys = 0x10000;

struct Golden : testing::Test {
    mb2::BootInfo info{};
    mb2::ParseResult parse(const std::vector<u8>& bytes) {
        return mb2::parse({bytes.data(), bytes.size()}, kPhys, info);
    }
};

TEST_F(Golden, QemuSeaBiosTextMode) {
    auto bytes = load("qemu-seabios.bin");
    ASSERT_TRUE(parse(bytes).ok());
    EXPECT_TRUE(info.bootloader_name.view().starts_with("GRUB 2"));
    EXPECT_EQ(info.cmdline.view(), ktl::string_view("dump-mbi golden=1"));
    EXPECT_TRUE(info.framebuffer.present);
    EXPECT_EQ(info.framebuffer.type, mb2::FramebufferType::EgaText);
    EXPECT_EQ(info.framebuffer.width, 80u);
    EXPECT_EQ(info.framebuffer.height, 25u);
    EXPECT_TRUE(info.acpi_old.present);
    EXPECT_EQ(std::string(info.acpi_old.oem_id), "BOCHS ");
    EXPECT_FALSE(info.efi64_system_table.has_value());
    // -m 256M: all but the BIOS's own areas is usable.
    EXPECT_GE(info.usable_bytes(), 250ull << 20);
    EXPECT_LE(info.usable_bytes(), 256ull << 20);
    EXPECT_TRUE(info.elf_sections.present);
    EXPECT_EQ(info.unknown_tag_count, 0u);
}

TEST_F(Golden, QemuOvmfFramebufferAndEfiTables) {
    auto bytes = load("qemu-ovmf.bin");
    ASSERT_TRUE(parse(bytes).ok());
    EXPECT_EQ(info.framebuffer.type, mb2::FramebufferType::Rgb);
    EXPECT_EQ(info.framebuffer.bpp, 32);
    EXPECT_GE(info.framebuffer.width, 640u);
    EXPECT_TRUE(info.efi64_system_table.has_value());
    EXPECT_TRUE(info.acpi_new.present);
    EXPECT_EQ(info.acpi_new.revision, 2);
    EXPECT_TRUE(info.efi_memory_map.present);
    EXPECT_GT(info.efi_memory_map.count, 10u);
    EXPECT_GE(info.usable_bytes(), 200ull << 20);
}

TEST_F(Golden, BochsBios) {
    auto bytes = load("bochs.bin");
    ASSERT_TRUE(parse(bytes).ok());
    EXPECT_TRUE(info.bootloader_name.view().starts_with("GRUB 2"));
    EXPECT_EQ(info.framebuffer.type, mb2::FramebufferType::EgaText);
    EXPECT_TRUE(info.acpi_old.present || info.acpi_new.present);
    EXPECT_GT(info.memory_map.count, 2u);
}

// Every golden input truncated at every length is refused cleanly (ASan
// would catch a read past the shortened buffer), also when its total_size
// is rewritten to match the cut, so the tag walk itself meets the end.
TEST_F(Golden, EveryTruncationIsRefused) {
    for (const char* name : {"qemu-seabios.bin", "qemu-ovmf.bin", "bochs.bin"}) {
        auto bytes = load(name);
        for (usize len = 0; len < bytes.size(); ++len) {
            std::vector<u8> cut(bytes.begin(), bytes.begin() + static_cast<long>(len));
            EXPECT_FALSE(parse(cut).ok()) << name << " truncated to " << len;
            if (len >= 8) {
                u32 total = static_cast<u32>(len);
                std::memcpy(cut.data(), &total, sizeof total);
                EXPECT_FALSE(parse(cut).ok()) << name << " with total_size " << len;
            }
        }
    }
}

}  // namespace

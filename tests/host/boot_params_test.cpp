// boot::describe (src/boot/loader.hpp): the loader's information turned into
// the kernel's neutral BootParams, from the real captures in tests/data/mbi/
// and from broken handoffs.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "boot/loader.hpp"
#include "boot/multiboot2/protocol.h"

namespace {

constexpr u64 kPhys = 0x10000;
std::vector<u8> g_memory;  // what the fake reader serves at kPhys

const u8* read(u64 phys, u64 size) {
    if (phys < kPhys || phys - kPhys > g_memory.size() || size > g_memory.size() - (phys - kPhys))
        return nullptr;
    return g_memory.data() + (phys - kPhys);
}

struct Describe : testing::Test {
    std::unique_ptr<boot::BootParams> owner = std::make_unique<boot::BootParams>();
    boot::BootParams& params = *owner;

    boot::DescribeResult describe_file(const std::string& name, u32 magic = MB2_BOOTLOADER_MAGIC) {
        std::ifstream in(std::string(KEEL_TEST_DATA_DIR) + "/mbi/" + name, std::ios::binary);
        EXPECT_TRUE(in.good()) << "missing golden file " << name;
        g_memory.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        return boot::describe({magic, kPhys}, read, params);
    }
};

TEST_F(Describe, SeaBiosBecomesNeutralParams) {
    ASSERT_TRUE(describe_file("qemu-seabios.bin").ok());
    EXPECT_EQ(params.protocol, ktl::string_view("Multiboot2"));
    EXPECT_TRUE(params.loader_name.view().starts_with("GRUB 2"));
    EXPECT_EQ(params.cmdline.view(), ktl::string_view("dump-mbi golden=1"));
    EXPECT_EQ(params.info_phys.value(), kPhys);
    EXPECT_EQ(params.info_size, g_memory.size());
    ASSERT_TRUE(params.memory_map_present);
    EXPECT_GT(params.memory_count, 3u);
    EXPECT_TRUE(params.memory[0].usable());
    EXPECT_EQ(params.memory[0].base.value(), 0u);
    EXPECT_GT(params.usable_bytes(), 200ull << 20);
    EXPECT_TRUE(params.framebuffer.present);
    EXPECT_EQ(params.framebuffer.kind, boot::FramebufferKind::EgaText);
    EXPECT_EQ(params.framebuffer.address.value(), 0xb8000u);
    EXPECT_TRUE(params.rsdp.present);
    EXPECT_EQ(params.rsdp.origin, ktl::string_view("the old tag"));
    EXPECT_TRUE(params.elf_sections.present);
    EXPECT_FALSE(params.efi_system_table.has_value());
    // Tags decoded but unused are listed by name, not kept.
    bool basic_meminfo = false;
    for (const boot::LoaderItem& item : params.unused_items())
        basic_meminfo |= item.name == ktl::string_view("basic memory information");
    EXPECT_TRUE(basic_meminfo);
}

TEST_F(Describe, OvmfHasAnRgbFramebufferAndEfiTable) {
    ASSERT_TRUE(describe_file("qemu-ovmf.bin").ok());
    EXPECT_EQ(params.framebuffer.kind, boot::FramebufferKind::Rgb);
    EXPECT_EQ(params.framebuffer.bpp, 32u);
    EXPECT_EQ(params.framebuffer.red.size, 8u);
    EXPECT_TRUE(params.efi_system_table.has_value());
    EXPECT_TRUE(params.rsdp.present);
}

TEST_F(Describe, UnknownMemoryTypesAreReserved) {
    ASSERT_TRUE(describe_file("qemu-ovmf.bin").ok());
    // Every region has a kind; the memory map's raw numbers stay in src/boot.
    for (const boot::MemoryRegion& r : params.memory_map())
        EXPECT_LE(static_cast<int>(r.kind), static_cast<int>(boot::MemoryKind::Bad));
    EXPECT_EQ(boot::kind_name(boot::MemoryKind::AcpiNvs), ktl::string_view("ACPI NVS"));
}

TEST_F(Describe, WrongMagicIsRefusedInWords) {
    boot::DescribeResult r = describe_file("qemu-seabios.bin", 0x2BADB002);  // Multiboot 1
    EXPECT_FALSE(r.ok());
    EXPECT_NE(std::string(r.error.data(), r.error.size()).find("magic"), std::string::npos);
}

TEST_F(Describe, UnreachableInformationIsRefused) {
    g_memory.clear();
    boot::DescribeResult r = boot::describe({MB2_BOOTLOADER_MAGIC, kPhys}, read, params);
    EXPECT_FALSE(r.ok());
    EXPECT_NE(std::string(r.error.data(), r.error.size()).find("not in the memory"),
              std::string::npos);
}

TEST_F(Describe, BrokenTagKeepsTheFramebufferForThePanicScreen) {
    describe_file("qemu-ovmf.bin");
    // Corrupt the last tag before the end tag: its size runs past the end.
    // The framebuffer tag comes earlier in GRUB's order, so it survives.
    u32 total = 0;
    std::memcpy(&total, g_memory.data(), 4);
    u32 offset = 8, last = 8;
    while (offset + 8 <= total) {
        u32 type = 0, size = 0;
        std::memcpy(&type, g_memory.data() + offset, 4);
        std::memcpy(&size, g_memory.data() + offset + 4, 4);
        if (type == 0) break;
        last = offset;
        offset += (size + 7) & ~7u;
    }
    const u32 huge = total;
    std::memcpy(g_memory.data() + last + 4, &huge, 4);
    boot::DescribeResult r = boot::describe({MB2_BOOTLOADER_MAGIC, kPhys}, read, params);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.has_item);
    EXPECT_EQ(r.item_offset, last);
    EXPECT_TRUE(params.framebuffer.present);
    EXPECT_EQ(params.framebuffer.kind, boot::FramebufferKind::Rgb);
}

}  // namespace

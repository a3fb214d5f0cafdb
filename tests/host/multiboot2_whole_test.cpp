// The Multiboot2 parser on a whole MBI with every tag, then cut and corrupted
// at every byte: each input must fail cleanly, never read out of bounds.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <set>
#include <string_view>
#include <vector>

#include "mbi_parse.hpp"

namespace mb2 = boot::multiboot2;
using mb2::Error;
using mbi_test::ExactCopy;
using mbi_test::Mbi;
using mbi_test::MbiBuilder;
using mbi_test::Parsed;
using mbi_test::run;
using mbi_test::run_ok;
using mbi_test::sv;

namespace {

// An MBI with every tag type, as GRUB would lay it out (BIOS and EFI
// tags together, which no single boot produces, to cover them all).
MbiBuilder everything() {
    MbiBuilder b;
    b.cmdline("/boot/kernel console=serial loglevel=debug")
        .bootloader_name("GRUB 2.06")
        .apm()
        .module(0x200000, 0x201234, "initrd arg=1")
        .module(0x202000, 0x202001, "")
        .mmap({{0, 0x9fc00, 1},
               {0x9fc00, 0x400, 2},
               {0xf0000, 0x10000, 2},
               {0x100000, 0x7ee0000, 1},
               {0x7fe0000, 0x20000, 3},
               {0xfffc0000, 0x40000, 2}})
        .elf_sections(4, 64, 3)
        .basic_meminfo(639, 130048)
        .network(300)
        .boot_device(0x80, 0, 0xffffffff)
        .vbe(0x118)
        .framebuffer_rgb(0xfd000000, 1024, 768, 32)
        .efi32(0x7f000000)
        .efi64(0x7f9ee018)
        .smbios(2, 8, 31)
        .acpi_old(mbi_test::make_rsdp(0))
        .acpi_new(mbi_test::make_rsdp(2))
        .efi_mmap(48, 1, 5)
        .efi_boot_services()
        .efi32_image_handle(0x7e000000)
        .efi64_image_handle(0x7e1234000)
        .load_base(0x200000);
    return b;
}

}  // namespace

// --- Everything together, and hostile inputs -----------------------------

TEST(Multiboot2Whole, EveryTagTypeAtOnce) {
    Parsed p = run_ok(everything());
    const mb2::BootInfo& i = *p.info;
    EXPECT_EQ(sv(i.cmdline.view()), "/boot/kernel console=serial loglevel=debug");
    EXPECT_EQ(sv(i.bootloader_name.view()), "GRUB 2.06");
    EXPECT_EQ(i.module_count, 2u);
    EXPECT_TRUE(i.basic_meminfo.present && i.boot_device.present && i.memory_map.present);
    EXPECT_TRUE(i.vbe.present && i.framebuffer.present && i.elf_sections.present);
    EXPECT_TRUE(i.apm.present && i.smbios.present && i.acpi_old.present && i.acpi_new.present);
    EXPECT_TRUE(i.efi32_system_table && i.efi64_system_table && i.efi32_image_handle);
    EXPECT_TRUE(i.efi64_image_handle && i.load_base_addr && i.efi_memory_map.present);
    EXPECT_TRUE(i.efi_boot_services_not_terminated);
    EXPECT_EQ(i.network.count, 1u);
    EXPECT_EQ(i.unknown_tag_count, 0u);
    EXPECT_EQ(i.duplicate_tags, 0u);
    EXPECT_EQ(i.usable_bytes(), 0x9fc00u + 0x7ee0000u);
    EXPECT_EQ(i.loader_region_count, 3u);
}

TEST(Multiboot2Whole, EveryErrorHasADistinctSentence) {
    std::set<std::string_view> seen;
    for (int e = 0; e <= static_cast<int>(Error::EfiMmapPartialEntry); ++e) {
        std::string_view text = sv(mb2::describe(static_cast<Error>(e)));
        EXPECT_FALSE(text.empty());
        EXPECT_TRUE(seen.insert(text).second) << text;
    }
}

TEST(Multiboot2Whole, TagNames) {
    EXPECT_EQ(sv(mb2::tag_name(1)), "command line");
    EXPECT_EQ(sv(mb2::tag_name(6)), "memory map");
    EXPECT_EQ(sv(mb2::tag_name(21)), "image load base address");
    EXPECT_EQ(sv(mb2::tag_name(22)), "unknown");
    for (uint32_t t = 0; t <= 21; ++t) EXPECT_NE(sv(mb2::tag_name(t)), "unknown") << t;
}

// Every prefix of a valid MBI, in a heap block of exactly that size, with
// total_size left as it was: each must fail, and ASan proves nothing past
// the prefix is read.
TEST(Multiboot2Whole, TruncatedAtEveryLengthFailsCleanly) {
    Mbi full = everything().end().build();
    for (size_t n = 0; n < full.size(); ++n) {
        ExactCopy copy(full.data(), n);
        Parsed p = run(copy.span());
        EXPECT_FALSE(p.result.ok()) << n;
    }
    ExactCopy whole(full.data(), full.size());
    EXPECT_TRUE(run(whole.span()).result.ok());
}

// The same, with total_size rewritten to the prefix length, so the walker
// itself meets every possible cut.
TEST(Multiboot2Whole, TotalSizeCutAtEveryLengthFailsCleanly) {
    Mbi full = everything().end().build();
    for (size_t n = 8; n < full.size(); ++n) {
        ExactCopy copy(full.data(), n);
        const uint32_t total = static_cast<uint32_t>(n);
        std::memcpy(copy.bytes.get(), &total, 4);
        Parsed p = run(copy.span());
        EXPECT_FALSE(p.result.ok()) << n;
        if (n >= 16) {
            EXPECT_TRUE(p.result.error == Error::MissingEnd ||
                        p.result.error == Error::TagHeaderTruncated ||
                        p.result.error == Error::TagOverrunsInfo)
                << n << ": " << sv(mb2::describe(p.result.error));
        }
    }
}

// Single-byte corruption anywhere must be either accepted or rejected with
// an error, never read out of bounds.
TEST(Multiboot2Whole, EveryByteCorruptedStaysInBounds) {
    Mbi full = everything().end().build();
    const std::vector<uint8_t> original = full.bytes();
    size_t rejected = 0;
    for (size_t i = 0; i < original.size(); ++i) {
        for (uint8_t value : {uint8_t{0x00}, uint8_t{0x01}, uint8_t{0x7f}, uint8_t{0xff}}) {
            ExactCopy copy(original.data(), original.size());
            copy.bytes[i] = value;
            Parsed p = run(copy.span());
            if (!p.result.ok()) {
                ++rejected;
                EXPECT_NE(p.result.error, Error::None);
                EXPECT_FALSE(mb2::describe(p.result.error).empty());
            }
        }
    }
    EXPECT_GT(rejected, 0u);
}

// Host tests for the Multiboot2 boot-information parser
// (src/kernel/boot/multiboot2/): every tag type GRUB produces, and malformed
// or truncated inputs, each of which must fail with the right error and
// without reading outside the given bytes (ASan and UBSan watch).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "boot/multiboot2/boot_info.hpp"
#include "boot/multiboot2/error.hpp"
#include "boot/multiboot2/parse.hpp"
#include "boot/multiboot2/tag_walker.hpp"
#include "mbi_builder.hpp"

namespace mb2 = boot::multiboot2;
using mb2::Error;
using mbi_test::ExactCopy;
using mbi_test::Mbi;
using mbi_test::MbiBuilder;
using mbi_test::Payload;

namespace {

constexpr uint64_t kPhys = 0x10000;
constexpr uint64_t kGiB = 1ull << 30;

std::string_view sv(ktl::string_view s) { return {s.data(), s.size()}; }

struct Parsed {
    mb2::ParseResult result;
    std::unique_ptr<mb2::BootInfo> info = std::make_unique<mb2::BootInfo>();
};

Parsed run(ktl::span<const uint8_t> bytes, uint64_t phys = kPhys) {
    Parsed p;
    p.result = mb2::parse(bytes, phys, *p.info);
    return p;
}
Parsed run(const Mbi& mbi, uint64_t phys = kPhys) { return run(mbi.span(), phys); }

// Parses `builder` + END and expects success.
Parsed run_ok(MbiBuilder builder) {
    Mbi mbi = builder.end().build();
    Parsed p = run(mbi);
    EXPECT_TRUE(p.result.ok()) << sv(mb2::describe(p.result.error)) << " at offset "
                               << p.result.tag_offset << " type " << p.result.tag_type;
    return p;
}

// Parses `builder` + END and expects `error` on the tag at `offset`.
void expect_tag_error(MbiBuilder builder, Error error, uint32_t offset, uint32_t type) {
    Mbi mbi = builder.end().build();
    Parsed p = run(mbi);
    EXPECT_EQ(p.result.error, error) << sv(mb2::describe(p.result.error));
    EXPECT_EQ(p.result.tag_offset, offset);
    EXPECT_EQ(p.result.tag_type, type);
}

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

// --- The header -----------------------------------------------------------

TEST(Multiboot2Header, MinimalInfoIsHeaderPlusEnd) {
    Parsed p = run_ok(MbiBuilder());
    EXPECT_EQ(p.info->mbi_size, 16u);
    EXPECT_EQ(p.info->mbi_phys, kPhys);
    EXPECT_FALSE(p.info->has_cmdline);
    EXPECT_FALSE(p.info->memory_map.present);
    EXPECT_EQ(p.info->usable_bytes(), 0u);
    ASSERT_EQ(p.info->loader_region_list().size(), 1u);
    EXPECT_EQ(p.info->loader_regions[0].base, kPhys);
    EXPECT_EQ(p.info->loader_regions[0].length, 16u);
    EXPECT_EQ(p.info->loader_regions[0].kind, mb2::LoaderRegionKind::BootInformation);
}

TEST(Multiboot2Header, PeekTotalSize) {
    Mbi mbi = MbiBuilder().cmdline("x").end().build();
    EXPECT_FALSE(mb2::peek_total_size({mbi.data(), 7}).has_value());
    ASSERT_TRUE(mb2::peek_total_size({mbi.data(), 8}).has_value());
    EXPECT_EQ(*mb2::peek_total_size({mbi.data(), 8}), mbi.size());
    EXPECT_FALSE(mb2::peek_total_size({}).has_value());
}

TEST(Multiboot2Header, ReservedFieldIsIgnored) {
    Mbi mbi = MbiBuilder().end().build();
    mbi.set_u32(4, 0xdeadbeef);
    EXPECT_TRUE(run(mbi).result.ok());
}

TEST(Multiboot2Header, MisalignedPhysicalAddress) {
    Mbi mbi = MbiBuilder().end().build();
    for (uint64_t phys : {kPhys + 1, kPhys + 4, kPhys + 7}) {
        Parsed p = run(mbi, phys);
        EXPECT_EQ(p.result.error, Error::Misaligned);
        EXPECT_FALSE(p.result.has_tag());
    }
}

TEST(Multiboot2Header, MisalignedPointerWithIdentityMapping) {
    Mbi mbi = MbiBuilder().end().build();
    Mbi shifted(std::vector<uint8_t>(mbi.size() + 4, 0));
    std::memcpy(shifted.data() + 4, mbi.data(), mbi.size());
    auto info = std::make_unique<mb2::BootInfo>();
    EXPECT_EQ(mb2::parse({shifted.data() + 4, mbi.size()}, *info).error, Error::Misaligned);
    EXPECT_TRUE(mb2::parse(mbi.span(), *info).ok());
    EXPECT_EQ(info->mbi_phys, reinterpret_cast<uintptr_t>(mbi.data()));
}

TEST(Multiboot2Header, ShorterThanHeader) {
    Mbi mbi = MbiBuilder().end().build();
    for (size_t n = 0; n < 8; ++n) {
        ExactCopy copy(mbi.data(), n);
        EXPECT_EQ(run(copy.span()).result.error, Error::HeaderTruncated) << n;
    }
}

TEST(Multiboot2Header, TotalSizeBelowSixteen) {
    for (uint32_t total : {0u, 1u, 8u, 15u}) {
        Mbi mbi = MbiBuilder().end().build(total);
        EXPECT_EQ(run(mbi).result.error, Error::TotalSizeTooSmall) << total;
    }
}

TEST(Multiboot2Header, TotalSizeLargerThanSpan) {
    Mbi mbi = MbiBuilder().cmdline("abc").end().build();
    ExactCopy copy(mbi.data(), mbi.size() - 1);
    EXPECT_EQ(run(copy.span()).result.error, Error::TotalSizeExceedsBuffer);
    Mbi huge = MbiBuilder().end().build(0xffffffff);
    EXPECT_EQ(run(huge).result.error, Error::TotalSizeExceedsBuffer);
}

TEST(Multiboot2Header, SpanLargerThanTotalSizeIsFine) {
    MbiBuilder b;
    b.cmdline("abc").end();
    const uint32_t total = b.offset();
    b.tag(1, Payload().str("ignored"));  // Past total_size: never read.
    Mbi mbi = b.build(total);
    Parsed p = run(mbi);
    ASSERT_TRUE(p.result.ok());
    EXPECT_EQ(p.info->mbi_size, total);
    EXPECT_EQ(sv(p.info->cmdline.view()), "abc");
}

TEST(Multiboot2Header, AddressSpaceWrap) {
    Mbi mbi = MbiBuilder().end().build();
    EXPECT_EQ(run(mbi, ~uint64_t{0} - 7).result.error, Error::AddressWraps);
    EXPECT_TRUE(run(mbi, ~uint64_t{0} - 15).result.ok());
}

// --- The tag sequence -----------------------------------------------------

TEST(Multiboot2Tags, MissingEnd) {
    Mbi mbi = MbiBuilder().cmdline("abc").build();
    Parsed p = run(mbi);
    EXPECT_EQ(p.result.error, Error::MissingEnd);
    EXPECT_EQ(sv(mb2::describe(p.result.error)), "boot information has no END tag");
}

TEST(Multiboot2Tags, EndWithWrongSize) {
    MbiBuilder b;
    b.cmdline("abc");
    const uint32_t end = b.offset();
    b.tag_sized(0, 16, Payload().zeros(8));
    Parsed p = run(b.build());
    EXPECT_EQ(p.result.error, Error::EndTagBadSize);
    EXPECT_EQ(p.result.tag_offset, end);
    EXPECT_EQ(p.result.tag_type, 0u);
}

TEST(Multiboot2Tags, TagHeaderCutByTotalSize) {
    // A 4-byte remainder after the last tag cannot hold a tag header.
    MbiBuilder b;
    b.cmdline("abc");
    const uint32_t at = b.offset();
    b.end();
    Parsed p = run(b.build(at + 4));
    EXPECT_EQ(p.result.error, Error::TagHeaderTruncated);
    EXPECT_EQ(p.result.tag_offset, at);
}

TEST(Multiboot2Tags, TagSizeBelowHeader) {
    for (uint32_t size : {0u, 1u, 4u, 7u}) {
        MbiBuilder b;
        b.cmdline("x");
        const uint32_t at = b.offset();
        b.tag_sized(1, size, Payload());
        Parsed p = run(b.end().build());
        EXPECT_EQ(p.result.error, Error::TagSizeTooSmall) << size;
        EXPECT_EQ(p.result.tag_offset, at);
        EXPECT_EQ(p.result.tag_type, 1u);
    }
}

TEST(Multiboot2Tags, TagOverrunsTotalSize) {
    MbiBuilder b;
    const uint32_t at = b.offset();
    b.tag_sized(1, 64, Payload().str("short"));
    Parsed p = run(b.end().build());
    EXPECT_EQ(p.result.error, Error::TagOverrunsInfo);
    EXPECT_EQ(p.result.tag_offset, at);
}

TEST(Multiboot2Tags, SizeNearUint32MaxDoesNotWrap) {
    for (uint32_t size : {0xffffffffu, 0xfffffff8u, 0xfffffff0u, 0x80000000u}) {
        MbiBuilder b;
        b.tag_sized(6, size, Payload().u32(24).u32(0));
        Mbi mbi = b.end().build();
        EXPECT_EQ(run(mbi).result.error, Error::TagOverrunsInfo) << size;
    }
}

TEST(Multiboot2Tags, OddSizesArePaddedToEight) {
    // 8 + 1-byte string: size 9, padded to 16; the next tag is at 24.
    MbiBuilder b;
    b.cmdline("").tag(1000, Payload().u8(1)).tag(1001).tag(1002, Payload().zeros(13));
    Parsed p = run_ok(b);
    ASSERT_EQ(p.info->unknown_tag_count, 3u);
    EXPECT_EQ(p.info->unknown_tags[0].offset, 24u);
    EXPECT_EQ(p.info->unknown_tags[1].offset, 40u);
    EXPECT_EQ(p.info->unknown_tags[2].offset, 48u);
    for (const mb2::UnknownTag& t : p.info->unknown_tag_list()) EXPECT_EQ(t.offset % 8, 0u);
}

TEST(Multiboot2Tags, TotalSizeEndingInPaddingMeansNoEnd) {
    // A 9-byte tag at 8 ends at 17; the END tag after its padding (at 24)
    // lies beyond a total_size of 17 or 20.
    for (uint32_t total : {17u, 20u, 24u}) {
        Mbi mbi = MbiBuilder().tag(1, Payload().u8(0)).end().build(total);
        EXPECT_EQ(run(mbi).result.error, Error::MissingEnd) << total;
    }
}

TEST(Multiboot2Tags, BytesAfterEndAreIgnored) {
    MbiBuilder b;
    b.end().tag(1, Payload().str("never read"));
    Parsed p = run(b.build());
    EXPECT_TRUE(p.result.ok());
    EXPECT_FALSE(p.info->has_cmdline);
}

TEST(Multiboot2Tags, UnknownTagsAreRecorded) {
    MbiBuilder b;
    b.tag(22, Payload().u32(1)).cmdline("x").tag(0xffffffff).tag(1000, Payload().zeros(100));
    Parsed p = run_ok(b);
    ASSERT_EQ(p.info->unknown_tag_count, 3u);
    EXPECT_EQ(p.info->unknown_tags[0].type, 22u);
    EXPECT_EQ(p.info->unknown_tags[0].offset, 8u);
    EXPECT_EQ(p.info->unknown_tags[1].type, 0xffffffffu);
    EXPECT_EQ(p.info->unknown_tags[2].type, 1000u);
    EXPECT_EQ(p.info->unknown_tags_dropped, 0u);
    EXPECT_EQ(sv(p.info->cmdline.view()), "x");
}

TEST(Multiboot2Tags, UnknownTagListOverflowIsCounted) {
    MbiBuilder b;
    for (uint32_t i = 0; i < mb2::BootInfo::kMaxUnknownTags + 5; ++i) b.tag(100 + i);
    Parsed p = run_ok(b);
    EXPECT_EQ(p.info->unknown_tag_count, mb2::BootInfo::kMaxUnknownTags);
    EXPECT_EQ(p.info->unknown_tags_dropped, 5u);
}

TEST(Multiboot2Tags, DuplicateSingleTagsAreCountedLastWins) {
    Parsed p = run_ok(
        MbiBuilder().cmdline("first").cmdline("second").basic_meminfo(1, 2).basic_meminfo(3, 4));
    EXPECT_EQ(sv(p.info->cmdline.view()), "second");
    EXPECT_EQ(p.info->basic_meminfo.mem_lower_kib, 3u);
    EXPECT_EQ(p.info->duplicate_tags, 2u);
}

TEST(Multiboot2Tags, EveryDuplicateIsStillValidated) {
    MbiBuilder b;
    b.cmdline("ok");
    const uint32_t at = b.offset();
    b.tag(1, Payload().str("no nul", false));
    expect_tag_error(b, Error::UnterminatedString, at, 1);
}

// --- Each tag type --------------------------------------------------------

TEST(Multiboot2Tags, Cmdline) {
    Parsed p = run_ok(MbiBuilder().cmdline("/boot/kernel console=serial"));
    EXPECT_TRUE(p.info->has_cmdline);
    EXPECT_EQ(sv(p.info->cmdline.view()), "/boot/kernel console=serial");
    EXPECT_FALSE(p.info->cmdline.truncated);
    EXPECT_EQ(std::string(p.info->cmdline.c_str()), "/boot/kernel console=serial");
}

TEST(Multiboot2Tags, EmptyCmdline) {
    Parsed p = run_ok(MbiBuilder().cmdline(""));
    EXPECT_TRUE(p.info->has_cmdline);
    EXPECT_TRUE(p.info->cmdline.view().empty());
}

TEST(Multiboot2Tags, CmdlineStopsAtFirstNul) {
    Parsed p = run_ok(MbiBuilder().tag(1, Payload().str("abc").str("def")));
    EXPECT_EQ(sv(p.info->cmdline.view()), "abc");
}

TEST(Multiboot2Tags, LongCmdlineIsTruncatedAndFlagged) {
    std::string line(3000, 'a');
    Parsed p = run_ok(MbiBuilder().cmdline(line));
    EXPECT_TRUE(p.info->cmdline.truncated);
    EXPECT_EQ(p.info->cmdline.view().size(), p.info->cmdline.capacity());
    EXPECT_EQ(p.info->cmdline.view().size(), 1023u);
    EXPECT_EQ(p.info->cmdline.c_str()[1023], '\0');
}

TEST(Multiboot2Tags, CmdlineIsACopy) {
    Mbi mbi = MbiBuilder().cmdline("keep me").end().build();
    auto info = std::make_unique<mb2::BootInfo>();
    ASSERT_TRUE(mb2::parse(mbi.span(), kPhys, *info).ok());
    std::memset(mbi.data(), 0xff, mbi.size());  // The MBI memory is reused.
    EXPECT_EQ(sv(info->cmdline.view()), "keep me");
}

TEST(Multiboot2Tags, UnterminatedCmdline) {
    expect_tag_error(MbiBuilder().tag(1, Payload().str("abc", false)), Error::UnterminatedString, 8,
                     1);
    expect_tag_error(MbiBuilder().tag(1), Error::UnterminatedString, 8, 1);
}

TEST(Multiboot2Tags, NulInPaddingDoesNotTerminate) {
    // "abc" without NUL: size 11, the padding byte after it is 0 but lies
    // outside the tag.
    MbiBuilder b;
    b.tag(1, Payload().str("abc", false));
    expect_tag_error(b, Error::UnterminatedString, 8, 1);
}

TEST(Multiboot2Tags, BootloaderName) {
    Parsed p = run_ok(MbiBuilder().bootloader_name("GRUB 2.06-13+deb12u1"));
    EXPECT_TRUE(p.info->has_bootloader_name);
    EXPECT_EQ(sv(p.info->bootloader_name.view()), "GRUB 2.06-13+deb12u1");
    expect_tag_error(MbiBuilder().tag(2, Payload().str("x", false)), Error::UnterminatedString, 8,
                     2);
}

TEST(Multiboot2Tags, Modules) {
    Parsed p = run_ok(MbiBuilder()
                          .module(0x200000, 0x280000, "initrd root=/dev/ram0")
                          .module(0x300000, 0x300000, ""));
    ASSERT_EQ(p.info->module_list().size(), 2u);
    const mb2::Module& m = p.info->modules[0];
    EXPECT_EQ(m.start, 0x200000u);
    EXPECT_EQ(m.end, 0x280000u);
    EXPECT_EQ(m.size(), 0x80000u);
    EXPECT_EQ(sv(m.cmdline.view()), "initrd root=/dev/ram0");
    EXPECT_EQ(p.info->modules[1].size(), 0u);
    ASSERT_EQ(p.info->loader_region_count, 3u);
    EXPECT_EQ(p.info->loader_regions[1].base, 0x200000u);
    EXPECT_EQ(p.info->loader_regions[1].length, 0x80000u);
    EXPECT_EQ(p.info->loader_regions[1].kind, mb2::LoaderRegionKind::Module);
    EXPECT_EQ(sv(mb2::kind_name(p.info->loader_regions[1].kind)), "module");
}

TEST(Multiboot2Tags, ModuleErrors) {
    expect_tag_error(MbiBuilder().module(0x2000, 0x1fff, ""), Error::ModuleEndBeforeStart, 8, 3);
    expect_tag_error(MbiBuilder().tag(3, Payload().u32(1).u32(2).str("x", false)),
                     Error::UnterminatedString, 8, 3);
    // Fields complete but no room for even the NUL.
    expect_tag_error(MbiBuilder().tag(3, Payload().u32(1).u32(2)), Error::UnterminatedString, 8, 3);
    expect_tag_error(MbiBuilder().tag(3, Payload().u32(1)), Error::TagTooShort, 8, 3);
}

// A bad tag ends the parse, but a framebuffer tag after it (GRUB writes it
// after the modules) is still found, so a UEFI machine's PANIC about the
// boot information shows on its screen, not on COM1 alone (issue 14.2).
// Nothing else after the bad tag is decoded.
TEST(Multiboot2Tags, AFramebufferAfterABadTagIsStillFound) {
    Mbi mbi = MbiBuilder()
                  .module(0x2000, 0x1fff, "bad")
                  .cmdline("after the bad tag")
                  .framebuffer_rgb(0x80000000, 1024, 768, 32)
                  .end()
                  .build();
    Parsed p = run(mbi);
    EXPECT_EQ(p.result.error, Error::ModuleEndBeforeStart);
    EXPECT_TRUE(p.info->framebuffer.present);
    EXPECT_EQ(p.info->framebuffer.address, 0x80000000u);
    EXPECT_EQ(p.info->framebuffer.width, 1024u);
    EXPECT_FALSE(p.info->has_cmdline);
    // A malformed framebuffer tag there is not kept either.
    Mbi broken = MbiBuilder().module(0x2000, 0x1fff, "bad").tag(8, Payload().u32(1)).end().build();
    Parsed q = run(broken);
    EXPECT_EQ(q.result.error, Error::ModuleEndBeforeStart);
    EXPECT_FALSE(q.info->framebuffer.present);
}

TEST(Multiboot2Tags, ModulesBeyondTheLimitAreCountedNamedAndSpanned) {
    MbiBuilder b;
    for (uint32_t i = 0; i < mb2::BootInfo::kMaxModules; ++i)
        b.module(i * 0x1000, i * 0x1000 + 1, "m");
    Parsed ok = run_ok(b);
    EXPECT_EQ(ok.info->module_count, mb2::BootInfo::kMaxModules);
    EXPECT_EQ(ok.info->loader_region_count, mb2::BootInfo::kMaxLoaderRegions);
    EXPECT_EQ(ok.info->untracked_modules.count, 0u);
    b.module(0x300000, 0x300010, "extra-a");
    b.module(0x200000, 0x200001, "extra-b");
    Parsed more = run_ok(b);
    EXPECT_EQ(more.info->module_count, mb2::BootInfo::kMaxModules);
    EXPECT_EQ(more.info->untracked_modules.count, 2u);
    EXPECT_EQ(more.info->untracked_modules.start.value(), 0x200000u);
    EXPECT_EQ(more.info->untracked_modules.end.value(), 0x300010u);
    EXPECT_EQ(more.info->untracked_modules.names.view(), ktl::string_view("extra-a, extra-b"));
    // Names beyond the buffer are cut, and the cut is marked.
    for (int i = 0; i < 100; ++i)
        b.module(0x400000, 0x400001, "a-long-module-name-" + std::to_string(i));
    Parsed many = run_ok(b);
    EXPECT_EQ(many.info->untracked_modules.count, 102u);
    EXPECT_TRUE(many.info->untracked_modules.names.truncated);
    EXPECT_EQ(many.info->untracked_modules.end.value(), 0x400001u);
}

TEST(Multiboot2Tags, LongModuleCmdlineIsTruncated) {
    Parsed p = run_ok(MbiBuilder().module(0, 1, std::string(500, 'm')));
    EXPECT_TRUE(p.info->modules[0].cmdline.truncated);
    EXPECT_EQ(p.info->modules[0].cmdline.view().size(), 127u);
}

TEST(Multiboot2Tags, BasicMeminfo) {
    Parsed p = run_ok(MbiBuilder().basic_meminfo(639, 523264));
    EXPECT_TRUE(p.info->basic_meminfo.present);
    EXPECT_EQ(p.info->basic_meminfo.mem_lower_kib, 639u);
    EXPECT_EQ(p.info->basic_meminfo.mem_upper_kib, 523264u);
    expect_tag_error(MbiBuilder().tag(4, Payload().u32(1)), Error::TagTooShort, 8, 4);
}

TEST(Multiboot2Tags, BootDevice) {
    Parsed p = run_ok(MbiBuilder().boot_device(0x80, 1, 0xffffffff));
    EXPECT_TRUE(p.info->boot_device.present);
    EXPECT_EQ(p.info->boot_device.biosdev, 0x80u);
    EXPECT_EQ(p.info->boot_device.partition, 1u);
    EXPECT_EQ(p.info->boot_device.sub_partition, 0xffffffffu);
    expect_tag_error(MbiBuilder().tag(5, Payload().u32(1).u32(2)), Error::TagTooShort, 8, 5);
}

TEST(Multiboot2Tags, Vbe) {
    Parsed p = run_ok(MbiBuilder().vbe(0x4118));
    EXPECT_TRUE(p.info->vbe.present);
    EXPECT_EQ(p.info->vbe.mode, 0x4118u);
    EXPECT_EQ(p.info->vbe.interface_seg, 0xc000u);
    EXPECT_EQ(p.info->vbe.interface_off, 0x1234u);
    EXPECT_EQ(p.info->vbe.interface_len, 0x56u);
    expect_tag_error(MbiBuilder().tag(7, Payload().u16(3).zeros(100)), Error::TagTooShort, 8, 7);
}

TEST(Multiboot2Tags, FramebufferRgb) {
    Parsed p = run_ok(MbiBuilder().framebuffer_rgb(0xfd000000, 1280, 800, 32));
    const mb2::Framebuffer& fb = p.info->framebuffer;
    EXPECT_TRUE(fb.present);
    EXPECT_EQ(fb.type, mb2::FramebufferType::Rgb);
    EXPECT_EQ(fb.address, 0xfd000000u);
    EXPECT_EQ(fb.pitch, 1280u * 4);
    EXPECT_EQ(fb.width, 1280u);
    EXPECT_EQ(fb.height, 800u);
    EXPECT_EQ(fb.bpp, 32);
    EXPECT_EQ(fb.rgb.red_field_position, 16);
    EXPECT_EQ(fb.rgb.red_mask_size, 8);
    EXPECT_EQ(fb.rgb.green_field_position, 8);
    EXPECT_EQ(fb.rgb.blue_field_position, 0);
    EXPECT_EQ(fb.rgb.blue_mask_size, 8);
}

TEST(Multiboot2Tags, FramebufferAbove4GiB) {
    Parsed p = run_ok(MbiBuilder().framebuffer_rgb(0x80'0000'0000ull, 800, 600, 32));
    EXPECT_EQ(p.info->framebuffer.address, 0x80'0000'0000ull);
}

TEST(Multiboot2Tags, FramebufferIndexed) {
    MbiBuilder b;
    const uint32_t at = b.offset();
    Parsed p = run_ok(b.framebuffer_indexed(0xa0000, 16));
    const mb2::Framebuffer& fb = p.info->framebuffer;
    EXPECT_EQ(fb.type, mb2::FramebufferType::Indexed);
    EXPECT_EQ(fb.palette_colors, 16u);
    EXPECT_EQ(fb.palette_phys, kPhys + at + 34);
    Parsed none = run_ok(MbiBuilder().framebuffer_indexed(0xa0000, 0));
    EXPECT_EQ(none.info->framebuffer.palette_colors, 0u);
}

TEST(Multiboot2Tags, FramebufferEgaText) {
    Parsed p = run_ok(MbiBuilder().framebuffer_ega());
    const mb2::Framebuffer& fb = p.info->framebuffer;
    EXPECT_EQ(fb.type, mb2::FramebufferType::EgaText);
    EXPECT_EQ(fb.address, 0xb8000u);
    EXPECT_EQ(fb.width, 80u);
    EXPECT_EQ(fb.height, 25u);
    EXPECT_EQ(fb.pitch, 160u);
}

TEST(Multiboot2Tags, FramebufferErrors) {
    using C = MbiBuilder;
    // Common part cut short.
    expect_tag_error(MbiBuilder().tag(8, Payload().u64(0xb8000).u32(160)), Error::TagTooShort, 8,
                     8);
    // Unknown type.
    expect_tag_error(MbiBuilder().tag(8, C::framebuffer_common(0, 0, 0, 0, 8, 3)),
                     Error::FramebufferTypeUnknown, 8, 8);
    // Indexed without room for num_colors, and with a palette longer than the tag.
    expect_tag_error(MbiBuilder().tag(8, C::framebuffer_common(0, 0, 0, 0, 8, 0).u8(1)),
                     Error::FramebufferColorInfoTruncated, 8, 8);
    expect_tag_error(
        MbiBuilder().tag(8, C::framebuffer_common(0, 0, 0, 0, 8, 0).u16(256).zeros(3 * 255)),
        Error::FramebufferColorInfoTruncated, 8, 8);
    // RGB with only part of the six field bytes.
    expect_tag_error(MbiBuilder().tag(8, C::framebuffer_common(0, 0, 0, 0, 32, 1).u32(0)),
                     Error::FramebufferColorInfoTruncated, 8, 8);
    // RGB fields outside the pixel: 24 + 16 > 32.
    expect_tag_error(
        MbiBuilder().tag(8, C::framebuffer_common(0, 0, 0, 0, 32, 1).u8(24).u8(16).zeros(4)),
        Error::FramebufferRgbFieldInvalid, 8, 8);
    expect_tag_error(
        MbiBuilder().tag(
            8, C::framebuffer_common(0, 0, 0, 0, 16, 1).u8(11).u8(5).u8(5).u8(6).u8(0).u8(255)),
        Error::FramebufferRgbFieldInvalid, 8, 8);
}

TEST(Multiboot2Tags, Framebuffer565IsValid) {
    Parsed p = run_ok(
        MbiBuilder().tag(8, MbiBuilder::framebuffer_common(0xe0000000, 2048, 1024, 768, 16, 1)
                                .u8(11)
                                .u8(5)
                                .u8(5)
                                .u8(6)
                                .u8(0)
                                .u8(5)));
    EXPECT_EQ(p.info->framebuffer.rgb.green_mask_size, 6);
}

TEST(Multiboot2Tags, ElfSections) {
    MbiBuilder b;
    b.cmdline("x");
    const uint32_t at = b.offset();
    Parsed p = run_ok(b.elf_sections(12, 64, 11));
    const mb2::ElfSections& elf = p.info->elf_sections;
    EXPECT_TRUE(elf.present);
    EXPECT_EQ(elf.num, 12u);
    EXPECT_EQ(elf.entsize, 64u);
    EXPECT_EQ(elf.shndx, 11u);
    EXPECT_EQ(elf.headers_phys, kPhys + at + 20);
    EXPECT_EQ(elf.headers_size, 12u * 64);
}

TEST(Multiboot2Tags, ElfSections32BitAndEmpty) {
    EXPECT_EQ(run_ok(MbiBuilder().elf_sections(3, 40, 2)).info->elf_sections.entsize, 40u);
    Parsed empty = run_ok(MbiBuilder().elf_sections(0, 0, 0));
    EXPECT_TRUE(empty.info->elf_sections.present);
    EXPECT_EQ(empty.info->elf_sections.headers_size, 0u);
}

TEST(Multiboot2Tags, ElfSectionsErrors) {
    expect_tag_error(MbiBuilder().elf_sections(3, 8, 1), Error::ElfEntsizeInvalid, 8, 9);
    expect_tag_error(MbiBuilder().elf_sections(3, 64, 3), Error::ElfShndxOutOfRange, 8, 9);
    // Claims 100 headers but carries 2.
    expect_tag_error(MbiBuilder().tag(9, Payload().u32(100).u32(64).u32(1).zeros(128)),
                     Error::ElfSectionsOverrun, 8, 9);
    // num * entsize far beyond 32 bits must not wrap into a small number.
    expect_tag_error(
        MbiBuilder().tag(9, Payload().u32(0x80000000).u32(0x80000000).u32(1).zeros(64)),
        Error::ElfSectionsOverrun, 8, 9);
    expect_tag_error(MbiBuilder().tag(9, Payload().u32(1).u32(64)), Error::TagTooShort, 8, 9);
}

TEST(Multiboot2Tags, Apm) {
    Parsed p = run_ok(MbiBuilder().apm());
    const mb2::Apm& apm = p.info->apm;
    EXPECT_TRUE(apm.present);
    EXPECT_EQ(apm.version, 0x0102u);
    EXPECT_EQ(apm.cseg, 0xf000u);
    EXPECT_EQ(apm.offset, 0x1234u);
    EXPECT_EQ(apm.cseg_16, 0xf000u);
    EXPECT_EQ(apm.dseg, 0x40u);
    EXPECT_EQ(apm.flags, 3u);
    EXPECT_EQ(apm.cseg_len, 0xffffu);
    EXPECT_EQ(apm.cseg_16_len, 0xfff0u);
    EXPECT_EQ(apm.dseg_len, 0x100u);
    expect_tag_error(MbiBuilder().tag(10, Payload().zeros(19)), Error::TagTooShort, 8, 10);
}

TEST(Multiboot2Tags, EfiSystemTablesAndImageHandles) {
    Parsed p = run_ok(MbiBuilder()
                          .efi32(0x7f000000)
                          .efi64(0x1'7f9e'e018ull)
                          .efi32_image_handle(0x7e000000)
                          .efi64_image_handle(0x2'0000'1000ull)
                          .load_base(0x1000000));
    ASSERT_TRUE(p.info->efi32_system_table.has_value());
    EXPECT_EQ(*p.info->efi32_system_table, 0x7f000000u);
    ASSERT_TRUE(p.info->efi64_system_table.has_value());
    EXPECT_EQ(*p.info->efi64_system_table, 0x1'7f9e'e018ull);
    EXPECT_EQ(*p.info->efi32_image_handle, 0x7e000000u);
    EXPECT_EQ(*p.info->efi64_image_handle, 0x2'0000'1000ull);
    ASSERT_TRUE(p.info->load_base_addr.has_value());
    EXPECT_EQ(*p.info->load_base_addr, 0x1000000u);
    Parsed none = run_ok(MbiBuilder());
    EXPECT_FALSE(none.info->efi64_system_table.has_value());
    EXPECT_FALSE(none.info->load_base_addr.has_value());
}

TEST(Multiboot2Tags, EfiPointerTagsTooShort) {
    for (uint32_t type : {11u, 19u, 21u})
        expect_tag_error(MbiBuilder().tag(type, Payload().u16(1)), Error::TagTooShort, 8, type);
    for (uint32_t type : {12u, 20u})
        expect_tag_error(MbiBuilder().tag(type, Payload().u32(1)), Error::TagTooShort, 8, type);
}

TEST(Multiboot2Tags, EfiBootServicesNotTerminated) {
    EXPECT_TRUE(run_ok(MbiBuilder().efi_boot_services()).info->efi_boot_services_not_terminated);
    EXPECT_FALSE(run_ok(MbiBuilder()).info->efi_boot_services_not_terminated);
}

TEST(Multiboot2Tags, Smbios) {
    MbiBuilder b;
    const uint32_t at = b.offset();
    Parsed p = run_ok(b.smbios(3, 2, 24));
    EXPECT_TRUE(p.info->smbios.present);
    EXPECT_EQ(p.info->smbios.major, 3);
    EXPECT_EQ(p.info->smbios.minor, 2);
    EXPECT_EQ(p.info->smbios.tables_phys, kPhys + at + 16);
    EXPECT_EQ(p.info->smbios.tables_size, 24u);
    expect_tag_error(MbiBuilder().tag(13, Payload().u8(2).u8(8)), Error::TagTooShort, 8, 13);
}

TEST(Multiboot2Tags, AcpiOldRsdp) {
    MbiBuilder b;
    const uint32_t at = b.offset();
    const auto rsdp = mbi_test::make_rsdp(0, "BOCHS");
    Parsed p = run_ok(b.acpi_old(rsdp));
    const mb2::Rsdp& r = p.info->acpi_old;
    EXPECT_TRUE(r.present);
    EXPECT_FALSE(p.info->acpi_new.present);
    EXPECT_EQ(r.revision, 0);
    EXPECT_EQ(std::string(r.oem_id), "BOCHS ");
    EXPECT_EQ(r.length, 20u);
    EXPECT_EQ(r.phys, kPhys + at + 8);
    EXPECT_EQ(0, std::memcmp(r.bytes, rsdp.data(), 20));
}

TEST(Multiboot2Tags, AcpiNewRsdp) {
    const auto rsdp = mbi_test::make_rsdp(2, "ALASKA");
    Parsed p = run_ok(MbiBuilder().acpi_old(mbi_test::make_rsdp(0)).acpi_new(rsdp));
    const mb2::Rsdp& r = p.info->acpi_new;
    EXPECT_TRUE(r.present);
    EXPECT_TRUE(p.info->acpi_old.present);
    EXPECT_EQ(r.revision, 2);
    EXPECT_EQ(std::string(r.oem_id), "ALASKA");
    EXPECT_EQ(r.length, 36u);
    EXPECT_EQ(0, std::memcmp(r.bytes, rsdp.data(), 36));
    EXPECT_EQ(p.info->duplicate_tags, 0u);
}

TEST(Multiboot2Tags, AcpiNewRsdpLongerThan36) {
    auto rsdp = mbi_test::make_rsdp(2);
    rsdp.resize(40, 0xee);
    rsdp[20] = 40;
    Parsed p = run_ok(MbiBuilder().acpi_new(rsdp));
    EXPECT_EQ(p.info->acpi_new.length, 40u);
}

TEST(Multiboot2Tags, RsdpErrors) {
    auto v1 = mbi_test::make_rsdp(0);
    auto v2 = mbi_test::make_rsdp(2);
    expect_tag_error(MbiBuilder().acpi_old({v1.begin(), v1.begin() + 19}), Error::RsdpTooShort, 8,
                     14);
    expect_tag_error(MbiBuilder().acpi_new(v1), Error::RsdpTooShort, 8, 15);
    expect_tag_error(MbiBuilder().acpi_new({v2.begin(), v2.begin() + 35}), Error::RsdpTooShort, 8,
                     15);
    auto bad_sig = v1;
    bad_sig[0] = 'X';
    expect_tag_error(MbiBuilder().acpi_old(bad_sig), Error::RsdpBadSignature, 8, 14);
    auto short_len = v2;
    short_len[20] = 20;
    expect_tag_error(MbiBuilder().acpi_new(short_len), Error::RsdpLengthInvalid, 8, 15);
    auto long_len = v2;
    long_len[20] = 37;  // One byte more than the tag holds.
    expect_tag_error(MbiBuilder().acpi_new(long_len), Error::RsdpLengthInvalid, 8, 15);
    auto huge_len = v2;
    huge_len[23] = 0xff;
    expect_tag_error(MbiBuilder().acpi_new(huge_len), Error::RsdpLengthInvalid, 8, 15);
}

TEST(Multiboot2Tags, Network) {
    MbiBuilder b;
    const uint32_t at = b.offset();
    Parsed p = run_ok(b.network(300).network(548));
    EXPECT_EQ(p.info->network.count, 2u);
    EXPECT_EQ(p.info->network.first_dhcp_ack_size, 300u);
    EXPECT_EQ(p.info->network.first_dhcp_ack_phys, kPhys + at + 8);
    EXPECT_EQ(p.info->duplicate_tags, 0u);
}

TEST(Multiboot2Tags, EfiMemoryMap) {
    MbiBuilder b;
    const uint32_t at = b.offset();
    Parsed p = run_ok(b.efi_mmap(48, 1, 7));
    const mb2::EfiMemoryMap& m = p.info->efi_memory_map;
    EXPECT_TRUE(m.present);
    EXPECT_EQ(m.descriptor_size, 48u);
    EXPECT_EQ(m.descriptor_version, 1u);
    EXPECT_EQ(m.count, 7u);
    EXPECT_EQ(m.size, 7u * 48);
    EXPECT_EQ(m.phys, kPhys + at + 16);
    EXPECT_EQ(run_ok(MbiBuilder().efi_mmap(40, 1, 0)).info->efi_memory_map.count, 0u);
}

TEST(Multiboot2Tags, EfiMemoryMapErrors) {
    expect_tag_error(MbiBuilder().efi_mmap(32, 1, 2), Error::EfiMmapDescriptorSizeInvalid, 8, 17);
    expect_tag_error(MbiBuilder().efi_mmap(44, 1, 2), Error::EfiMmapDescriptorSizeInvalid, 8, 17);
    expect_tag_error(MbiBuilder().efi_mmap(0, 1, 0), Error::EfiMmapDescriptorSizeInvalid, 8, 17);
    expect_tag_error(MbiBuilder().efi_mmap(48, 2, 2), Error::EfiMmapVersionUnsupported, 8, 17);
    expect_tag_error(MbiBuilder().tag(17, Payload().u32(48).u32(1).zeros(100)),
                     Error::EfiMmapPartialEntry, 8, 17);
    expect_tag_error(MbiBuilder().tag(17, Payload().u32(48)), Error::TagTooShort, 8, 17);
}

// --- The memory map -------------------------------------------------------

TEST(Multiboot2MemoryMap, QemuStyleMap) {
    Parsed p = run_ok(MbiBuilder().mmap({{0, 0x9fc00, 1},
                                         {0x9fc00, 0x400, 2},
                                         {0xf0000, 0x10000, 2},
                                         {0x100000, 0x7ee0000, 1},
                                         {0x7fe0000, 0x20000, 2},
                                         {0xfffc0000, 0x40000, 2}}));
    const mb2::MemoryMap& map = p.info->memory_map;
    EXPECT_TRUE(map.present);
    ASSERT_EQ(map.view().size(), 6u);
    EXPECT_EQ(map.regions[3].base, 0x100000u);
    EXPECT_EQ(map.regions[3].length, 0x7ee0000u);
    EXPECT_TRUE(map.regions[3].available());
    EXPECT_FALSE(map.regions[1].available());
    EXPECT_EQ(p.info->usable_bytes(), 0x9fc00u + 0x7ee0000u);
}

TEST(Multiboot2MemoryMap, EightGiBAbove4GiBSumsCorrectly) {
    Parsed p = run_ok(MbiBuilder().mmap({{0, 0x9fc00, 1},
                                         {0x100000, 0xbff00000, 1},
                                         {0xc0000000, 0x40000000, 2},
                                         {0x1'0000'0000ull, 5 * kGiB, 1},
                                         {0x2'4000'0000ull, 3 * kGiB, 4}}));
    EXPECT_EQ(p.info->usable_bytes(), 0x9fc00ull + 0xbff00000ull + 5 * kGiB);
    EXPECT_GT(p.info->usable_bytes(), 5 * kGiB + 3 * kGiB - kGiB / 2);
}

TEST(Multiboot2MemoryMap, UsableBytesSaturates) {
    Parsed p = run_ok(MbiBuilder().mmap({{0, 1ull << 63, 1},
                                         {1ull << 63, 1ull << 62, 1},
                                         {(1ull << 63) + (1ull << 62), 1ull << 62, 1}}));
    // Exactly 2^64 bytes: one more than u64 can hold.
    EXPECT_EQ(p.info->usable_bytes(), ~uint64_t{0});
}

TEST(Multiboot2MemoryMap, RegionEndingAt2To64IsFine) {
    Parsed p = run_ok(MbiBuilder().mmap({{~uint64_t{0} - 0xfff, 0x1000, 2}}));
    EXPECT_EQ(p.info->memory_map.count, 1u);
}

TEST(Multiboot2MemoryMap, RegionWrapping) {
    expect_tag_error(MbiBuilder().mmap({{0, 0x1000, 1}, {~uint64_t{0} - 0xfff, 0x1001, 1}}),
                     Error::MmapRegionWraps, 8, 6);
    expect_tag_error(MbiBuilder().mmap({{2, ~uint64_t{0}, 1}}), Error::MmapRegionWraps, 8, 6);
}

TEST(Multiboot2MemoryMap, ZeroLengthRegionIsKept) {
    Parsed p = run_ok(MbiBuilder().mmap({{~uint64_t{0}, 0, 1}}));
    EXPECT_EQ(p.info->memory_map.count, 1u);
    EXPECT_EQ(p.info->usable_bytes(), 0u);
}

TEST(Multiboot2MemoryMap, BadEntrySize) {
    for (uint32_t size : {0u, 8u, 16u, 20u, 25u, 28u, 36u})
        expect_tag_error(MbiBuilder().tag(6, Payload().u32(size).u32(0)),
                         Error::MmapEntrySizeInvalid, 8, 6);
}

TEST(Multiboot2MemoryMap, LargerEntryStride) {
    Parsed p = run_ok(MbiBuilder().mmap({{0, 0x1000, 1}, {0x100000, 0x100000, 1}}, 32));
    ASSERT_EQ(p.info->memory_map.count, 2u);
    EXPECT_EQ(p.info->memory_map.regions[1].base, 0x100000u);
    EXPECT_EQ(p.info->usable_bytes(), 0x101000u);
}

TEST(Multiboot2MemoryMap, PartialEntry) {
    expect_tag_error(MbiBuilder().tag(6, Payload().u32(24).u32(0).zeros(24 + 16)),
                     Error::MmapPartialEntry, 8, 6);
    expect_tag_error(MbiBuilder().tag(6, Payload().u32(24)), Error::TagTooShort, 8, 6);
}

TEST(Multiboot2MemoryMap, EmptyMap) {
    Parsed p = run_ok(MbiBuilder().mmap({}));
    EXPECT_TRUE(p.info->memory_map.present);
    EXPECT_EQ(p.info->memory_map.count, 0u);
}

TEST(Multiboot2MemoryMap, MoreThanCapacityIsCounted) {
    std::vector<mbi_test::Region> regions;
    for (uint64_t i = 0; i < mb2::MemoryMap::kCapacity + 10; ++i)
        regions.push_back({i * 0x2000, 0x1000, 1});
    Parsed p = run_ok(MbiBuilder().mmap(regions));
    EXPECT_EQ(p.info->memory_map.count, mb2::MemoryMap::kCapacity);
    EXPECT_EQ(p.info->memory_map.dropped, 10u);
    EXPECT_EQ(p.info->usable_bytes(), mb2::MemoryMap::kCapacity * 0x1000);
}

TEST(Multiboot2MemoryMap, TypeNames) {
    EXPECT_EQ(sv(mb2::type_name(1)), "available");
    EXPECT_EQ(sv(mb2::type_name(2)), "reserved");
    EXPECT_EQ(sv(mb2::type_name(3)), "ACPI reclaimable");
    EXPECT_EQ(sv(mb2::type_name(4)), "ACPI NVS");
    EXPECT_EQ(sv(mb2::type_name(5)), "bad memory");
    EXPECT_EQ(sv(mb2::type_name(0)), "unknown (reserved)");
    EXPECT_EQ(sv(mb2::type_name(99)), "unknown (reserved)");
}

TEST(Multiboot2MemoryMap, UnknownTypesAreKeptButNotUsable) {
    Parsed p = run_ok(MbiBuilder().mmap({{0, 0x1000, 7}, {0x1000, 0x1000, 1}}));
    EXPECT_EQ(p.info->memory_map.regions[0].type, 7u);
    EXPECT_EQ(p.info->usable_bytes(), 0x1000u);
}

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

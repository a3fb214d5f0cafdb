// The Multiboot2 tags that carry strings: the command line, the loader's name
// and modules, whose strings are copied, bounded and must be NUL-terminated.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "mbi_parse.hpp"

namespace mb2 = boot::multiboot2;
using mb2::Error;
using mbi_test::expect_tag_error;
using mbi_test::kPhys;
using mbi_test::Mbi;
using mbi_test::MbiBuilder;
using mbi_test::Parsed;
using mbi_test::Payload;
using mbi_test::run;
using mbi_test::run_ok;
using mbi_test::sv;

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

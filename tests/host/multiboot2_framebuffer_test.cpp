// The Multiboot2 VBE and framebuffer tags: each framebuffer type's colour
// information, and layouts that would put a pixel's fields outside it.
#include <gtest/gtest.h>

#include <cstdint>

#include "mbi_parse.hpp"

namespace mb2 = boot::multiboot2;
using mb2::Error;
using mbi_test::expect_tag_error;
using mbi_test::kPhys;
using mbi_test::MbiBuilder;
using mbi_test::Parsed;
using mbi_test::Payload;
using mbi_test::run_ok;

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

// The Multiboot2 parser (src/boot/multiboot2/) on the header and the tag walk:
// a bad size must stop the walk without reading past the bytes (ASan watches).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <vector>

#include "boot/multiboot2/tag_walker.hpp"
#include "mbi_parse.hpp"

namespace mb2 = boot::multiboot2;
using mb2::Error;
using mbi_test::ExactCopy;
using mbi_test::expect_tag_error;
using mbi_test::kPhys;
using mbi_test::Mbi;
using mbi_test::MbiBuilder;
using mbi_test::Parsed;
using mbi_test::Payload;
using mbi_test::run;
using mbi_test::run_ok;
using mbi_test::sv;

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

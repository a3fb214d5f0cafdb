// The UEFI system table's header (src/kernel/efi/system_table.hpp): the
// fields, the CRC32 every UEFI table header carries, the revision's text.
#include "kernel/efi/system_table.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace kernel::efi {
namespace {

void put32(std::vector<u8>& b, usize at, u32 v) { std::memcpy(&b[at], &v, 4); }
std::string text(u32 revision) {
    const RevisionText t = revision_text(revision);  // the view points into it
    const ktl::string_view v = t.view();
    return {v.data(), v.size()};
}
void put64(std::vector<u8>& b, usize at, u64 v) { std::memcpy(&b[at], &v, 8); }

// A 64-bit system table as OVMF's: header size 120, vendor and revision.
std::vector<u8> table64(u32 revision = 0x00020046) {
    std::vector<u8> b(kSystemTableBytes, 0);
    put64(b, 0, kSystemTableSignature);
    put32(b, 8, revision);
    put32(b, 12, 120);
    put64(b, 24, 0x7fbe'c018);
    put32(b, 32, 0x10000);
    put32(b, 16, crc32({b.data(), 120}, 16));
    return b;
}

TEST(EfiCrc32, TheStandardCheckValue) {
    const char* digits = "123456789";
    EXPECT_EQ(crc32({reinterpret_cast<const u8*>(digits), 9}), 0xCBF43926u);
    // The CRC field itself counts as zero.
    const u8 with_field[] = {'1', '2', 0xAA, 0xBB, 0xCC, 0xDD, '7'};
    const u8 zeroed[] = {'1', '2', 0, 0, 0, 0, '7'};
    EXPECT_EQ(crc32({with_field, 7}, 2), crc32({zeroed, 7}));
}

TEST(EfiSystemTable, FieldsOfA64BitTable) {
    const std::vector<u8> b = table64();
    const auto t = parse_system_table({b.data(), b.size()}, true);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->revision, 0x00020046u);
    EXPECT_EQ(t->header_size, 120u);
    EXPECT_TRUE(t->crc_ok);
    EXPECT_EQ(t->firmware_vendor, 0x7fbec018u);
    EXPECT_EQ(t->firmware_revision, 0x10000u);
}

TEST(EfiSystemTable, A32BitTableHasFourBytePointers) {
    std::vector<u8> b(kSystemTableBytes, 0);
    put64(b, 0, kSystemTableSignature);
    put32(b, 8, 0x00020028);
    put32(b, 12, 72);
    put32(b, 24, 0x1234'5678);
    put32(b, 28, 0x42);
    put32(b, 16, crc32({b.data(), 72}, 16));
    const auto t = parse_system_table({b.data(), b.size()}, false);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->firmware_vendor, 0x12345678u);
    EXPECT_EQ(t->firmware_revision, 0x42u);
    EXPECT_TRUE(t->crc_ok);
}

TEST(EfiSystemTable, DamageIsTold) {
    std::vector<u8> b = table64();
    b[40] ^= 1;  // inside the header size: the CRC no longer matches
    const auto t = parse_system_table({b.data(), b.size()}, true);
    ASSERT_TRUE(t.ok());
    EXPECT_FALSE(t->crc_ok);
    b = table64();
    b[0] ^= 1;
    EXPECT_EQ(parse_system_table({b.data(), b.size()}, true).error(),
              SystemTableError::BadSignature);
    b = table64();
    put32(b, 12, 24);  // ends before the firmware fields
    EXPECT_EQ(parse_system_table({b.data(), b.size()}, true).error(),
              SystemTableError::BadHeaderSize);
    put32(b, 12, 4096);  // past the bytes there are
    EXPECT_EQ(parse_system_table({b.data(), b.size()}, true).error(),
              SystemTableError::BadHeaderSize);
    EXPECT_EQ(parse_system_table({b.data(), 30}, true).error(), SystemTableError::TooShort);
}

TEST(EfiSystemTable, RevisionAndVendorText) {
    EXPECT_EQ(text(0x00020046), "2.70");
    EXPECT_EQ(text(0x0002001F), "2.31");
    EXPECT_EQ(text(0x00020000), "2.00");
    EXPECT_EQ(text(0x00020064), "2.100");
    EXPECT_EQ(text(0x0001000A), "1.10");
    const u8 edk[] = {'E', 0, 'D', 0, 'K', 0, ' ', 0, 'I', 0, 'I', 0, 0, 0, 'x', 0};
    char out[32];
    EXPECT_EQ(std::string(out, vendor_text({edk, sizeof edk}, {out, sizeof out})), "EDK II");
    const u8 odd[] = {0xE9, 0x00, 'a', 0, 0x3A, 0x26};  // é, a, a smiley
    EXPECT_EQ(std::string(out, vendor_text({odd, sizeof odd}, {out, sizeof out})), "?a?");
    EXPECT_EQ(vendor_text({edk, sizeof edk}, {out, 3}), 3u);  // cut at the room there is
}

}  // namespace
}  // namespace kernel::efi

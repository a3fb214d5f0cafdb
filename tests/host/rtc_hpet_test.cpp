// The CMOS clock's register decoding (BCD or binary, 12- or 24-hour, the
// century) and the HPET's capabilities register.
#include <gtest/gtest.h>

#include "drivers/hpet/capabilities.hpp"
#include "drivers/rtc/rtc_decode.hpp"

namespace {

using drivers::rtc::Registers;
using kernel::time::DateTime;

constexpr u8 kBcd24 = drivers::rtc::kStatusB24Hour;
constexpr u8 kBcd12 = 0;
constexpr u8 kBinary24 = drivers::rtc::kStatusBBinary | drivers::rtc::kStatusB24Hour;
constexpr u8 kBinary12 = drivers::rtc::kStatusBBinary;
constexpr u8 kPm = drivers::rtc::kHourPm;

DateTime decoded(const Registers& r) {
    const auto d = drivers::rtc::decode(r);
    EXPECT_TRUE(d.ok()) << (d.ok() ? "" : std::string(d.error().data(), d.error().size()));
    return d.ok() ? *d : DateTime{};
}

// The FADT's CENTURY is read only where it can be a CMOS byte: bit 7 of the
// index port masks NMIs, and 00h-0Dh are the clock's own registers.
TEST(RtcCentury, OnlyACmosByteIsRead) {
    EXPECT_TRUE(drivers::rtc::valid_century_register(0x32));  // where firmware puts it
    EXPECT_TRUE(drivers::rtc::valid_century_register(0x0E));
    EXPECT_TRUE(drivers::rtc::valid_century_register(0x7F));
    EXPECT_FALSE(drivers::rtc::valid_century_register(0x80));
    EXPECT_FALSE(drivers::rtc::valid_century_register(0xB2));
    EXPECT_FALSE(drivers::rtc::valid_century_register(0x09));  // the year itself
    EXPECT_FALSE(drivers::rtc::valid_century_register(0x0D));
}

TEST(RtcDecode, Bcd24Hour) {
    // QEMU's default: BCD, 24-hour. -rtc base=2031-05-06T07:08:09.
    EXPECT_EQ(decoded({0x09, 0x08, 0x07, 0x06, 0x05, 0x31, kBcd24, false, 0}),
              (DateTime{2031, 5, 6, 7, 8, 9}));
    EXPECT_EQ(decoded({0x59, 0x59, 0x23, 0x31, 0x12, 0x99, kBcd24, true, 0x19}),
              (DateTime{1999, 12, 31, 23, 59, 59}));
}

TEST(RtcDecode, CenturyRegister) {
    EXPECT_EQ(decoded({0x00, 0x00, 0x00, 0x01, 0x01, 0x00, kBcd24, true, 0x21}),
              (DateTime{2100, 1, 1, 0, 0, 0}));
    // No century register: 20xx.
    EXPECT_EQ(decoded({0x00, 0x00, 0x00, 0x01, 0x01, 0x26, kBcd24, false, 0x21}).year, 2026);
}

TEST(RtcDecode, Binary24Hour) {
    EXPECT_EQ(decoded({59, 30, 23, 29, 2, 28, kBinary24, true, 20}),
              (DateTime{2028, 2, 29, 23, 30, 59}));
}

TEST(RtcDecode, TwelveHourEdges) {
    // 12 AM is midnight, 12 PM noon, 1 PM 13:00, 11 PM 23:00.
    EXPECT_EQ(decoded({0, 0, 0x12, 0x01, 0x01, 0x26, kBcd12, false, 0}).hour, 0);
    EXPECT_EQ(decoded({0, 0, 0x12 | kPm, 0x01, 0x01, 0x26, kBcd12, false, 0}).hour, 12);
    EXPECT_EQ(decoded({0, 0, 0x01 | kPm, 0x01, 0x01, 0x26, kBcd12, false, 0}).hour, 13);
    EXPECT_EQ(decoded({0, 0, 0x11 | kPm, 0x01, 0x01, 0x26, kBcd12, false, 0}).hour, 23);
    EXPECT_EQ(decoded({0, 0, 0x01, 0x01, 0x01, 0x26, kBcd12, false, 0}).hour, 1);
    EXPECT_EQ(decoded({0, 0, 0x11, 0x01, 0x01, 0x26, kBcd12, false, 0}).hour, 11);
    // Binary 12-hour: the PM bit sits above binary 12 too.
    EXPECT_EQ(decoded({0, 0, 12, 1, 1, 26, kBinary12, false, 0}).hour, 0);
    EXPECT_EQ(decoded({0, 0, 12 | kPm, 1, 1, 26, kBinary12, false, 0}).hour, 12);
    EXPECT_EQ(decoded({0, 0, 7 | kPm, 1, 1, 26, kBinary12, false, 0}).hour, 19);
}

TEST(RtcDecode, NonsenseIsRefusedWithAReason) {
    // A BCD nibble above 9.
    EXPECT_FALSE(drivers::rtc::decode({0x1A, 0, 0, 1, 1, 0x26, kBcd24, false, 0}).ok());
    // Month 13, 30 February, hour 24, 12-hour hour 0, no clock (all 0xFF).
    EXPECT_FALSE(drivers::rtc::decode({0, 0, 0, 0x01, 0x13, 0x26, kBcd24, false, 0}).ok());
    EXPECT_FALSE(drivers::rtc::decode({0, 0, 0, 0x30, 0x02, 0x26, kBcd24, false, 0}).ok());
    EXPECT_FALSE(drivers::rtc::decode({0, 0, 0x24, 0x01, 0x01, 0x26, kBcd24, false, 0}).ok());
    EXPECT_FALSE(drivers::rtc::decode({0, 0, 0x00, 0x01, 0x01, 0x26, kBcd12, false, 0}).ok());
    EXPECT_FALSE(drivers::rtc::decode({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, true, 0xFF}).ok());
    const auto day = drivers::rtc::decode({0, 0, 0, 0x30, 0x02, 0x26, kBcd24, false, 0});
    ASSERT_FALSE(day.ok());
    EXPECT_EQ(std::string(day.error().data(), day.error().size()),
              "the day does not exist in that month");
}

TEST(HpetCapabilities, QemuHpet) {
    // QEMU's: period 10 ns (100 MHz), 3 timers, 64-bit, legacy capable,
    // vendor 0x8086, revision 1.
    const u64 value =
        (10'000'000ULL << 32) | (0x8086ULL << 16) | (1U << 15) | (1U << 13) | (2U << 8) | 1;
    const auto c = drivers::hpet::decode_capabilities(value);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->hz(), 100'000'000U);
    EXPECT_EQ(c->timers, 3);
    EXPECT_TRUE(c->wide);
    EXPECT_EQ(c->counter_bits(), 64U);
    EXPECT_TRUE(c->legacy);
    EXPECT_EQ(c->vendor, 0x8086);
}

TEST(HpetCapabilities, ChipsetHpet32Bit) {
    // A 14.318180 MHz HPET (period 69841279 fs), 32-bit, 8 timers.
    const u64 value = (69'841'279ULL << 32) | (0x8086ULL << 16) | (7U << 8) | 1;
    const auto c = drivers::hpet::decode_capabilities(value);
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(c->hz(), 14'318'180U);
    EXPECT_EQ(c->counter_bits(), 32U);
    EXPECT_EQ(c->timers, 8);
}

TEST(HpetCapabilities, NotAnHpet) {
    EXPECT_FALSE(drivers::hpet::decode_capabilities(~0ULL).ok());  // nothing answers
    EXPECT_FALSE(drivers::hpet::decode_capabilities(0).ok());
    EXPECT_FALSE(drivers::hpet::decode_capabilities((100'000'001ULL << 32) | 1).ok());
}

}  // namespace

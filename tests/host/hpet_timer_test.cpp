// The HPET comparator's register encoding (drivers/hpet/timer_registers.hpp):
// what the driver writes to Tn_CONF_CAP, nanoseconds as counter ticks, and
// which I/O APIC inputs a timer may take.
#include <gtest/gtest.h>

#include "drivers/hpet/timer_registers.hpp"

namespace {

using namespace drivers::hpet;

// QEMU's timer 0 on `pc`: periodic- and 64-bit-capable, route cap input 2
// only; q35 adds inputs 8 and 16-23 (0x00ff0104).
constexpr u64 kQemuPcTimer0 = (u64{0x4} << 32) | kTimerPeriodicCap | kTimerWideCap;
constexpr u64 kQemuQ35Timer0 = (u64{0x00ff0104} << 32) | kTimerPeriodicCap | kTimerWideCap;
constexpr u32 kPeriod100MHz = 10'000'000;   // fs: QEMU's and Bochs' 100 MHz counter
constexpr u32 kPeriodChipset = 69'841'279;  // fs: the 14.318 MHz chipset clock

TEST(HpetTimer, OffsetsFollowTheSpec) {
    EXPECT_EQ(timer_config_offset(0), 0x100U);
    EXPECT_EQ(timer_comparator_offset(0), 0x108U);
    EXPECT_EQ(timer_config_offset(2), 0x140U);
    EXPECT_EQ(timer_comparator_offset(31), 0x4E8U);
}

TEST(HpetTimer, DecodesCapabilities) {
    const TimerCaps pc = decode_timer(kQemuPcTimer0);
    EXPECT_TRUE(pc.periodic);
    EXPECT_TRUE(pc.wide);
    EXPECT_EQ(pc.route_cap, 0x4U);
    const TimerCaps narrow = decode_timer(u64{0x00f00000} << 32);
    EXPECT_FALSE(narrow.periodic);
    EXPECT_FALSE(narrow.wide);
    EXPECT_EQ(narrow.route_cap, 0x00f00000U);
}

TEST(HpetTimer, EncodesOneShotEdgeOnARoute) {
    const u64 v = encode_timer(kQemuQ35Timer0, TimerMode::OneShot, 23);
    EXPECT_EQ(v & kTimerEnable, kTimerEnable);
    EXPECT_EQ(v & (kTimerPeriodic | kTimerValueSet | kTimerLevel), 0U);
    EXPECT_EQ((v & kTimerRouteMask) >> kTimerRouteShift, 23U);
    EXPECT_EQ(v >> 32, 0x00ff0104U);  // read-only bits kept as read
    EXPECT_EQ(v & (kTimerPeriodicCap | kTimerWideCap), kTimerPeriodicCap | kTimerWideCap);
}

TEST(HpetTimer, EncodesPeriodicWithValueSet) {
    const u64 v = encode_timer(kQemuPcTimer0, TimerMode::Periodic, 2);
    EXPECT_EQ(v & (kTimerEnable | kTimerPeriodic | kTimerValueSet),
              kTimerEnable | kTimerPeriodic | kTimerValueSet);
    EXPECT_EQ((v & kTimerRouteMask) >> kTimerRouteShift, 2U);
}

TEST(HpetTimer, OffClearsWhatTheFirmwareLeft) {
    // Left on, level, periodic, 32-bit, FSB, route 31 by someone else.
    const u64 left = kQemuPcTimer0 | kTimerEnable | kTimerLevel | kTimerPeriodic | kTimer32Bit |
                     kTimerFsb | kTimerRouteMask;
    const u64 v = encode_timer(left, TimerMode::Off, 0);
    EXPECT_EQ(v, kQemuPcTimer0);
}

TEST(HpetTimer, RouteIsKeptInItsField) {
    const u64 v = encode_timer(0, TimerMode::OneShot, 0xFF);
    EXPECT_EQ(v & ~(kTimerRouteMask | kTimerEnable), 0U);
}

TEST(HpetTimer, NanosecondsToTicksRoundUp) {
    EXPECT_EQ(ticks_for_ns(20'000'000, kPeriod100MHz), 2'000'000U);  // 20 ms at 100 MHz
    EXPECT_EQ(ticks_for_ns(15, kPeriod100MHz), 2U);                  // 1.5 ticks: never early
    EXPECT_EQ(ticks_for_ns(0, kPeriod100MHz), 1U);
    // 1 ms of the chipset clock: 14318.18 ticks.
    EXPECT_EQ(ticks_for_ns(1'000'000, kPeriodChipset), 14'319U);
    // An hour: past where ns * 10^6 overflows, still exact.
    EXPECT_EQ(ticks_for_ns(3'600'000'000'000ULL, kPeriod100MHz), 360'000'000'000ULL);
    EXPECT_EQ(ticks_for_ns(~0ULL, 1), ~0ULL);  // saturated
}

TEST(HpetTimer, IsaInputsFollowTheOverrides) {
    // QEMU: IRQ 0 -> GSI 2, IRQs 5, 9, 10, 11 level but in place.
    const IsaOverride qemu[] = {{0, 2}, {5, 5}, {9, 9}, {10, 10}, {11, 11}};
    const u32 used = isa_inputs(qemu, 5);
    EXPECT_EQ(used, 0xFFFFU);  // 2 is IRQ 0's (and IRQ 2's), 0 the 8259s' ExtINT
    EXPECT_EQ(isa_inputs(nullptr, 0), 0xFFFFU);
    const IsaOverride far[] = {{9, 20}};
    EXPECT_EQ(isa_inputs(far, 1), (0xFFFFU & ~(1U << 9)) | (1U << 20));
    const IsaOverride above[] = {{0, 20}};
    EXPECT_EQ(isa_inputs(above, 1) & 1U, 1U);
}

TEST(HpetTimer, FreeRoutesAvoidIsaLines) {
    const IsaOverride qemu[] = {{0, 2}};
    const u32 isa = isa_inputs(qemu, 1);
    EXPECT_EQ(free_routes(0x4, isa), 0U);  // pc: only the PIT's input: the legacy route then
    EXPECT_EQ(free_routes(0x00ff0104, isa), 0x00ff0000U);  // q35: GSI 16-23
}

}  // namespace

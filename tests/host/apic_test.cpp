// The interrupt controllers' hardware-independent parts: x2APIC register
// mapping (QEMU TCG has no x2APIC, so this is where it is tested), ICR
// layouts, the timer's divide encoding, ISA routing through the MADT's
// overrides, I/O APIC selection and redirection entries, and the 8259
// spurious-IRQ verdicts.
#include <gtest/gtest.h>

#include "arch/x86_64/apic/pic_logic.hpp"
#include "arch/x86_64/apic/registers.hpp"
#include "arch/x86_64/apic/routing.hpp"
#include "arch/x86_64/apic/timer_math.hpp"

namespace {

namespace apic = arch::apic;
namespace reg = arch::apic::reg;
using kernel::acpi::InterruptOverride;
using kernel::irq::Polarity;
using kernel::irq::Trigger;

// The optional's value, or a value no test expects.
template <typename T>
u64 value_of(const ktl::optional<T>& v) {
    return v ? static_cast<u64>(*v) : 0xDEAD'BEEF;
}

TEST(X2apic, RegistersMapToMsr0x800PlusOffsetOver16) {
    EXPECT_EQ(value_of(apic::x2apic_msr(reg::kId)), 0x802u);
    EXPECT_EQ(value_of(apic::x2apic_msr(reg::kVersion)), 0x803u);
    EXPECT_EQ(value_of(apic::x2apic_msr(reg::kTaskPriority)), 0x808u);
    EXPECT_EQ(value_of(apic::x2apic_msr(reg::kEoi)), 0x80Bu);
    EXPECT_EQ(value_of(apic::x2apic_msr(reg::kSpurious)), 0x80Fu);
    EXPECT_EQ(value_of(apic::x2apic_msr(reg::kInService)), 0x810u);
    EXPECT_EQ(value_of(apic::x2apic_msr(reg::kInService + 0x70)), 0x817u);
    EXPECT_EQ(value_of(apic::x2apic_msr(reg::kErrorStatus)), 0x828u);
    EXPECT_EQ(value_of(apic::x2apic_msr(reg::kIcrLow)), 0x830u);
    EXPECT_EQ(value_of(apic::x2apic_msr(reg::kLvtTimer)), 0x832u);
    EXPECT_EQ(value_of(apic::x2apic_msr(reg::kLvtLint0)), 0x835u);
    EXPECT_EQ(value_of(apic::x2apic_msr(reg::kLvtLint1)), 0x836u);
    EXPECT_EQ(value_of(apic::x2apic_msr(reg::kLvtError)), 0x837u);
    EXPECT_EQ(value_of(apic::x2apic_msr(reg::kTimerInitialCount)), 0x838u);
    EXPECT_EQ(value_of(apic::x2apic_msr(reg::kTimerCurrentCount)), 0x839u);
    EXPECT_EQ(value_of(apic::x2apic_msr(reg::kTimerDivide)), 0x83Eu);
    EXPECT_EQ(value_of(apic::x2apic_msr(reg::kSelfIpi)), 0x83Fu);
}

TEST(X2apic, RegistersThatX2apicDroppedHaveNoMsr) {
    EXPECT_FALSE(apic::x2apic_msr(reg::kDestinationFormat).has_value());  // no DFR
    EXPECT_FALSE(apic::x2apic_msr(reg::kIcrHigh).has_value());            // ICR is one 64-bit MSR
    EXPECT_FALSE(apic::x2apic_msr(0x090).has_value());                    // arbitration priority
    EXPECT_FALSE(apic::x2apic_msr(0x0C0).has_value());                    // remote read
    EXPECT_FALSE(apic::x2apic_msr(0x3A0).has_value());                    // reserved
    EXPECT_FALSE(apic::x2apic_msr(0x024).has_value());                    // misaligned
    EXPECT_FALSE(apic::x2apic_msr(0x400).has_value());  // past the page's registers
}

TEST(X2apic, IdAndCommandLayouts) {
    EXPECT_EQ(apic::id_from_register(0x0300'0000, false), 3u);
    EXPECT_EQ(apic::id_from_register(0x0000'0123, true), 0x123u);
    const apic::XapicCommand x = apic::xapic_command(0x4030, 5);
    EXPECT_EQ(x.high, 0x0500'0000u);
    EXPECT_EQ(x.low, 0x4030u);
    EXPECT_EQ(apic::x2apic_command(0x4030, 0x123), 0x0000'0123'0000'4030ULL);
}

TEST(X2apic, VectorBitsAndTimerDivide) {
    EXPECT_EQ(apic::vector_bit(0x30).offset, 0x10u);
    EXPECT_EQ(apic::vector_bit(0x30).mask, 1u << 16);
    EXPECT_EQ(apic::vector_bit(0xFF).offset, 0x70u);
    EXPECT_EQ(apic::vector_bit(0xFF).mask, 1u << 31);
    EXPECT_EQ(value_of(apic::timer_divide_value(1)), 0b1011u);
    EXPECT_EQ(value_of(apic::timer_divide_value(2)), 0b0000u);
    EXPECT_EQ(value_of(apic::timer_divide_value(16)), 0b0011u);
    EXPECT_EQ(value_of(apic::timer_divide_value(128)), 0b1010u);
    EXPECT_FALSE(apic::timer_divide_value(3).has_value());
    EXPECT_FALSE(apic::timer_divide_value(256).has_value());
}

// QEMU's and most PCs' MADT: IRQ 0 -> GSI 2 with bus-default flags, and
// the SCI (IRQ 9) level, active high.
const InterruptOverride kQemuOverrides[] = {
    {0, 0, 2, 0x0}, {0, 5, 5, 0xD}, {0, 9, 9, 0xD}, {0, 10, 10, 0xD}, {0, 11, 11, 0xD},
};

TEST(Routing, OverrideMovesIrq0ToGsi2WithTheBusDefaults) {
    const auto r = apic::route_isa(0, kQemuOverrides, Trigger::Edge, Polarity::ActiveHigh);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->gsi, 2u);
    EXPECT_EQ(r->trigger, Trigger::Edge);
    EXPECT_EQ(r->polarity, Polarity::ActiveHigh);
    EXPECT_TRUE(r->overridden);
}

TEST(Routing, OverrideFlagsWinOverTheCallersDefaults) {
    const auto sci = apic::route_isa(9, kQemuOverrides, Trigger::Edge, Polarity::ActiveHigh);
    ASSERT_TRUE(sci.has_value());
    EXPECT_EQ(sci->gsi, 9u);
    EXPECT_EQ(sci->trigger, Trigger::Level);
    EXPECT_EQ(sci->polarity, Polarity::ActiveHigh);
    const InterruptOverride low[] = {{0, 9, 20, 0xF}};
    const auto moved = apic::route_isa(9, low, Trigger::Edge, Polarity::ActiveHigh);
    ASSERT_TRUE(moved.has_value());
    EXPECT_EQ(moved->gsi, 20u);
    EXPECT_EQ(moved->polarity, Polarity::ActiveLow);
    EXPECT_EQ(moved->trigger, Trigger::Level);
}

TEST(Routing, WithoutOverrideIdentityAndTheCallersDefaults) {
    const auto kbd = apic::route_isa(1, kQemuOverrides, Trigger::Edge, Polarity::ActiveHigh);
    ASSERT_TRUE(kbd.has_value());
    EXPECT_EQ(kbd->gsi, 1u);
    EXPECT_FALSE(kbd->overridden);
    const auto odd = apic::route_isa(3, kQemuOverrides, Trigger::Level, Polarity::ActiveLow);
    ASSERT_TRUE(odd.has_value());
    EXPECT_EQ(odd->trigger, Trigger::Level);
    EXPECT_EQ(odd->polarity, Polarity::ActiveLow);
}

TEST(Routing, AGsiTakenByAnotherIrqsOverrideLeavesNoIdentityLine) {
    // IRQ 2 (the PIC cascade) has no line: GSI 2 belongs to IRQ 0.
    EXPECT_FALSE(apic::route_isa(2, kQemuOverrides, Trigger::Edge, Polarity::ActiveHigh));
    EXPECT_FALSE(apic::route_isa(16, kQemuOverrides, Trigger::Edge, Polarity::ActiveHigh));
    // An override for another bus is not an ISA override.
    const InterruptOverride other_bus[] = {{1, 0, 7, 0}};
    const auto isa0 = apic::route_isa(0, other_bus, Trigger::Edge, Polarity::ActiveHigh);
    ASSERT_TRUE(isa0.has_value());
    EXPECT_EQ(isa0->gsi, 0u);
}

TEST(Routing, TheIoApicServingAGsi) {
    const apic::IoApicRange two[] = {{0, 24}, {24, 32}};
    EXPECT_EQ(value_of(apic::io_apic_for(0, two)), 0u);
    EXPECT_EQ(value_of(apic::io_apic_for(23, two)), 0u);
    EXPECT_EQ(value_of(apic::io_apic_for(24, two)), 1u);
    EXPECT_EQ(value_of(apic::io_apic_for(55, two)), 1u);
    EXPECT_FALSE(apic::io_apic_for(56, two).has_value());
    const apic::IoApicRange high[] = {{0xFFFFFFF0, 24}};
    EXPECT_FALSE(apic::io_apic_for(5, high).has_value());
}

// Hostile MADTs (boot.acpi.hostile_ioapics): chips that cannot be, refused
// before any of their registers is written.
TEST(Routing, AnIoApicAddressThatCannotBeAChip) {
    const u64 mapped[] = {0xFEC0'0000};
    EXPECT_EQ(apic::io_apic_address_problem(0xFEC0'0000, {}), "");
    EXPECT_EQ(apic::io_apic_address_problem(0xFEC0'0000, mapped), "");  // shared, not a clash
    EXPECT_EQ(apic::io_apic_address_problem(0xFEC0'1000, mapped), "");
    EXPECT_EQ(apic::io_apic_address_problem(0xFEC0'0020, mapped), "");  // just past its window
    EXPECT_EQ(apic::io_apic_address_problem(0xFEC0'0004, {}),
              "its address is not 16-byte aligned, as its registers are");
    // Its select register would be the real chip's window, and the other way.
    EXPECT_EQ(apic::io_apic_address_problem(0xFEC0'0010, mapped),
              "its registers overlap another I/O APIC's");
    EXPECT_EQ(apic::io_apic_address_problem(0xFEBF'FFF0, mapped),
              "its registers overlap another I/O APIC's");
}

TEST(Routing, GsiRangesThatOverlap) {
    const apic::IoApicRange taken[] = {{0, 24}, {0xFFFF'FFF0, 24}};
    EXPECT_TRUE(apic::gsis_overlap(8, 1, taken));
    EXPECT_TRUE(apic::gsis_overlap(23, 10, taken));
    EXPECT_FALSE(apic::gsis_overlap(24, 24, taken));
    EXPECT_FALSE(apic::gsis_overlap(0, 0, taken));  // no inputs: nothing shared
    // Near 2^32 the sums are taken in 64 bits: no wrap to GSI 0.
    EXPECT_TRUE(apic::gsis_overlap(0xFFFF'FFFF, 1, taken));
    EXPECT_FALSE(apic::gsis_overlap(0xFFFF'FFE0, 16, taken));
}

TEST(TimerMath, RatesCountsAndDeadlines) {
    // 625,000 counts while a 2 GHz TSC advanced 20 ms: 62.5 MHz.
    EXPECT_EQ(apic::rate_from_window(625'000, 40'000'000, 2'000'000'000), 31'250'000u);
    EXPECT_EQ(apic::rate_from_window(1'250'000, 40'000'000, 2'000'000'000), 62'500'000u);
    EXPECT_EQ(apic::rate_from_window(5, 0, 2'000'000'000), 0u);
    // Products past 2^64 stay close.
    EXPECT_EQ(apic::mul_div(1ULL << 40, 1ULL << 40, 1ULL << 30), 1ULL << 50);
    const u64 rates[] = {62'400'000, 90'000'000, 62'500'000};
    EXPECT_EQ(apic::median_rate(rates), 62'500'000u);
    EXPECT_EQ(apic::median_rate({}), 0u);
    // 10 ms of a 2 GHz TSC at 62.5 MHz; never 0, never past 32 bits.
    EXPECT_EQ(apic::oneshot_count(20'000'000, 2'000'000'000, 62'500'000), 625'000u);
    EXPECT_EQ(apic::oneshot_count(0, 2'000'000'000, 62'500'000), 1u);
    EXPECT_EQ(apic::oneshot_count(1ULL << 50, 1'000'000, 1'000'000'000), 0xFFFF'FFFFu);
    // The tick's grid: on time, then two periods missed.
    EXPECT_EQ(apic::next_tick(1000, 100, 1050).deadline, 1100u);
    EXPECT_EQ(apic::next_tick(1000, 100, 1050).missed, 0u);
    EXPECT_EQ(apic::next_tick(1000, 100, 1320).deadline, 1400u);
    EXPECT_EQ(apic::next_tick(1000, 100, 1320).missed, 3u);
}

TEST(TimerMath, ApTimerAgainstTheBootCalibration) {
    // QEMU's 62.5 MHz measured on an AP, a little off: 1.00x, within 5 %.
    EXPECT_EQ(apic::ratio_hundredths(62'400'000, 62'500'000), 100u);
    EXPECT_TRUE(apic::rates_agree(62'400'000, 62'500'000, 5));
    // Exactly 5 % off agrees; beyond it does not, either way.
    EXPECT_TRUE(apic::rates_agree(65'625'000, 62'500'000, 5));
    EXPECT_FALSE(apic::rates_agree(65'700'000, 62'500'000, 5));
    EXPECT_FALSE(apic::rates_agree(59'000'000, 62'500'000, 5));
    // A timer at half the rate: 0.50x; rounding to the nearest hundredth.
    EXPECT_EQ(apic::ratio_hundredths(31'250'000, 62'500'000), 50u);
    EXPECT_EQ(apic::ratio_hundredths(1'005, 1'000), 101u);
    EXPECT_EQ(apic::ratio_hundredths(1'004, 1'000), 100u);
    // No reference: never agrees, ratio 0.
    EXPECT_FALSE(apic::rates_agree(0, 0, 5));
    EXPECT_EQ(apic::ratio_hundredths(5, 0), 0u);
}

TEST(TimerMath, PeriodsTimedAgainstWhatTheyWereArmedFor) {
    // On time, late by half, early by half (a count rate measured at half
    // its truth), and a period held up past 65 times its length.
    EXPECT_EQ(apic::period_permille(20'000'000, 20'000'000), 1000u);
    EXPECT_EQ(apic::period_permille(30'000'000, 20'000'000), 1500u);
    EXPECT_EQ(apic::period_permille(10'000'000, 20'000'000), 500u);
    EXPECT_EQ(apic::period_permille(2'000'000'000, 20'000'000), 0xFFFFu);
    EXPECT_EQ(apic::period_permille(5, 0), 0u);
    // A few held up by the host: the smallest still shows the timer's own
    // rate, the median the common case.
    const u16 loaded[] = {1003, 2500, 1001, 4000, 1002, 1000, 3000};
    EXPECT_EQ(apic::spread_of(loaded).min, 1000u);
    EXPECT_EQ(apic::spread_of(loaded).median, 1003u);
    const u16 two[] = {3000, 1000};
    EXPECT_EQ(apic::spread_of(two).median, 1000u);
    EXPECT_EQ(apic::spread_of({}).min, 0u);
    EXPECT_EQ(apic::spread_of({}).median, 0u);
}

TEST(Routing, RedirectionEntryEncoding) {
    EXPECT_EQ(apic::encode({0x30, Trigger::Edge, Polarity::ActiveHigh, false, 0}), 0x30ULL);
    EXPECT_EQ(apic::encode({0x41, Trigger::Level, Polarity::ActiveLow, true, 3}),
              0x0300'0000'0001'A041ULL);
    const apic::Redirection back = apic::decode(0x0300'0000'0001'A041ULL);
    EXPECT_EQ(back.vector, 0x41);
    EXPECT_EQ(back.trigger, Trigger::Level);
    EXPECT_EQ(back.polarity, Polarity::ActiveLow);
    EXPECT_TRUE(back.masked);
    EXPECT_EQ(back.destination, 3);
}

TEST(Pic, SpuriousIrq7And15AreRecognisedByTheirIsrBit) {
    using arch::pic::Verdict;
    EXPECT_EQ(arch::pic::classify(7, 0x00), Verdict::SpuriousMaster);
    EXPECT_EQ(arch::pic::classify(7, 0x80), Verdict::Real);
    EXPECT_EQ(arch::pic::classify(15, 0x00), Verdict::SpuriousSlave);
    EXPECT_EQ(arch::pic::classify(15, 0x80), Verdict::Real);
    // Only 7 and 15 can be spurious; others are real even with a clear bit.
    EXPECT_EQ(arch::pic::classify(3, 0x00), Verdict::Real);
    EXPECT_EQ(arch::pic::classify(12, 0x00), Verdict::Real);
}

}  // namespace

// The interrupt API's line table (arch/x86_64/irq/lines.hpp): slots claimed
// once per GSI, released, found by handle; and the storm detector.
#include <gtest/gtest.h>

#include <string_view>

#include "arch/x86_64/irq/lines.hpp"

namespace {

using arch::irq::Line;
using arch::irq::LineTable;
using arch::irq::StormDetector;
using kernel::irq::IrqError;
using kernel::irq::Polarity;
using kernel::irq::Trigger;

void nothing(void* /*context*/) {}

TEST(LineTable, ClaimFillsASlotOncePerGsi) {
    static LineTable table;
    int context = 0;
    auto a = table.claim(2, 0, "pit", nothing, &context, Trigger::Edge, Polarity::ActiveHigh);
    ASSERT_TRUE(a.ok());
    Line& line = **a;
    EXPECT_EQ(std::string_view(line.name), "pit");
    EXPECT_EQ(line.gsi, 2u);
    EXPECT_EQ(line.isa_irq, 0);
    EXPECT_EQ(line.context, &context);
    EXPECT_EQ(line.entry.context, &line);
    EXPECT_STREQ(line.entry.name, "pit");
    EXPECT_TRUE(line.masked);  // until the router unmasks it
    EXPECT_EQ(table.find(table.id_of(line)), &line);
    EXPECT_EQ(
        table.claim(2, 0, "again", nothing, nullptr, Trigger::Edge, Polarity::ActiveHigh).error(),
        IrqError::Busy);
    EXPECT_EQ(table.in_use(), 1u);
    table.release(line);
    EXPECT_EQ(table.find(table.id_of(line)), nullptr);
    EXPECT_TRUE(
        table.claim(2, 0, "again", nothing, nullptr, Trigger::Edge, Polarity::ActiveHigh).ok());
}

TEST(LineTable, LongNamesAreCutAndTheTableFills) {
    static LineTable table;
    auto a = table.claim(1, arch::irq::kNoIsaIrq, "a name far longer than the thirty-one bytes",
                         nothing, nullptr, Trigger::Level, Polarity::ActiveLow);
    ASSERT_TRUE(a.ok());
    EXPECT_EQ((*a)->name_view().size(), sizeof(Line::name) - 1);
    for (u32 gsi = 2; gsi <= LineTable::kMaxLines; ++gsi)
        EXPECT_TRUE(
            table.claim(gsi, 0xFF, "x", nothing, nullptr, Trigger::Edge, Polarity::ActiveHigh)
                .ok());
    EXPECT_EQ(
        table.claim(1000, 0xFF, "x", nothing, nullptr, Trigger::Edge, Polarity::ActiveHigh).error(),
        IrqError::NoVector);
    EXPECT_EQ(table.find(LineTable::kMaxLines), nullptr);
}

TEST(StormDetector, FiresOnlyPastTheLimitWithinTheWindow) {
    StormDetector d;
    // 100 interrupts 1 unit apart in a window of 1000: at most the limit.
    for (u64 t = 0; t < 100; ++t) EXPECT_FALSE(d.record(t, 1000, 100));
    EXPECT_TRUE(d.record(100, 1000, 100));  // the 101st inside the window
}

TEST(StormDetector, ASteadyRateBelowTheLimitNeverFires) {
    StormDetector d;
    // 50 per window of 1000, for 100 windows.
    for (u64 t = 0; t < 100'000; t += 20) EXPECT_FALSE(d.record(t, 1000, 100));
}

}  // namespace

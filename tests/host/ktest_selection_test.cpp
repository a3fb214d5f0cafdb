// kernel::test::selects (src/kernel/test/selection.hpp): which in-kernel
// tests `test` and `test=<prefix>[,<prefix>...]` run; the slow ones only
// by name.
#include "kernel/test/selection.hpp"

#include <gtest/gtest.h>

namespace {

using kernel::test::Prefixes;
using kernel::test::selects;

TEST(KtestSelection, EmptyPrefixSelectsEveryQuickTest) {
    EXPECT_TRUE(selects("", "format_in_kernel"));
    EXPECT_TRUE(selects("", "smp_locked_increments_exact"));
    EXPECT_FALSE(selects("", "smpslow_locked_increments_4m"));
}

TEST(KtestSelection, PrefixSelectsNamesThatStartWithIt) {
    EXPECT_TRUE(selects("format", "format_in_kernel"));
    EXPECT_FALSE(selects("formatx", "format_in_kernel"));
    EXPECT_FALSE(selects("in_kernel", "format_in_kernel"));
}

TEST(KtestSelection, SlowTestsRunOnlyWhenNamed) {
    EXPECT_FALSE(selects("s", "smpslow_locked_increments_4m"));
    EXPECT_FALSE(selects("smp", "smpslow_locked_increments_4m"));
    EXPECT_FALSE(selects("smps", "smpslow_locked_increments_4m"));
    EXPECT_TRUE(selects("smpslow", "smpslow_locked_increments_4m"));
    EXPECT_TRUE(selects("smpslow_", "smpslow_locked_increments_4m"));
    EXPECT_TRUE(selects("smpslow_locked_increments_4m", "smpslow_locked_increments_4m"));
    // smp still selects the quick SMP tests.
    EXPECT_TRUE(selects("smp", "smp_call_round_trips"));
}

TEST(KtestSelection, CommaSeparatedPrefixesSelectEachGroup) {
    EXPECT_TRUE(selects("irq_,timer_", "irq_storm_is_masked_and_counted"));
    EXPECT_TRUE(selects("irq_,timer_", "timer_sleep_100ms_lasts_100ms"));
    EXPECT_FALSE(selects("irq_,timer_", "format_in_kernel"));
    // Each prefix keeps the slow rule.
    EXPECT_FALSE(selects("irq_,smp", "smpslow_locked_increments_4m"));
    EXPECT_TRUE(selects("irq_,smpslow", "smpslow_locked_increments_4m"));
}

TEST(KtestSelection, EmptyPrefixesAreSkippedNotEverything) {
    // A trailing or doubled comma must not become the empty prefix, which
    // would select every test.
    EXPECT_FALSE(selects("irq_,", "format_in_kernel"));
    EXPECT_FALSE(selects(",,irq_", "format_in_kernel"));
    EXPECT_TRUE(selects(",,irq_", "irq_storm_is_masked_and_counted"));
    // Only commas: no prefix at all, so every quick test, like "".
    EXPECT_TRUE(selects(",", "format_in_kernel"));
    EXPECT_FALSE(selects(",", "smpslow_locked_increments_4m"));
}

TEST(KtestSelection, PrefixesComeOutInOrder) {
    Prefixes prefixes("a,,bc,");
    ktl::string_view p;
    ASSERT_TRUE(prefixes.next(p));
    EXPECT_EQ(p, "a");
    ASSERT_TRUE(prefixes.next(p));
    EXPECT_EQ(p, "bc");
    EXPECT_FALSE(prefixes.next(p));
}

}  // namespace

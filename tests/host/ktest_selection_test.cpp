// kernel::test::selects (src/kernel/test/selection.hpp): which in-kernel
// tests `test` and `test=<prefix>` run; the slow ones only by name.
#include "kernel/test/selection.hpp"

#include <gtest/gtest.h>

namespace {

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

}  // namespace

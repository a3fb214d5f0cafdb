// kernel::PhaseTracker (src/kernel/phases.hpp): kernel_main's phases state
// what they need, and a phase run too early is named with what it lacks.
#include "kernel/phases.hpp"

#include <gtest/gtest.h>

namespace {

using kernel::Phase;

TEST(Phases, NothingIsDoneAtFirst) {
    kernel::PhaseTracker t;
    for (int p = 0; p < static_cast<int>(Phase::Count); ++p)
        EXPECT_FALSE(t.done(static_cast<Phase>(p)));
    EXPECT_EQ(t.first_missing(Phase::CpuTables), Phase::CpuTables);
}

TEST(Phases, FirstMissingInTheOrderAsked) {
    kernel::PhaseTracker t;
    t.mark_done(Phase::BootParams);
    EXPECT_EQ(t.first_missing(Phase::BootParams, Phase::Symbols, Phase::Console), Phase::Symbols);
    t.mark_done(Phase::Symbols);
    EXPECT_EQ(t.first_missing(Phase::BootParams, Phase::Symbols, Phase::Console), Phase::Console);
    t.mark_done(Phase::Console);
    EXPECT_EQ(t.first_missing(Phase::BootParams, Phase::Symbols, Phase::Console), Phase::Count);
}

TEST(Phases, FirstMissingOfAList) {
    // The form init's require_list() uses: the list's order, not the enum's.
    kernel::PhaseTracker t;
    const Phase needed[] = {Phase::Heap, Phase::CpuTables, Phase::Clock};
    EXPECT_EQ(t.first_missing(needed, 3), Phase::Heap);
    t.mark_done(Phase::Heap);
    EXPECT_EQ(t.first_missing(needed, 3), Phase::CpuTables);
    t.mark_done(Phase::CpuTables);
    t.mark_done(Phase::Clock);
    EXPECT_EQ(t.first_missing(needed, 3), Phase::Count);
    EXPECT_EQ(t.first_missing(needed, 0), Phase::Count);
}

TEST(Phases, EveryPhaseHasAName) {
    for (int p = 0; p < static_cast<int>(Phase::Count); ++p) {
        ktl::string_view name = kernel::phase_name(static_cast<Phase>(p));
        EXPECT_FALSE(name.empty());
        EXPECT_NE(name, ktl::string_view("unknown phase")) << p;
    }
    EXPECT_EQ(kernel::phase_name(Phase::PhysicalMemory), ktl::string_view("physical memory"));
}

}  // namespace

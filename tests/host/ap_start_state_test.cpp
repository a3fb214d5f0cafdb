// The AP start's state word (src/arch/x86_64/smp/ap_start_state.hpp): each
// interleaving of the boot CPU's and the AP's moves has one winner, and an
// AP of another start cannot move it.
#include "arch/x86_64/smp/ap_start_state.hpp"

#include <gtest/gtest.h>

namespace {

using arch::ApStartState;
using arch::ApState;

TEST(ApStartState, TheApEntersAndStarts) {
    ApStartState s;
    s.begin(1);
    EXPECT_TRUE(s.is(1, ApState::Waiting));
    EXPECT_TRUE(s.advance(1, ApState::Waiting, ApState::Entered));
    EXPECT_TRUE(s.advance(1, ApState::Entered, ApState::Started));
    EXPECT_TRUE(s.is(1, ApState::Started));
    // Too late to give up on it.
    EXPECT_FALSE(s.advance(1, ApState::Entered, ApState::Abandoned));
    EXPECT_FALSE(s.advance(1, ApState::Waiting, ApState::Abandoned));
}

// The boot CPU gives up first: the AP arriving after it halts.
TEST(ApStartState, GivenUpBeforeItArrives) {
    ApStartState s;
    s.begin(3);
    EXPECT_TRUE(s.advance(3, ApState::Waiting, ApState::Abandoned));
    EXPECT_FALSE(s.advance(3, ApState::Waiting, ApState::Entered));
    EXPECT_TRUE(s.is(3, ApState::Abandoned));
}

// It arrives first: the boot CPU's timeout finds it entered, and waits for
// its setup instead of resetting it.
TEST(ApStartState, ArrivedBeforeTheTimeout) {
    ApStartState s;
    s.begin(3);
    EXPECT_TRUE(s.advance(3, ApState::Waiting, ApState::Entered));
    EXPECT_FALSE(s.advance(3, ApState::Waiting, ApState::Abandoned));
    EXPECT_FALSE(s.is(3, ApState::Waiting));
}

// Its setup outlasts the second bound: given up on, it halts at the end.
TEST(ApStartState, GivenUpDuringItsSetup) {
    ApStartState s;
    s.begin(2);
    ASSERT_TRUE(s.advance(2, ApState::Waiting, ApState::Entered));
    EXPECT_TRUE(s.advance(2, ApState::Entered, ApState::Abandoned));
    EXPECT_FALSE(s.advance(2, ApState::Entered, ApState::Started));
}

// The index of a CPU that timed out serves the next one: the old AP, late,
// cannot move the new start (it reads its own APIC ID from the hardware).
TEST(ApStartState, ALateApOfAnotherStartCannotMoveIt) {
    ApStartState s;
    s.begin(1);
    ASSERT_TRUE(s.advance(1, ApState::Waiting, ApState::Abandoned));
    s.begin(2);
    EXPECT_FALSE(s.advance(1, ApState::Waiting, ApState::Entered));
    EXPECT_TRUE(s.advance(2, ApState::Waiting, ApState::Entered));
    EXPECT_FALSE(s.advance(1, ApState::Entered, ApState::Started));
}

// Nothing begun: no state matches, so nothing can move it.
TEST(ApStartState, NothingBegun) {
    ApStartState s;
    EXPECT_FALSE(s.is(0, ApState::Waiting));
    EXPECT_FALSE(s.advance(0, ApState::Waiting, ApState::Entered));
    EXPECT_FALSE(s.advance(0xFFFF'FFFF, ApState::Waiting, ApState::Entered));
}

}  // namespace

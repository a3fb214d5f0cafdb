// kernel::write_phase_times (src/kernel/phase_times.hpp): the `boot phases:`
// line that says where `ready in` went.
#include "kernel/phase_times.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using kernel::Phase;

struct StringOut {
    std::string text;
    void write(const char* data, usize size) { text.append(data, size); }
};

std::string times(const kernel::PhaseStarts& s, u64 boot, u64 end, u64 hz) {
    StringOut out;
    kfmt::Sink sink(out);
    kernel::write_phase_times(sink, s, boot, end, hz);
    return out.text;
}

void stamp(kernel::PhaseStarts& s, Phase p, u64 ticks) { s.start[static_cast<usize>(p)] = ticks; }

TEST(PhaseTimes, EachPhaseRunsToTheNextOneAndTheLastToTheEnd) {
    kernel::PhaseStarts s;
    // 1 MHz: one tick is one microsecond.
    stamp(s, Phase::CpuTables, 1000);
    stamp(s, Phase::SerialLog, 1004);
    stamp(s, Phase::Heap, 1500);
    EXPECT_EQ(times(s, 100, 2000, 1'000'000),
              "trampoline 900 us, CPU tables 4 us, serial log 496 us, heap 500 us");
}

TEST(PhaseTimes, OrderedByStartNotByEnumeration) {
    kernel::PhaseStarts s;
    // Clock is declared before Paging but runs after Acpi, as in kernel_main.
    stamp(s, Phase::Clock, 3000);
    stamp(s, Phase::Paging, 1000);
    stamp(s, Phase::Acpi, 2000);
    EXPECT_EQ(times(s, 0, 5000, 1'000'000),
              "trampoline 1000 us, paging 1000 us, ACPI 1000 us, clock 2000 us");
}

TEST(PhaseTimes, ConvertsTicksAtTheGivenRate) {
    kernel::PhaseStarts s;
    stamp(s, Phase::CpuTables, 2'000'000'000);  // 1 s at 2 GHz
    EXPECT_EQ(times(s, 0, 2'003'000'000, 2'000'000'000),
              "trampoline 1000000 us, CPU tables 1500 us");
}

TEST(PhaseTimes, NoRateWritesNothingAndNoPhasesOnlyTheTrampoline) {
    kernel::PhaseStarts s;
    EXPECT_EQ(times(s, 0, 100, 0), "");
    EXPECT_EQ(times(s, 10, 110, 1'000'000), "trampoline 100 us");
}

TEST(PhaseTimes, HoursOfTicksDoNotOverflow) {
    kernel::PhaseStarts s;
    const u64 hz = 4'000'000'000;
    const u64 hour = 3600 * hz;  // 1.44e13 ticks: * 10^6 would overflow
    stamp(s, Phase::CpuTables, 1);
    EXPECT_EQ(times(s, 1, 1 + hour, hz), "trampoline 0 us, CPU tables 3600000000 us");
}

}  // namespace


// kernel::smp::CpuSelection: which MADT CPUs the boot CPU starts under
// Keel's limit and cpus=, and the one line naming those left over. The
// 256-CPU limit cannot be reached under QEMU's TCG (no x2APIC), so the
// x2APIC machine with more CPUs is here.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kernel/smp/cpu_selection.hpp"
#include "string_sink.hpp"

namespace {

using kernel::acpi::Cpu;
using kernel::smp::CpuChoice;
using kernel::smp::CpuSelection;

Cpu enabled(u32 apic_id) { return {apic_id, apic_id, apic_id > 255, true, false}; }
Cpu hot_plug_slot(u32 apic_id) { return {apic_id, apic_id, false, false, true}; }

// The choices for `cpus` in order, with the boot CPU's APIC ID.
std::vector<CpuChoice> choose_all(CpuSelection& s, const std::vector<Cpu>& cpus, u32 boot = 0) {
    std::vector<CpuChoice> out;
    for (const Cpu& c : cpus) out.push_back(s.choose(c, boot));
    return out;
}

std::vector<u32> started(CpuSelection& s, const std::vector<Cpu>& cpus, u32 boot = 0) {
    std::vector<u32> ids;
    for (const Cpu& c : cpus)
        if (s.choose(c, boot) == CpuChoice::Start) ids.push_back(c.apic_id);
    return ids;
}

std::string left_line(const CpuSelection& s) {
    return host_test::written([&](kfmt::Sink& sink) { s.describe_left(sink); });
}

std::vector<Cpu> machine(u32 count) {
    std::vector<Cpu> cpus;
    for (u32 i = 0; i < count; ++i) cpus.push_back(enabled(i));
    return cpus;
}

TEST(CpuSelection, EveryEnabledCpuUpToTheLimit) {
    CpuSelection s(256, 0);
    EXPECT_EQ(s.limit(), 256U);
    EXPECT_FALSE(s.limited_by_option());
    const std::vector<Cpu> cpus = {enabled(0), enabled(1), hot_plug_slot(2), enabled(3)};
    EXPECT_EQ(choose_all(s, cpus), (std::vector<CpuChoice>{CpuChoice::Boot, CpuChoice::Start,
                                                           CpuChoice::Disabled, CpuChoice::Start}));
    EXPECT_EQ(s.left_count(), 0U);
    EXPECT_EQ(left_line(s), "");
}

// The boot CPU need not be first in the MADT; it counts from the start.
TEST(CpuSelection, BootCpuCountsWhereverItIsListed) {
    CpuSelection s(256, 2);
    EXPECT_EQ(started(s, {enabled(0), enabled(1), enabled(2), enabled(3)}, 2),
              (std::vector<u32>{0}));
    EXPECT_EQ(left_line(s), "2 CPUs not started (APIC IDs 1 3): cpus=2 on the command line");
}

TEST(CpuSelection, CpusOptionLimits) {
    CpuSelection s(256, 2);
    EXPECT_EQ(s.limit(), 2U);
    EXPECT_TRUE(s.limited_by_option());
    EXPECT_EQ(started(s, machine(4)), (std::vector<u32>{1}));
    EXPECT_EQ(s.left_count(), 2U);
    EXPECT_EQ(left_line(s), "2 CPUs not started (APIC IDs 2 3): cpus=2 on the command line");
}

TEST(CpuSelection, CpusOneStartsNone) {
    CpuSelection s(256, 1);
    EXPECT_TRUE(started(s, machine(2)).empty());
    EXPECT_EQ(left_line(s), "1 CPU not started (APIC ID 1): cpus=1 on the command line");
}

// Disabled entries (hot-plug slots) are not left over: they are not there.
TEST(CpuSelection, DisabledCpusAreNotCountedAsLeft) {
    CpuSelection s(256, 2);
    EXPECT_EQ(started(s, {enabled(0), hot_plug_slot(1), enabled(2), hot_plug_slot(3)}),
              (std::vector<u32>{2}));
    EXPECT_EQ(s.left_count(), 0U);
}

// cpus= at or above Keel's limit changes nothing, and the reason named is
// Keel's own.
TEST(CpuSelection, OptionAboveTheCapacityIsTheCapacity) {
    CpuSelection s(8, 256);
    EXPECT_EQ(s.limit(), 8U);
    EXPECT_FALSE(s.limited_by_option());
    EXPECT_EQ(started(s, machine(10)).size(), 7U);
    EXPECT_EQ(left_line(s), "2 CPUs not started (APIC IDs 8 9): Keel runs on at most 8 CPUs");
}

// An x2APIC machine with 300 CPUs: the first 256 enabled ones (the boot
// CPU's included) run, and one line names how many were left, the first
// sixteen by ID.
TEST(CpuSelection, X2apicMachineKeepsTheFirst256) {
    std::vector<Cpu> cpus = machine(300);
    cpus.insert(cpus.begin() + 100, hot_plug_slot(1000));  // not counted either way
    CpuSelection s(256, 0);
    const std::vector<u32> ids = started(s, cpus);
    ASSERT_EQ(ids.size(), 255U);
    EXPECT_EQ(ids.front(), 1U);
    EXPECT_EQ(ids.back(), 255U);
    EXPECT_EQ(s.left_count(), 44U);
    ASSERT_EQ(s.left_ids().size(), CpuSelection::kIdsKept);
    EXPECT_EQ(s.left_ids()[0], 256U);
    EXPECT_EQ(left_line(s),
              "44 CPUs not started (APIC IDs 256 257 258 259 260 261 262 263 264 265 266 267 268 "
              "269 270 271 ... and 28 more): Keel runs on at most 256 CPUs");
}

// A CPU that failed to start gives its place to the next one.
TEST(CpuSelection, AFailedStartFreesItsPlace) {
    CpuSelection s(256, 3);
    const std::vector<Cpu> cpus = machine(5);
    EXPECT_EQ(s.choose(cpus[0], 0), CpuChoice::Boot);
    EXPECT_EQ(s.choose(cpus[1], 0), CpuChoice::Start);
    s.start_failed();
    EXPECT_EQ(s.choose(cpus[2], 0), CpuChoice::Start);
    EXPECT_EQ(s.choose(cpus[3], 0), CpuChoice::Start);
    EXPECT_EQ(s.choose(cpus[4], 0), CpuChoice::OverLimit);
    EXPECT_EQ(left_line(s), "1 CPU not started (APIC ID 4): cpus=3 on the command line");
}

// What per-CPU state is allocated for: the CPUs that would start, the
// boot CPU counted, under the limit; hot-plug slots not. A dry run: the
// selection itself still starts from the beginning.
ktl::span<const Cpu> all(const std::vector<Cpu>& cpus) { return {cpus.data(), cpus.size()}; }

TEST(CpuSelection, CountsTheCpusThatWouldStart) {
    std::vector<Cpu> cpus = machine(6);
    cpus.insert(cpus.begin() + 2, hot_plug_slot(100));
    EXPECT_EQ(CpuSelection(256, 0).count_online(all(cpus), 0), 6U);
    EXPECT_EQ(CpuSelection(256, 4).count_online(all(cpus), 3), 4U);
    EXPECT_EQ(CpuSelection(256, 1).count_online(all(cpus), 0), 1U);
    const std::vector<Cpu> big = machine(300);
    EXPECT_EQ(CpuSelection(4, 0).count_online(all(big), 0), 4U);
    CpuSelection s(256, 0);
    (void)s.count_online(all(cpus), 0);
    EXPECT_EQ(s.left_count(), 0U);
    EXPECT_EQ(started(s, cpus).size(), 5U);
}

// Per-CPU state for only some CPUs: the others are left off, in words
// that say why, as a warning (not the option's information).
TEST(CpuSelection, MemoryForFewerCpusLimitsTheStart) {
    CpuSelection s(256, 0);
    const std::vector<Cpu> cpus = machine(5);
    s.limit_to_memory(2, 1536);
    EXPECT_EQ(s.limit(), 2U);
    EXPECT_FALSE(s.limited_by_option());
    EXPECT_EQ(started(s, cpus), (std::vector<u32>{1}));
    EXPECT_EQ(left_line(s),
              "3 CPUs not started (APIC IDs 2 3 4): no memory for their per-CPU state (1536 bytes "
              "each)");

    CpuSelection one(256, 0);
    one.limit_to_memory(3, 64);
    (void)started(one, machine(4));
    EXPECT_EQ(left_line(one),
              "1 CPU not started (APIC ID 3): no memory for its per-CPU state (64 "
              "bytes each)");
}

// Memory for every CPU the selection chose changes nothing: cpus= keeps
// its own words.
TEST(CpuSelection, MemoryForAllKeepsTheOptionsLimit) {
    CpuSelection s(256, 3);
    s.limit_to_memory(3, 64);
    s.limit_to_memory(8, 64);
    EXPECT_EQ(s.limit(), 3U);
    EXPECT_TRUE(s.limited_by_option());
    (void)started(s, machine(5));
    EXPECT_EQ(left_line(s), "2 CPUs not started (APIC IDs 3 4): cpus=3 on the command line");

    CpuSelection none(256, 0);
    none.limit_to_memory(0, 64);  // the boot CPU still runs: its state is static
    EXPECT_EQ(none.limit(), 1U);
}

}  // namespace

// PCI enumeration, BAR sizing, capability walks and the report line (the
// names: pci_names_test.cpp), against fake configuration spaces (pci_fake.hpp).
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "drivers/pci/enumerate.hpp"
#include "drivers/pci/names.hpp"
#include "drivers/pci/report.hpp"
#include "pci_fake.hpp"

using drivers::pci::Address;
using drivers::pci::BarKind;
using drivers::pci::Enumeration;
using drivers::pci::Function;
using drivers::pci::ProblemKind;
using pci_fake::FakeConfigSpace;
using pci_fake::FakeFunction;

namespace {

struct Scan {
    Enumeration result;
    std::vector<Function> functions;
};

Scan scan(FakeConfigSpace& space, size_t capacity = 64) {
    Scan s;
    s.functions.resize(capacity);
    s.result = drivers::pci::enumerate(space, {s.functions.data(), s.functions.size()});
    s.functions.resize(s.result.kept);
    return s;
}

std::vector<std::string> addresses(const Scan& s) {
    std::vector<std::string> out;
    for (const Function& f : s.functions) {
        char text[16];
        snprintf(text, sizeof text, "%02x:%02x.%u", f.address.bus, f.address.device,
                 f.address.function);
        out.push_back(text);
    }
    return out;
}

std::string line(const Function& f) {
    drivers::pci::ReportLine out;
    drivers::pci::describe(f, out);
    return std::string(out.view().data(), out.view().size());
}

}  // namespace

TEST(PciEnumerate, FindsEveryFunctionOfMultifunctionDevicesOnly) {
    FakeConfigSpace space;
    space.add({0, 0, 0}, 0x8086, 0x1237, 0x06, 0x00);
    space.add({0, 1, 0}, 0x8086, 0x7000, 0x06, 0x01, 0x80);  // multifunction
    space.add({0, 1, 1}, 0x8086, 0x7010, 0x01, 0x01);
    space.add({0, 1, 3}, 0x8086, 0x7113, 0x06, 0x80);
    space.add({0, 2, 0}, 0x1234, 0x1111, 0x03, 0x00);
    space.add({0, 2, 4}, 0x1234, 0x1111, 0x03, 0x00);  // 00:02.0 is not multifunction
    const Scan s = scan(space);
    EXPECT_EQ(addresses(s),
              (std::vector<std::string>{"00:00.0", "00:01.0", "00:01.1", "00:01.3", "00:02.0"}));
    EXPECT_EQ(s.result.buses_scanned, 1U);
    EXPECT_EQ(s.result.problems_total, 0U);
    EXPECT_EQ(space.bad_accesses, 0U);
}

TEST(PciEnumerate, FunctionsBeyondZeroAreIgnoredWithoutFunctionZero) {
    FakeConfigSpace space;
    space.add({0, 0, 0}, 0x8086, 0x29c0, 0x06, 0x00);
    space.add({0, 5, 1}, 0x8086, 0x1234, 0x02, 0x00);
    EXPECT_EQ(addresses(scan(space)), (std::vector<std::string>{"00:00.0"}));
}

TEST(PciEnumerate, FollowsBridgesToTheirSecondaryBuses) {
    FakeConfigSpace space;
    space.add({0, 0, 0}, 0x8086, 0x29c0, 0x06, 0x00);
    space.bridge({0, 3, 0}, 0, 1, 2);
    space.bridge({1, 0, 0}, 1, 2, 2);
    space.add({2, 1, 0}, 0x8086, 0x100e, 0x02, 0x00);
    space.add({5, 0, 0}, 0x8086, 0x100e, 0x02, 0x00);  // no bridge leads to bus 5
    const Scan s = scan(space);
    EXPECT_EQ(addresses(s), (std::vector<std::string>{"00:00.0", "00:03.0", "01:00.0", "02:01.0"}));
    EXPECT_EQ(s.result.buses_scanned, 3U);
    EXPECT_EQ(s.result.problems_total, 0U);
    EXPECT_EQ(s.functions[1].secondary_bus, 1);
    EXPECT_EQ(s.functions[1].subordinate_bus, 2);
}

TEST(PciEnumerate, BridgeToItselfIsReportedAndNotFollowed) {
    FakeConfigSpace space;
    space.bridge({0, 1, 0}, 0, 1, 1);
    space.bridge({1, 2, 0}, 1, 1, 1);  // secondary bus = its own bus
    const Scan s = scan(space);
    EXPECT_EQ(addresses(s), (std::vector<std::string>{"00:01.0", "01:02.0"}));
    EXPECT_EQ(s.result.buses_scanned, 2U);
    ASSERT_TRUE(s.result.has(ProblemKind::BridgeToItself));
    EXPECT_EQ(s.result.problems[0].where, (Address{1, 2, 0}));
}

TEST(PciEnumerate, LoopsThroughBridgesScanEachBusOnce) {
    FakeConfigSpace space;
    space.bridge({0, 1, 0}, 0, 1, 3);
    space.bridge({1, 0, 0}, 1, 2, 3);
    space.bridge({2, 0, 0}, 2, 1, 1);  // back to bus 1
    space.bridge({2, 1, 0}, 2, 3, 3);
    space.bridge({3, 0, 0}, 3, 2, 2);  // back to bus 2
    space.bridge({3, 1, 0}, 3, 0, 0);  // secondary 0: unassigned
    const Scan s = scan(space);
    EXPECT_EQ(s.result.buses_scanned, 4U);
    EXPECT_EQ(s.functions.size(), 6U);
    EXPECT_TRUE(s.result.has(ProblemKind::BusReachedTwice));
    EXPECT_TRUE(s.result.has(ProblemKind::BridgeUnassigned));
    EXPECT_EQ(s.result.problems_total, 3U);
}

TEST(PciEnumerate, BridgeWithReversedBusRangeIsReportedAndFollowed) {
    FakeConfigSpace space;
    space.bridge({0, 1, 0}, 0, 4, 2);
    space.add({4, 0, 0}, 0x8086, 0x100e, 0x02, 0x00);
    const Scan s = scan(space);
    EXPECT_EQ(s.functions.size(), 2U);
    EXPECT_TRUE(s.result.has(ProblemKind::BadBusRange));
}

// A space that answers on every bus, device and function with a
// multifunction bridge to the next bus: the walk must end, within budget.
class EverywhereSpace final : public drivers::pci::ConfigAccess {
public:
    u8 read8(Address a, u16 off) override {
        return static_cast<u8>(value(a, off & ~3) >> (8 * (off & 3)));
    }
    u16 read16(Address a, u16 off) override {
        return static_cast<u16>(value(a, off & ~3) >> (8 * (off & 3)));
    }
    u32 read32(Address a, u16 off) override { return value(a, off); }
    void write8(Address, u16, u8) override {}
    void write16(Address, u16, u16) override {}
    void write32(Address, u16, u32) override {}
    [[nodiscard]] u16 size() const override { return 256; }
    [[nodiscard]] const char* name() const override { return "everywhere"; }
    u64 reads = 0;

private:
    u32 value(Address a, u16 off) {
        ++reads;
        switch (off) {
            case 0x00:
                return 0x00018086;
            case 0x08:
                return 0x06040000;
            case 0x0C:
                return 0x00810000;  // multifunction bridge
            case 0x18:
                return u32{a.bus} | (u32{static_cast<u8>(a.bus + 1)} << 8) | (0xFFU << 16);
            default:
                return 0;
        }
    }
};

TEST(PciEnumerate, SpaceAnsweringEverywhereStopsAtTheAccessBudget) {
    EverywhereSpace space;
    std::vector<Function> out(128);
    const Enumeration r = drivers::pci::enumerate(space, {out.data(), out.size()});
    EXPECT_LE(r.accesses, drivers::pci::kMaxAccesses);
    EXPECT_LE(space.reads, drivers::pci::kMaxAccesses);
    EXPECT_EQ(r.kept, 128U);
    EXPECT_GT(r.functions, 128U);
    EXPECT_TRUE(r.has(ProblemKind::TooManyFunctions));
    EXPECT_TRUE(r.has(ProblemKind::AccessBudgetSpent));
}

// Cut the walk at every access a device's probe makes: whatever the point,
// the device is left exactly as found (decoding on, BARs at their bases),
// never with a BAR at all ones and decoding off (found by review after a
// fuzzing campaign: the restore writes used to be dropped).
TEST(PciEnumerate, ABudgetCutAnywhereLeavesTheDeviceAsFound) {
    for (uint32_t budget = 0; budget < 80; ++budget) {
        FakeConfigSpace space;
        auto& f = space.add({0, 3, 0}, 0x8086, 0x100e, 0x02, 0x00);
        f.bytes[0x04] = 0x07;  // I/O, memory, bus master
        FakeConfigSpace::mem_bar(f, 0, 0xfe000000, 128 << 10, false, false);
        FakeConfigSpace::io_bar(f, 1, 0xc000, 64);
        FakeConfigSpace::mem_bar(f, 2, 0x800000000, 1 << 20, true, true);
        FakeConfigSpace::mem_bar(f, 4, 0xfeb00000, 4096, false, false);
        FakeConfigSpace::io_bar(f, 5, 0xc040, 16);
        const FakeFunction before = space.functions[0];
        std::vector<Function> out(4);
        const Enumeration r = drivers::pci::enumerate(space, {out.data(), out.size()}, budget);
        EXPECT_LE(r.accesses, budget);
        uint32_t bar0 = 0;
        std::memcpy(&bar0, &space.functions[0].bytes[0x10], sizeof bar0);
        EXPECT_EQ(std::memcmp(space.functions[0].bytes, before.bytes, 256), 0)
            << "cut after " << budget << " accesses: command " << int{space.functions[0].bytes[4]}
            << ", BAR0 " << std::hex << bar0;
        EXPECT_EQ(space.bar_writes_while_decoding, 0U);
        if (budget >= 60) EXPECT_EQ(r.kept, 1U) << "the whole walk fits in " << budget;
    }
}

// A probe that does not fit ends the walk there: the device after it is not
// read at all (it used to be, while the budget lasted, after the walk had
// reported that it stopped).
TEST(PciEnumerate, AProbeThatDoesNotFitEndsTheWalk) {
    for (uint32_t budget = 0; budget < 120; ++budget) {
        FakeConfigSpace space;
        auto& big = space.add({0, 0, 0}, 0x8086, 0x1237, 0x06, 0x00);
        for (int i = 0; i < 6; ++i)
            FakeConfigSpace::mem_bar(big, i, 0xfe000000 + i * 0x10000, 4096, false, false);
        auto& small = space.add({0, 1, 0}, 0x1af4, 0x1000, 0x02, 0x00);
        FakeConfigSpace::io_bar(small, 0, 0xc000, 32);
        std::vector<Function> out(4);
        const Enumeration r = drivers::pci::enumerate(space, {out.data(), out.size()}, budget);
        if (r.kept >= 1) EXPECT_EQ(out[0].address.device, 0) << "budget " << budget;
        // The walk stopped inside the big device: the small one was never read.
        if (r.kept == 0) EXPECT_EQ(space.device_accesses[1], 0U) << "budget " << budget;
    }
}

TEST(PciEnumerate, AllOnesSpaceHasNoDevices) {
    FakeConfigSpace space;
    const Scan s = scan(space);
    EXPECT_TRUE(s.functions.empty());
    EXPECT_EQ(s.result.buses_scanned, 1U);
    EXPECT_EQ(space.reads, 32U);  // one vendor ID per device slot
}

TEST(PciBars, SizedWithDecodingOffAndRestored) {
    FakeConfigSpace space;
    auto& f = space.add({0, 3, 0}, 0x8086, 0x100e, 0x02, 0x00);
    FakeConfigSpace::mem_bar(f, 0, 0xfeb80000, 128 * 1024, false, false);
    FakeConfigSpace::io_bar(f, 1, 0xc000, 64);
    FakeConfigSpace::mem_bar(f, 2, 0x8'0000'0000, 16 * 1024, true, true);
    f.bytes[0x04] = 0x07;  // I/O, memory, bus master on
    f.bytes[0x3C] = 11;
    f.bytes[0x3D] = 1;
    const std::vector<uint8_t> before(f.bytes, f.bytes + 256);

    const Scan s = scan(space);
    ASSERT_EQ(s.functions.size(), 1U);
    const Function& fn = s.functions[0];
    EXPECT_EQ(fn.bars[0].kind, BarKind::Memory32);
    EXPECT_EQ(fn.bars[0].base, 0xfeb80000U);
    EXPECT_EQ(fn.bars[0].size, 128U * 1024);
    EXPECT_FALSE(fn.bars[0].prefetchable);
    EXPECT_EQ(fn.bars[1].kind, BarKind::Io);
    EXPECT_EQ(fn.bars[1].base, 0xc000U);
    EXPECT_EQ(fn.bars[1].size, 64U);
    EXPECT_EQ(fn.bars[2].kind, BarKind::Memory64);
    EXPECT_EQ(fn.bars[2].base, 0x8'0000'0000ULL);
    EXPECT_EQ(fn.bars[2].size, 16U * 1024);
    EXPECT_TRUE(fn.bars[2].prefetchable);
    EXPECT_EQ(fn.bars[3].kind, BarKind::Unused);  // the upper half of BAR2
    EXPECT_EQ(fn.bars[4].kind, BarKind::Unused);
    EXPECT_EQ(fn.interrupt_pin, 1);
    EXPECT_EQ(fn.interrupt_line, 11);
    EXPECT_EQ(space.bar_writes_while_decoding, 0U);
    const FakeFunction* after = space.find({0, 3, 0});
    EXPECT_EQ(std::vector<uint8_t>(after->bytes, after->bytes + 256), before);
    EXPECT_EQ(line(fn),
              "pci 00:03.0 [0200] Ethernet controller: Intel Corporation 82540EM Gigabit "
              "Ethernet Controller [8086:100e], BAR0 128 KiB mem, BAR1 64 B io, BAR2 16 KiB "
              "mem64 pref, INTA IRQ 11");
}

// A host bridge's decoding is never turned off, as Linux never does
// (turning it off hangs some chipsets): its BARs are sized with it on.
TEST(PciBars, AHostBridgeKeepsDecoding) {
    FakeConfigSpace space;
    auto& f = space.add({0, 0, 0}, 0x8086, 0x29c0, 0x06, 0x00);
    FakeConfigSpace::mem_bar(f, 0, 0xfed10000, 16 * 1024, false, false);
    f.bytes[0x04] = 0x06;  // memory, bus master on
    const std::vector<uint8_t> before(f.bytes, f.bytes + 256);
    const Scan s = scan(space);
    ASSERT_EQ(s.functions.size(), 1U);
    EXPECT_EQ(s.functions[0].bars[0].kind, BarKind::Memory32);
    EXPECT_EQ(s.functions[0].bars[0].size, 16U * 1024);
    EXPECT_EQ(space.find({0, 0, 0})->command_writes, 0U);
    EXPECT_EQ(std::vector<uint8_t>(f.bytes, f.bytes + 256), before);
    // Any other device is sized with its decoding off, and it comes back on.
    FakeConfigSpace other;
    auto& nic = other.add({0, 3, 0}, 0x8086, 0x100e, 0x02, 0x00);
    FakeConfigSpace::mem_bar(nic, 0, 0xfeb80000, 128 * 1024, false, false);
    nic.bytes[0x04] = 0x07;
    (void)scan(other);
    EXPECT_EQ(other.find({0, 3, 0})->command_writes, 2U);
}

TEST(PciBars, SixtyFourBitBarLargerThan4GiB) {
    FakeConfigSpace space;
    auto& f = space.add({0, 4, 0}, 0x1b36, 0x0010, 0x01, 0x08);
    FakeConfigSpace::mem_bar(f, 4, 0x40'0000'0000, 64ULL << 30, true, true);
    const Scan s = scan(space);
    ASSERT_EQ(s.functions.size(), 1U);
    EXPECT_EQ(s.functions[0].bars[4].kind, BarKind::Memory64);
    EXPECT_EQ(s.functions[0].bars[4].size, 64ULL << 30);
    EXPECT_EQ(s.functions[0].bars[4].base, 0x40'0000'0000ULL);
}

TEST(PciBars, SixtyFourBitBarInTheLastSlotIsBogus) {
    FakeConfigSpace space;
    auto& f = space.add({0, 4, 0}, 0x1b36, 0x0010, 0x01, 0x08);
    FakeConfigSpace::mem_bar(f, 5, 0xfe000000, 4096, true, false);
    const Scan s = scan(space);
    ASSERT_EQ(s.functions.size(), 1U);
    EXPECT_EQ(s.functions[0].bars[5].kind, BarKind::Bogus);
    EXPECT_TRUE(s.result.has(ProblemKind::Bar64InLastSlot));
    EXPECT_EQ(space.bad_accesses, 0U);  // no access at 0x28
}

TEST(PciCapabilities, WalkedInOrder) {
    FakeConfigSpace space;
    auto& f = space.add({0, 5, 0}, 0x1af4, 0x1041, 0x02, 0x00);
    FakeConfigSpace::capabilities(f, {{0x11, 0x98}, {0x09, 0x84}, {0x05, 0x40}, {0x10, 0x60}});
    const Scan s = scan(space);
    ASSERT_EQ(s.functions.size(), 1U);
    const Function& fn = s.functions[0];
    ASSERT_EQ(fn.capability_count, 4);
    EXPECT_EQ(fn.capabilities[0].id, 0x11);
    EXPECT_EQ(fn.capabilities[0].offset, 0x98);
    EXPECT_EQ(fn.capabilities[3].id, 0x10);
    EXPECT_TRUE(fn.has_capability(drivers::pci::kCapMsi));
    EXPECT_TRUE(fn.has_capability(drivers::pci::kCapMsiX));
    EXPECT_TRUE(fn.has_capability(drivers::pci::kCapPciExpress));
    EXPECT_FALSE(fn.capability_loop);
    EXPECT_EQ(s.result.problems_total, 0U);
    EXPECT_NE(line(fn).find(", caps MSI MSI-X PCIe"), std::string::npos) << line(fn);
}

TEST(PciCapabilities, LoopIsCutAndReported) {
    FakeConfigSpace space;
    auto& f = space.add({0, 5, 0}, 0x1af4, 0x1041, 0x02, 0x00);
    FakeConfigSpace::capabilities(f, {{0x05, 0x40}, {0x11, 0x50}}, 0x40);  // 0x50 -> 0x40
    const Scan s = scan(space);
    ASSERT_EQ(s.functions.size(), 1U);
    EXPECT_EQ(s.functions[0].capability_count, 2);
    EXPECT_TRUE(s.functions[0].capability_loop);
    EXPECT_TRUE(s.result.has(ProblemKind::CapabilityLoop));
}

TEST(PciCapabilities, PointerIntoTheHeaderEndsTheList) {
    FakeConfigSpace space;
    auto& f = space.add({0, 5, 0}, 0x1af4, 0x1041, 0x02, 0x00);
    FakeConfigSpace::capabilities(f, {{0x05, 0x40}}, 0x10);  // below 0x40: not a capability
    const Scan s = scan(space);
    EXPECT_EQ(s.functions[0].capability_count, 1);
    EXPECT_EQ(s.result.problems_total, 0U);
}

TEST(PciCapabilities, SelfLoopOnAllOnesPointer) {
    FakeConfigSpace space;
    auto& f = space.add({0, 5, 0}, 0x1af4, 0x1041, 0x02, 0x00);
    FakeConfigSpace::capabilities(f, {{0xFF, 0xFC}}, 0xFF);  // 0xFC -> 0xFC
    const Scan s = scan(space);
    EXPECT_EQ(s.functions[0].capability_count, 1);
    EXPECT_TRUE(s.result.has(ProblemKind::CapabilityLoop));
    EXPECT_EQ(space.bad_accesses, 0U);
}

TEST(PciReport, UnknownDeviceLine) {
    FakeConfigSpace space;
    auto& f = space.add({0, 2, 0}, 0x1234, 0x1111, 0x03, 0x00);
    f.bytes[0x08] = 0x02;
    FakeConfigSpace::mem_bar(f, 0, 0xfd000000, 16 << 20, false, true);
    FakeConfigSpace::mem_bar(f, 2, 0xfebb0000, 4096, false, false);
    const Scan s = scan(space);
    EXPECT_EQ(line(s.functions[0]),
              "pci 00:02.0 [0300] VGA compatible controller: 1234:1111 (unknown device) (rev "
              "02), BAR0 16 MiB mem pref, BAR2 4 KiB mem");
}

TEST(PciReport, BridgeAndUnknownClass) {
    FakeConfigSpace space;
    space.bridge({0, 1, 0}, 0, 1, 1);
    space.add({1, 0, 0}, 0xf00d, 0x0001, 0xfe, 0x01);
    const Scan s = scan(space);
    ASSERT_EQ(s.functions.size(), 2U);
    EXPECT_EQ(line(s.functions[0]),
              "pci 00:01.0 [0604] PCI bridge: Red Hat, Inc. QEMU PCI-PCI bridge [1b36:0001], "
              "buses 01-01");
    EXPECT_EQ(line(s.functions[1]), "pci 01:00.0 [fe01] Unknown class: f00d:0001 (unknown device)");
}

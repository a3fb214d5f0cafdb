// The power button as the SCI's only source: the FADT's GPE blocks (parsed
// from real and hostile tables) and the register plan the Power phase
// carries out (kernel/power/event_setup), checked as the ports and values
// it writes; the PM1 status bits the SCI handler acknowledges, what it does
// with them (kernel/power/sci_events) and what a floating bus reads
// (kernel/power/register_value).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "acpi_builder.hpp"
#include "kernel/acpi/fadt.hpp"
#include "kernel/power/event_setup.hpp"
#include "kernel/power/pm1.hpp"
#include "kernel/power/register_value.hpp"
#include "kernel/power/sci_events.hpp"
#include "lib/format/buffer.hpp"

namespace kernel::power {
namespace {

namespace fs = std::filesystem;
using acpi::GenericAddress;

// One write as the hardware sees it: "io 0x602 <- 0x100".
struct Write {
    std::string space;
    uint64_t address;
    int bytes;
    uint32_t value;
    bool operator==(const Write&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Write& w) {
    return os << w.space << " 0x" << std::hex << w.address << " (" << std::dec << w.bytes
              << ") <- 0x" << std::hex << w.value << std::dec;
}

std::vector<Write> writes(const acpi::Fadt& fadt) {
    const EventSetup setup = plan_event_setup(fadt);
    std::vector<Write> out;
    for (usize i = 0; i < setup.count; ++i)
        for (usize k = 0; k < setup.runs[i].count; ++k) {
            const Register r = setup.runs[i].at(k);
            const auto space = acpi::space_name(r.where.space);
            out.push_back({std::string(space.data(), space.size()), r.where.address, r.bytes,
                           setup.runs[i].value});
        }
    return out;
}

std::vector<uint8_t> read_file(const fs::path& path) {
    std::vector<uint8_t> bytes(fs::file_size(path));
    std::ifstream in(path, std::ios::binary);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return bytes;
}

acpi::Fadt captured(const char* machine) {
    const auto facp = read_file(fs::path(KEEL_TEST_DATA_DIR) / "acpi" / machine / "facp.dat");
    const auto fadt = acpi::parse_fadt(acpi::Bytes{{facp.data(), facp.size()}});
    EXPECT_TRUE(fadt.ok()) << machine;
    return fadt ? *fadt : acpi::Fadt{};
}

std::string gpe_text(const acpi::Fadt& fadt) {
    kfmt::Buffer<120> out;
    kfmt::Sink sink(out);
    describe_gpe_blocks(fadt, sink);
    return {out.view().data(), out.view().size()};
}

// A FADT of `length` bytes with GPE0 at `gpe0` (`len0` bytes) and GPE1.
acpi_test::Bytes fadt_with_gpe(uint32_t length, uint32_t gpe0, uint8_t len0, uint32_t gpe1,
                               uint8_t len1, uint8_t gpe1_base = 0) {
    acpi_test::Bytes body(length - 36, 0);
    acpi_test::put(body, 56 - 36, 0x600, 4);  // PM1a_EVT_BLK
    body[88 - 36] = 4;                        // PM1_EVT_LEN
    acpi_test::put(body, 80 - 36, gpe0, 4);
    acpi_test::put(body, 84 - 36, gpe1, 4);
    body[92 - 36] = len0;
    body[93 - 36] = len1;
    body[94 - 36] = gpe1_base;
    return acpi_test::table("FACP", body, length >= 244 ? 3 : 1);
}

acpi::Fadt parsed(const acpi_test::Bytes& t) {
    const auto f = acpi::parse_fadt(acpi::Bytes{{t.data(), t.size()}});
    EXPECT_TRUE(f.ok());
    return f ? *f : acpi::Fadt{};
}

TEST(FadtGpeBlocks, QemuFirmwares) {
    // QEMU's PIIX4 (pc) has a 4-byte GPE0 at 0xafe0 under both firmwares;
    // its ICH9 (q35) a 16-byte one at PMBASE + 0x20.
    EXPECT_EQ(gpe_text(captured("seabios-pc")), "GPE0 io 0xafe0, 2+2 registers; no GPE1");
    EXPECT_EQ(gpe_text(captured("ovmf-pc")), "GPE0 io 0xafe0, 2+2 registers; no GPE1");
    EXPECT_EQ(gpe_text(captured("seabios-q35")), "GPE0 io 0x620, 8+8 registers; no GPE1");
    EXPECT_EQ(gpe_text(captured("ovmf-q35")), "GPE0 io 0x620, 8+8 registers; no GPE1");
}

TEST(FadtGpeBlocks, HostileLengthsAndAddresses) {
    // Odd: the last byte is no pair's half and is left out.
    acpi::Fadt f = parsed(fadt_with_gpe(116, 0x1000, 5, 0x2000, 3, 64));
    EXPECT_EQ(f.gpe0.length, 4);
    EXPECT_EQ(f.gpe0.registers(), 2);
    EXPECT_EQ(f.gpe1.length, 2);
    EXPECT_EQ(f.gpe1_base, 64);
    // Zero or one byte: no register pair, no block.
    f = parsed(fadt_with_gpe(116, 0x1000, 0, 0x2000, 1));
    EXPECT_FALSE(f.gpe0.present());
    EXPECT_FALSE(f.gpe1.present());
    EXPECT_EQ(f.gpe1_base, 0);
    // A length without an address is no block either.
    f = parsed(fadt_with_gpe(116, 0, 16, 0, 255));
    EXPECT_FALSE(f.gpe0.present());
    EXPECT_FALSE(f.gpe1.present());
    EXPECT_EQ(writes(f).size(), 3u);  // PM1a only: enable, status, enable
    // The largest length a byte can say: 127 pairs, the odd byte dropped.
    f = parsed(fadt_with_gpe(116, 0xff00, 255, 0, 0));
    EXPECT_EQ(f.gpe0.registers(), 127);
}

TEST(FadtGpeBlocks, XFieldAddressButTheLengthByte) {
    // X_GPE0_BLK (+220) wins for the address; its bit width (here 128,
    // 16 bytes) is not the length: GPE0_BLK_LEN (32) is, as on 39 corpus
    // machines whose X_ field says 128 bits for a 32-byte block.
    acpi_test::Bytes t = fadt_with_gpe(244, 0x1800, 32, 0, 0);
    t[220] = 1, t[221] = 128;
    acpi_test::put(t, 224, 0x1820, 8);
    acpi_test::fix_checksum(t, 9, t.size());
    const acpi::Fadt f = parsed(t);
    EXPECT_EQ(f.gpe0.where.address, 0x1820u);
    EXPECT_EQ(f.gpe0.length, 32);
    EXPECT_EQ(f.gpe0.where.bit_width, 8);
    // A 232-byte table ends before X_GPE1_BLK: GPE1 comes from the 32-bit field.
    const acpi::Fadt g = parsed(fadt_with_gpe(232, 0x1800, 8, 0x1900, 4));
    EXPECT_EQ(g.gpe1.where.address, 0x1900u);
}

TEST(EventSetup, QemuPcWritesExactlyTheButtonEnable) {
    const std::vector<Write> expected = {
        {"io", 0x602, 2, 0},                         // PM1a enable: everything off
        {"io", 0xafe2, 1, 0},                        // GPE0 enable registers
        {"io", 0xafe3, 1, 0},                        //
        {"io", 0x600, 2, 0xc731},                    // PM1a status: every defined bit cleared
        {"io", 0xafe0, 1, 0xff},                     // GPE0 status registers
        {"io", 0xafe1, 1, 0xff},                     //
        {"io", 0x602, 2, pm1_status::kPowerButton},  // the button alone
    };
    EXPECT_EQ(writes(captured("seabios-pc")), expected);
}

TEST(EventSetup, Q35ZeroesEverySixteenByteGpeEnable) {
    const std::vector<Write> w = writes(captured("ovmf-q35"));
    ASSERT_EQ(w.size(), 1u + 8 + 1 + 8 + 1);
    for (int i = 0; i < 8; ++i) {
        EXPECT_EQ(w[1 + i], (Write{"io", 0x628u + i, 1, 0})) << i;
        EXPECT_EQ(w[10 + i], (Write{"io", 0x620u + i, 1, 0xff})) << i;
    }
    EXPECT_EQ(w.back(), (Write{"io", 0x602, 2, 0x100}));
}

TEST(EventSetup, BothPm1BlocksBothGpeBlocksAndMemorySpace) {
    acpi::Fadt f{};
    f.pm1a_event = GenericAddress::io_port(0x1000, 4);
    f.pm1b_event = {0, 32, 0, 2, 0xfe001000};  // memory space
    f.gpe0 = {{1, 8, 0, 1, 0x1020}, 2};
    f.gpe1 = {{0, 8, 0, 1, 0xfe002000}, 4};
    const std::vector<Write> expected = {
        {"io", 0x1002, 2, 0},
        {"memory", 0xfe001002, 2, 0},
        {"io", 0x1021, 1, 0},
        {"memory", 0xfe002002, 1, 0},
        {"memory", 0xfe002003, 1, 0},
        {"io", 0x1000, 2, 0xc731},
        {"memory", 0xfe001000, 2, 0xc731},
        {"io", 0x1020, 1, 0xff},
        {"memory", 0xfe002000, 1, 0xff},
        {"memory", 0xfe002001, 1, 0xff},
        {"io", 0x1002, 2, 0x100},
        {"memory", 0xfe001002, 2, 0x100},
    };
    EXPECT_EQ(writes(f), expected);
}

TEST(EventSetup, NothingOnHardwareReducedOrWithoutBlocks) {
    acpi::Fadt f = captured("seabios-q35");
    f.flags |= acpi::fadt_flags::kHardwareReduced;
    EXPECT_TRUE(writes(f).empty());
    EXPECT_TRUE(writes(acpi::Fadt{}).empty());
}

TEST(Pm1Pending, DefinedBitsOnlyAndAFloatingBusIsNothing) {
    EXPECT_EQ(pm1_pending(0x0100, 2), pm1_status::kPowerButton);
    // RTC, sleep button, global lock and wake with the button; reserved
    // bits (1-3, 6, 7, 11-13) never written back.
    EXPECT_EQ(pm1_pending(0xBFFF, 2), 0x8731);
    EXPECT_EQ(pm1_pending(0xFFFF, 2), 0);  // nothing decodes the port
    EXPECT_EQ(pm1_pending(0xFF, 1), 0);
    EXPECT_EQ(pm1_pending(0x0100, 0), 0);
    EXPECT_EQ(pm1_pending(0, 2), 0);
    // read() gives 0xFFFF'FFFF for an absent register of any width.
    EXPECT_EQ(pm1_pending(0xFFFF'FFFF, 2), 0);
    EXPECT_EQ(pm1_pending(0xFFFF'FFFF, 1), 0);
    // A 1-byte read carries only bits 7:0, whatever lies above them.
    EXPECT_EQ(pm1_pending(0xFF01, 1), pm1_status::kTimer);
}

// All ones in the register's own bytes is the floating bus, whatever lies
// above them; all ones in fewer bytes than the register's is an answer.
TEST(RegisterValue, AllOnesForTheRegistersWidthReadsNothing) {
    EXPECT_EQ(width_mask(0), 0U);
    EXPECT_EQ(width_mask(1), 0xFFU);
    EXPECT_EQ(width_mask(2), 0xFFFFU);
    EXPECT_EQ(width_mask(4), 0xFFFF'FFFFU);

    EXPECT_TRUE(reads_nothing(0xFF, 1));
    EXPECT_TRUE(reads_nothing(0xFFFF, 2));
    EXPECT_TRUE(reads_nothing(0xFFFF'FFFF, 4));
    // What read() returns for an absent register, at every width.
    EXPECT_TRUE(reads_nothing(0xFFFF'FFFF, 1));
    EXPECT_TRUE(reads_nothing(0xFFFF'FFFF, 2));
    EXPECT_TRUE(reads_nothing(0, 0));  // no register at all

    EXPECT_FALSE(reads_nothing(0xFE, 1));
    EXPECT_FALSE(reads_nothing(0x7F, 1));
    EXPECT_FALSE(reads_nothing(0xFFFE, 2));
    EXPECT_FALSE(reads_nothing(0x00FF, 2));  // a 2-byte register's high byte is 0
    EXPECT_FALSE(reads_nothing(0xFFFF, 4));  // the high half answered with 0
    EXPECT_FALSE(reads_nothing(0xFFFF'FFFE, 4));
    EXPECT_FALSE(reads_nothing(0x0000'0001, 4));
}

TEST(RegisterValue, SciEnableIsSetOnlyWhenSomethingAnswered) {
    // QEMU's PIIX4 and ICH9: PM1a control at 0x604, 2 bytes, SCI_EN set.
    EXPECT_TRUE(sci_enabled(0x0001, 2));
    EXPECT_TRUE(sci_enabled(0x2001, 2));
    EXPECT_FALSE(sci_enabled(0x0000, 2));
    EXPECT_FALSE(sci_enabled(0x1C00, 2));
    // A 2-byte block at a port nothing decodes: 0xFFFF, bit 0 included.
    EXPECT_FALSE(sci_enabled(0xFFFF, 2));
    EXPECT_FALSE(sci_enabled(0xFF, 1));
    EXPECT_FALSE(sci_enabled(0xFFFF'FFFF, 4));
    EXPECT_FALSE(sci_enabled(0xFFFF'FFFF, 2));  // absent: read()'s all ones
    EXPECT_TRUE(sci_enabled(0x01, 1));
    EXPECT_TRUE(sci_enabled(0x0000'FFFF, 4));  // ones below, zeros above: an answer
}

TEST(SciEvents, TheButtonPowersOffAndAnotherEventIsLoggedOnce) {
    SciEvents events;
    // The button alone: nothing to log.
    SciOutcome o = events.take(pm1_status::kPowerButton);
    EXPECT_TRUE(o.power_button);
    EXPECT_EQ(o.others_to_log, 0);
    // No event at all (a shared line, or a poll): nothing, and the one
    // log line is still to come.
    o = events.take(0);
    EXPECT_FALSE(o.power_button);
    EXPECT_EQ(o.others_to_log, 0);
    // The first other event: the RTC alarm and wake with the button; the
    // button's bit is not among those named.
    o = events.take(pm1_status::kRtc | pm1_status::kWake | pm1_status::kPowerButton);
    EXPECT_TRUE(o.power_button);
    EXPECT_EQ(o.others_to_log, pm1_status::kRtc | pm1_status::kWake);
    // Later ones are acknowledged silently.
    o = events.take(pm1_status::kTimer);
    EXPECT_FALSE(o.power_button);
    EXPECT_EQ(o.others_to_log, 0);
    o = events.take(pm1_status::kGlobalLock | pm1_status::kPowerButton);
    EXPECT_TRUE(o.power_button);
    EXPECT_EQ(o.others_to_log, 0);
}

TEST(SciEvents, AnOtherEventWithoutTheButtonIsLoggedAndDoesNotPowerOff) {
    SciEvents events;
    const SciOutcome o = events.take(pm1_status::kSleepButton);
    EXPECT_FALSE(o.power_button);
    EXPECT_EQ(o.others_to_log, pm1_status::kSleepButton);
}

}  // namespace
}  // namespace kernel::power

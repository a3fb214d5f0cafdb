// The ACPI table parsers (src/kernel/acpi/) on hand-made tables: the MADT
// (every entry type, and walks that must stop), every FADT length, the HPET
// and MCFG, and the interrupt flags' words. The RSDP and the table list:
// acpi_test.cpp.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "acpi_builder.hpp"
#include "kernel/acpi/fadt.hpp"
#include "kernel/acpi/hpet.hpp"
#include "kernel/acpi/madt.hpp"
#include "kernel/acpi/mcfg.hpp"
#include "kernel/acpi/platform.hpp"
#include "kernel/acpi/report.hpp"
#include "string_sink.hpp"

namespace kernel::acpi {
namespace {

using acpi_test::append;
using acpi_test::contains;
using acpi_test::ioapic;
using acpi_test::iso;
using acpi_test::lapic;
using acpi_test::madt_header;
using acpi_test::put;
using acpi_test::report;
using acpi_test::table;
using acpi_test::view;
using acpi_test::x2apic;
using B = acpi_test::Bytes;

// ---------------------------------------------------------------- MADT

TEST(AcpiMadt, EveryEntryType) {
    B b = madt_header();
    lapic(b, 0, 0, 1);
    lapic(b, 1, 1, 1);
    lapic(b, 2, 2, 0);  // disabled, not online-capable: not a CPU
    lapic(b, 3, 3, 2);  // online-capable
    x2apic(b, 0x100, 1, 4);
    x2apic(b, 1, 1, 5);  // APIC ID 1 again, as some firmware lists it
    ioapic(b, 0, 0xfec00000, 0);
    ioapic(b, 1, 0xfec01000, 24);
    iso(b, 0, 2, 0);
    iso(b, 9, 9, 0xd);
    append(b, 3, 1), append(b, 8, 1), append(b, 5, 2), append(b, 30, 4);  // NMI source
    append(b, 4, 1), append(b, 6, 1), append(b, 0xff, 1), append(b, 5, 2), append(b, 1, 1);
    append(b, 10, 1), append(b, 12, 1), append(b, 0, 2), append(b, 4, 4), append(b, 0, 4);
    append(b, 127, 1), append(b, 5, 1), append(b, 0, 3);  // unknown, skipped by length
    append(b, 0, 1), append(b, 4, 1), append(b, 0, 2);    // LAPIC too short: malformed
    append(b, 5, 1), append(b, 12, 1), append(b, 0, 2), append(b, 0xfee10000, 8);
    const B t = table("APIC", b, 4);
    auto m = std::make_unique<Madt>();
    ASSERT_TRUE(parse_madt(view(t), *m).ok());
    EXPECT_EQ(m->cpu_count, 4u);
    EXPECT_EQ(m->enabled_cpus(), 3u);
    EXPECT_EQ(m->cpus[3].apic_id, 0x100u);
    EXPECT_TRUE(m->cpus[3].x2apic);
    EXPECT_TRUE(m->cpus[2].online_capable);
    EXPECT_EQ(m->duplicate_cpus, 1u);
    EXPECT_EQ(m->io_apic_count, 2u);
    EXPECT_EQ(m->override_count, 2u);
    EXPECT_EQ(m->nmi_source_count, 1u);
    EXPECT_EQ(m->local_nmi_count, 2u);
    EXPECT_EQ(m->unknown_entries, 1u);
    EXPECT_EQ(m->malformed_entries, 1u);
    EXPECT_EQ(m->local_apic_address, 0xfee10000u);
    EXPECT_EQ(m->type_counts[0], 5u);
    EXPECT_TRUE(m->pcat_compatible());

    auto p = std::make_unique<Platform>();
    p->madt_state = Found::Parsed;
    p->madt = *m;
    const std::string text = report(*p);
    EXPECT_TRUE(contains(text, "cpus: 3 in the MADT (APIC IDs 0 1 256)\n")) << text;
    EXPECT_TRUE(contains(text, "cpus: 1 more can be brought online\n")) << text;
    EXPECT_TRUE(contains(text, "ioapic 1 at 0xfec01000, GSI base 24\n")) << text;
    EXPECT_TRUE(contains(text, "irq override: IRQ 9 -> GSI 9 (level, high)\n")) << text;
    EXPECT_TRUE(contains(text, "nmi: GSI 30 (edge, high)\n")) << text;
    EXPECT_TRUE(contains(text, "nmi: LINT1 on all CPUs\n")) << text;
    EXPECT_TRUE(contains(text, "nmi: LINT0 on CPU UID 4\n")) << text;
    EXPECT_TRUE(contains(text, "madt: 1 entries of unknown type skipped\n")) << text;
    EXPECT_TRUE(contains(text, "madt: 1 duplicate CPU entries ignored\n")) << text;
}

TEST(AcpiMadt, ZeroLengthEntryStopsTheWalk) {
    B b = madt_header();
    lapic(b, 0, 0, 1);
    append(b, 0, 1), append(b, 0, 1);  // length 0: would loop forever
    lapic(b, 1, 1, 1);
    auto m = std::make_unique<Madt>();
    const B t = table("APIC", b);
    auto r = parse_madt(view(t), *m);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), (TableError{Error::EntryTooShort, 52}));
    EXPECT_EQ(m->cpu_count, 1u);  // the entry before it is kept
}

TEST(AcpiMadt, EntryPastTheEndStopsTheWalk) {
    B b = madt_header();
    ioapic(b, 0, 0xfec00000, 0);
    b.resize(b.size() - 2);  // the entry claims 12 bytes, 10 remain
    auto m = std::make_unique<Madt>();
    const B t = table("APIC", b);
    EXPECT_EQ(parse_madt(view(t), *m).error(), (TableError{Error::EntryPastEnd, 44}));
    B one = madt_header();
    one.push_back(0);  // a lone type byte with no length
    const B t1 = table("APIC", one);
    EXPECT_EQ(parse_madt(view(t1), *m).error(), (TableError{Error::EntryPastEnd, 44}));
}

TEST(AcpiMadt, LengthBeyondTheBytesGivenIsRefused) {
    B t = table("APIC", madt_header());
    put(t, 4, 4096, 4);
    auto m = std::make_unique<Madt>();
    EXPECT_EQ(parse_madt(view(t), *m).error().error, Error::TooShort);
    EXPECT_EQ(parse_madt(view(table("APIX", madt_header())), *m).error().error,
              Error::BadSignature);
}

TEST(AcpiMadt, ThousandsOfCpusAreBounded) {
    B b = madt_header();
    for (uint32_t i = 0; i < 2000; ++i) x2apic(b, i, 1, i);
    auto m = std::make_unique<Madt>();
    const B t = table("APIC", b);
    ASSERT_TRUE(parse_madt(view(t), *m).ok());
    EXPECT_EQ(m->cpu_count, Madt::kMaxCpus);
    EXPECT_EQ(m->dropped, 2000 - Madt::kMaxCpus);
}

// ---------------------------------------------------------------- FADT

// A FADT of `length` bytes whose every field is set, so that what is
// absent can only be absent because of the length.
B full_fadt(uint32_t length, uint8_t revision) {
    B body(276 - 36, 0);
    B t = table("FACP", body, revision);
    put(t, 36, 0x1000, 4);   // FIRMWARE_CTRL
    put(t, 40, 0x2000, 4);   // DSDT
    put(t, 46, 9, 2);        // SCI
    put(t, 48, 0xb2, 4);     // SMI_CMD
    t[52] = 0xf1;            // ACPI_ENABLE
    put(t, 64, 0x604, 4);    // PM1a_CNT_BLK
    put(t, 68, 0x704, 4);    // PM1b_CNT_BLK
    t[89] = 2;               // PM1_CNT_LEN
    t[108] = 0x32;           // CENTURY: the RTC's register 0x32
    put(t, 109, 0x0003, 2);  // IAPC_BOOT_ARCH: legacy devices, 8042
    put(t, 112, (1u << 10) | (1u << 20), 4);
    t[116] = 1, t[117] = 8;  // RESET_REG: io, 8 bits
    put(t, 120, 0xcf9, 8);
    t[128] = 6;               // RESET_VALUE
    put(t, 140, 0x3000, 8);   // X_DSDT
    t[172] = 1, t[173] = 16;  // X_PM1a_CNT_BLK
    put(t, 176, 0xb004, 8);
    t.resize(length);
    put(t, 4, length, 4);
    acpi_test::fix_checksum(t, 9, t.size());
    return t;
}

TEST(AcpiFadt, EveryLengthFrom116To276) {
    for (uint32_t length = 116; length <= 276; ++length) {
        for (uint8_t revision : {1, 2, 6}) {
            const B t = full_fadt(length, revision);
            auto f = parse_fadt(view(t));
            ASSERT_TRUE(f.ok()) << length;
            EXPECT_EQ(f->length, length);
            EXPECT_EQ(f->sci_interrupt, 9);
            EXPECT_EQ(f->smi_command_port, 0xb2u);
            EXPECT_EQ(f->acpi_enable, 0xf1);
            EXPECT_EQ(f->century, 0x32);
            EXPECT_TRUE(f->hardware_reduced());
            EXPECT_EQ(f->has_boot_arch, revision >= 2) << length;
            if (f->has_boot_arch) {
                EXPECT_EQ(f->boot_arch, 3);
            }
            EXPECT_EQ(f->reset_supported(), length >= 129) << length;
            if (length >= 129) {
                EXPECT_EQ(f->reset_register, GenericAddress::io_port(0xcf9, 1));
            }
            // X_DSDT (140..147) wins only when the table holds all of it.
            EXPECT_EQ(f->dsdt, length >= 148 ? 0x3000u : 0x2000u) << length;
            EXPECT_EQ(f->pm1a_control.address, length >= 184 ? 0xb004u : 0x604u) << length;
            EXPECT_EQ(f->pm1b_control, GenericAddress::io_port(0x704, 2)) << length;
        }
    }
}

TEST(AcpiFadt, ShorterThanAcpi1IsRefused) {
    const B t = full_fadt(115, 1);
    EXPECT_EQ(parse_fadt(view(t)).error().error, Error::TooShort);
    B lying = full_fadt(200, 3);
    lying.resize(150);  // the header still says 200
    EXPECT_EQ(parse_fadt(view(lying)).error().error, Error::TooShort);
}

// ---------------------------------------------------------- HPET, MCFG

TEST(AcpiHpet, BaseAndComparators) {
    B body(20, 0);
    put(body, 0, 0x8086a201, 4);
    body[4] = 0;
    put(body, 8, 0xfed00000, 8);
    auto h = parse_hpet(view(table("HPET", body)));
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->base.address, 0xfed00000u);
    EXPECT_EQ(h->comparators(), 3);
    EXPECT_EQ(h->vendor(), 0x8086);
    EXPECT_EQ(parse_hpet(view(table("HPET", B(19, 0)))).error().error, Error::TooShort);
}

TEST(AcpiMcfg, RegionsTrailingBytesAndInvalidRanges) {
    B body(8, 0);
    append(body, 0xb0000000, 8), append(body, 0, 2), append(body, 0, 1), append(body, 255, 1);
    append(body, 0, 4);
    append(body, 0xc0000000, 8), append(body, 1, 2), append(body, 9, 1), append(body, 3, 1);
    append(body, 0, 4);
    append(body, 0, 7);  // a partial entry
    auto m = parse_mcfg(view(table("MCFG", body)));
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->count, 1u);
    EXPECT_EQ(m->invalid, 1u);
    EXPECT_TRUE(m->trailing_bytes);
    EXPECT_EQ(m->regions[0].base, 0xb0000000u);
    EXPECT_EQ(m->regions[0].end_bus, 255);
    EXPECT_EQ(parse_mcfg(view(table("MCFG", B(7, 0)))).error().error, Error::TooShort);
}

// A window at 0, off a 1 MiB boundary or wrapping past 2^64 is skipped and
// counted, not listed (a QEMU -acpitable with garbage entries was echoed as
// `segment 65535 buses 255-255 at 0xffffffffffffffff`).
TEST(AcpiMcfg, ImpossibleAddressesAreSkipped) {
    auto region = [](B& body, uint64_t base, unsigned start, unsigned end) {
        append(body, base, 8), append(body, 0, 2), append(body, start, 1), append(body, end, 1);
        append(body, 0, 4);
    };
    B body(8, 0);
    region(body, 0, 0, 255);
    region(body, 0xb0000800, 0, 255);
    region(body, 0xffffffffffffffff, 255, 255);
    region(body, 0xfffffffff8000000, 0, 255);  // 256 buses from 128 MiB below 2^64
    region(body, 0xfffffffff0000000, 0, 255);  // ends exactly at 2^64
    region(body, 0xe0000000, 0, 63);
    auto m = parse_mcfg(view(table("MCFG", body)));
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->misplaced, 4u);
    ASSERT_EQ(m->count, 2u);
    EXPECT_EQ(m->regions[0].base, 0xfffffffff0000000u);
    EXPECT_EQ(m->regions[1].base, 0xe0000000u);
}

TEST(AcpiReport, InterruptFlags) {
    auto flags = [](uint16_t f, bool isa) {
        return host_test::written([&](kfmt::Sink& sink) { write_inti_flags(sink, f, isa); });
    };
    EXPECT_EQ(flags(0, true), "edge, high");
    EXPECT_EQ(flags(0, false), "conforming");
    EXPECT_EQ(flags(0xd, true), "level, high");
    EXPECT_EQ(flags(0xf, true), "level, low");
    EXPECT_EQ(flags(0x5, true), "edge, high");
    EXPECT_EQ(flags(0xa, true), "reserved trigger, reserved polarity");
}

}  // namespace
}  // namespace kernel::acpi

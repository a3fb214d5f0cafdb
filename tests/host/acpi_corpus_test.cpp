// Every table of the 200 real machines in ../shared/acpi-corpus (outside
// the repository: see its README), parsed as the kernel would, checked
// against the facts the corpus README lists. KEEL_ACPI_CORPUS overrides the
// path; the test skips, saying why, where the corpus is absent.
//
// The corpus has no RSDP or root table (it was dumped from sysfs), so each
// machine's tables are placed in fake memory behind a built RSDP and XSDT
// and found through discover(), the kernel's own path.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "acpi_builder.hpp"
#include "kernel/acpi/platform.hpp"

namespace kernel::acpi {
namespace {

namespace fs = std::filesystem;

fs::path corpus_dir() {
    if (const char* env = std::getenv("KEEL_ACPI_CORPUS")) return env;
    return fs::path(KEEL_TEST_DATA_DIR) / ".." / ".." / ".." / "shared" / "acpi-corpus";
}

acpi_test::Bytes read_file(const fs::path& path) {
    // One read per file: the corpus is 33 MiB and this test must stay fast.
    acpi_test::Bytes bytes(fs::file_size(path));
    std::ifstream in(path, std::ios::binary);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return bytes;
}

struct Totals {
    int machines = 0, madts = 0, fadts = 0, hpets = 0, mcfgs = 0;
    std::map<int, int> madt_types, fadt_lengths, fadt_revisions, io_apics_per_machine;
    int irq0_to_gsi2 = 0, irq0_flags0 = 0, irq0_flags5 = 0, x2apic_only = 0, pcat = 0;
    int one_mcfg_region = 0, reset_supported = 0, hardware_reduced = 0;
    std::map<int, int> gpe0_lengths, gpe1_lengths, gpe_spaces;
    size_t min_cpus = ~size_t{0}, max_cpus = 0;
};

void machine(const fs::path& dir, Totals& totals) {
    // The tables at 1 MiB steps from 16 MiB; an XSDT listing them at 15 MiB
    // (the DSDT and FACS are reached through the FADT, as on real firmware).
    acpi_test::FakeMemory mem;
    std::vector<uint64_t> listed;
    uint64_t next = 16 << 20;
    for (const char* name :
         {"facp", "apic", "hpet", "mcfg", "dsdt", "facs", "srat", "slit", "dmar", "bgrt", "waet"}) {
        const fs::path file = dir / (std::string(name) + ".dat");
        if (!fs::exists(file)) continue;
        mem.place(next, read_file(file));
        if (std::string(name) != "dsdt" && std::string(name) != "facs") listed.push_back(next);
        next += 1 << 20;
    }
    mem.place(15 << 20, acpi_test::root_table("XSDT", listed));
    mem.place(0xe0000, acpi_test::rsdp_v2(0, 15 << 20));
    auto p = std::make_unique<Platform>();
    ASSERT_TRUE(discover(mem.reader(), PhysAddr{0xe0000}, *p).ok()) << dir;
    ++totals.machines;
    for (const TableEntry& e : p->tables.entries()) {
        // The FADT's DSDT/FACS addresses are the machine's own, not here.
        if (e.error == Error::Unreadable) continue;
        EXPECT_EQ(e.status, TableStatus::Ok) << dir << " " << e.signature.text().chars;
    }

    if (p->madt_state != Found::Absent) {
        ++totals.madts;
        ASSERT_EQ(p->madt_state, Found::Parsed) << dir;
        EXPECT_FALSE(p->madt_walk_stopped) << dir;
        const Madt& m = p->madt;
        for (int type = 0; type < 256; ++type)
            if (m.type_counts[type] != 0) totals.madt_types[type] += m.type_counts[type];
        ++totals.io_apics_per_machine[static_cast<int>(m.io_apic_count)];
        if (m.type_counts[0] == 0 && m.type_counts[9] != 0) ++totals.x2apic_only;
        if (m.pcat_compatible()) ++totals.pcat;
        totals.min_cpus = std::min(totals.min_cpus, m.enabled_cpus());
        totals.max_cpus = std::max(totals.max_cpus, m.enabled_cpus());
        for (usize i = 0; i < m.override_count; ++i) {
            const InterruptOverride& o = m.overrides[i];
            if (o.bus == 0 && o.irq == 0 && o.gsi == 2) {
                ++totals.irq0_to_gsi2;
                if (o.flags == 0) ++totals.irq0_flags0;
                if (o.flags == 5) ++totals.irq0_flags5;
            }
        }
    }
    if (p->fadt_state != Found::Absent) {
        ++totals.fadts;
        ASSERT_EQ(p->fadt_state, Found::Parsed) << dir;
        ++totals.fadt_lengths[static_cast<int>(p->fadt.length)];
        ++totals.fadt_revisions[p->fadt.revision];
        if (p->fadt.flags & fadt_flags::kResetRegSupported) ++totals.reset_supported;
        if (p->fadt.hardware_reduced()) ++totals.hardware_reduced;
        for (const auto& [block, lengths] : {std::pair{p->fadt.gpe0, &totals.gpe0_lengths},
                                             std::pair{p->fadt.gpe1, &totals.gpe1_lengths}}) {
            if (!block.present()) continue;
            ++(*lengths)[block.length];
            ++totals.gpe_spaces[block.where.space];
        }
    }
    if (p->hpet_state != Found::Absent) {
        ++totals.hpets;
        ASSERT_EQ(p->hpet_state, Found::Parsed) << dir;
        EXPECT_TRUE(p->hpet.base.present()) << dir;
    }
    if (p->mcfg_state != Found::Absent) {
        ++totals.mcfgs;
        ASSERT_EQ(p->mcfg_state, Found::Parsed) << dir;
        if (p->mcfg.count == 1) ++totals.one_mcfg_region;
    }
}

TEST(AcpiCorpus, RealMachinesMatchTheReadme) {
    const fs::path dir = corpus_dir();
    if (!fs::is_directory(dir))
        GTEST_SKIP() << "no ACPI corpus at " << dir
                     << " (set KEEL_ACPI_CORPUS to the acpi-corpus folder to run this test)";
    Totals t;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.is_directory()) machine(entry.path(), t);

    // The facts of the corpus README ("Facts measured on this sample").
    EXPECT_EQ(t.machines, 200);
    EXPECT_EQ(t.madts, 197);
    EXPECT_EQ(t.fadts, 200);
    EXPECT_EQ(t.hpets, 193);
    EXPECT_EQ(t.mcfgs, 199);
    EXPECT_EQ(t.fadt_lengths,
              (std::map<int, int>{{116, 6}, {132, 1}, {244, 39}, {268, 65}, {276, 89}}));
    EXPECT_EQ(t.fadt_revisions,
              (std::map<int, int>{{1, 6}, {2, 1}, {3, 19}, {4, 18}, {5, 63}, {6, 93}}));
    EXPECT_EQ(t.reset_supported, 180);
    EXPECT_EQ(t.hardware_reduced, 5);
    EXPECT_EQ(
        t.madt_types,
        (std::map<int, int>{
            {0, 2936}, {1, 267}, {2, 408}, {4, 1506}, {9, 208}, {10, 5}, {127, 28}, {255, 1}}));
    EXPECT_EQ(t.x2apic_only, 4);
    EXPECT_EQ(t.io_apics_per_machine, (std::map<int, int>{{1, 136}, {2, 56}, {3, 3}, {5, 2}}));
    EXPECT_EQ(t.pcat, 196);
    EXPECT_EQ(t.min_cpus, 2u);
    EXPECT_EQ(t.max_cpus, 80u);
    EXPECT_EQ(t.irq0_to_gsi2, 197);
    EXPECT_EQ(t.irq0_flags0, 185);
    EXPECT_EQ(t.irq0_flags5, 12);
    EXPECT_EQ(t.one_mcfg_region, 199);
    // GPE blocks (docs/power.md "The power button"): GPE0 on every machine
    // but the 5 hardware-reduced ones and 2 others, GPE1 on 6, all in I/O
    // space; the lengths from GPEx_BLK_LEN, every one even.
    EXPECT_EQ(t.gpe0_lengths, (std::map<int, int>{{4, 1}, {8, 60}, {16, 50}, {32, 82}}));
    EXPECT_EQ(t.gpe1_lengths, (std::map<int, int>{{4, 1}, {16, 1}, {24, 4}}));
    EXPECT_EQ(t.gpe_spaces, (std::map<int, int>{{1, 199}}));
}

}  // namespace
}  // namespace kernel::acpi

// libFuzzer target: one raw ACPI table, header included, exactly as
// acpidump/acpixtract write it (tests/data/acpi/*/*.dat, or the real
// machines' tables in ../shared/acpi-corpus). The table goes to the parser
// its signature names, then through the kernel's whole path: placed in fake
// physical memory behind an RSDP and XSDT, found by discover() and
// reported. ASan and UBSan catch any read outside the input; the checks
// below catch results inconsistent with it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>
#include "fuzz_check.hpp"

#include "kernel/acpi/fadt.hpp"
#include "kernel/acpi/hpet.hpp"
#include "kernel/acpi/madt.hpp"
#include "kernel/acpi/mcfg.hpp"
#include "kernel/acpi/platform.hpp"
#include "kernel/acpi/report.hpp"
#include "lib/format/buffer.hpp"

namespace acpi = kernel::acpi;

namespace {

constexpr uint64_t kTable = 0x200000, kXsdt = 0x100000, kRsdp = 0xe0000, kModule = 0x300000;

void parse(const uint8_t* data, size_t size) {
    const acpi::Bytes table{ktl::span<const u8>{data, size}};
    if (size < 4) return;
    static auto* madt = new acpi::Madt;
    if (std::memcmp(data, "APIC", 4) == 0) {
        auto r = acpi::parse_madt(table, *madt);
        if (!r) FUZZ_CHECK(r.error().offset < size);
        FUZZ_CHECK(madt->cpu_count <= acpi::Madt::kMaxCpus);
        FUZZ_CHECK(madt->enabled_cpus() <= madt->cpu_count);
        usize walked = 0;
        for (u32 n : madt->type_counts) walked += n;
        FUZZ_CHECK(walked <= size / 2);  // every entry is at least 2 bytes
    } else if (std::memcmp(data, "FACP", 4) == 0) {
        auto f = acpi::parse_fadt(table);
        if (f) FUZZ_CHECK(f->length >= acpi::kFadtMinLength && f->length <= size);
        if (f && f->has_reset_register) FUZZ_CHECK(f->length >= 129);
    } else if (std::memcmp(data, "HPET", 4) == 0) {
        (void)acpi::parse_hpet(table);
    } else if (std::memcmp(data, "MCFG", 4) == 0) {
        auto m = acpi::parse_mcfg(table);
        if (m) FUZZ_CHECK(m->count + m->dropped + m->invalid <= (size - 44) / 16);
    }
}

// The table behind an RSDP and XSDT in fake memory, as the kernel finds it.
void discover(const uint8_t* data, size_t size) {
    std::vector<uint8_t> xsdt(44, 0);
    std::memcpy(xsdt.data(), "XSDT", 4);
    xsdt[4] = 44;
    std::memcpy(xsdt.data() + 36, &kTable, 8);
    uint8_t sum = 0;
    for (uint8_t b : xsdt) sum = static_cast<uint8_t>(sum + b);
    xsdt[9] = static_cast<uint8_t>(-sum);

    std::vector<uint8_t> rsdp(36, 0);
    std::memcpy(rsdp.data(), "RSD PTR ", 8);
    rsdp[15] = 2;
    rsdp[20] = 36;
    std::memcpy(rsdp.data() + 24, &kXsdt, 8);
    sum = 0;
    for (int i = 0; i < 20; ++i) sum = static_cast<uint8_t>(sum + rsdp[i]);
    rsdp[8] = static_cast<uint8_t>(-sum);
    sum = 0;
    for (uint8_t b : rsdp) sum = static_cast<uint8_t>(sum + b);
    rsdp[32] = static_cast<uint8_t>(-sum);

    acpi::MemoryReader reader;
    FUZZ_CHECK(reader.add(PhysAddr{kRsdp}, {rsdp.data(), rsdp.size()}));
    FUZZ_CHECK(reader.add(PhysAddr{kXsdt}, {xsdt.data(), xsdt.size()}));
    FUZZ_CHECK(reader.add(PhysAddr{kTable}, {data, size}));
    // The same bytes supplied again as a boot module's table (docs/acpi.md,
    // "Replacing a table"): used instead of the listed copy, or refused.
    FUZZ_CHECK(reader.add(PhysAddr{kModule}, {data, size}));
    acpi::SuppliedTable supplied[] = {{PhysAddr{kModule}, size}};
    static auto* platform = new acpi::Platform;
    auto found = acpi::discover(reader, PhysAddr{kRsdp}, *platform, supplied);
    FUZZ_CHECK(found.ok());
    if (supplied[0].outcome) {
        const acpi::TableEntry& e = *supplied[0].outcome;
        FUZZ_CHECK(e.length <= size && e.phys.value() == kModule && e.supplied);
        FUZZ_CHECK(e.signature == acpi::Signature::of("SSDT") ||
                   platform->tables.find(e.signature)->phys.value() == kModule);
    }
    FUZZ_CHECK(platform->tables.entries().size() <= acpi::TableList::kCapacity);
    kfmt::Buffer<16384> text;
    kfmt::Sink sink(text);
    // As the boot does: each chip's input count read from its version
    // register (QEMU's 24), kept in the MADT's entry.
    for (usize i = 0; i < platform->madt.io_apic_count; ++i) platform->madt.io_apics[i].inputs = 24;
    acpi::write_report(sink, *platform);
    FUZZ_CHECK(text.size() > 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    parse(data, size);
    discover(data, size);
    // Again with the header's length set to the input's, so the fuzzer does
    // not have to guess it before reaching the entry walks. The copy is
    // exactly `size` bytes so ASan still sees any overrun.
    if (size >= 8 && size <= 0xffffffff) {
        std::unique_ptr<uint8_t[]> copy(new uint8_t[size]);
        std::memcpy(copy.get(), data, size);
        const uint32_t length = static_cast<uint32_t>(size);
        std::memcpy(copy.get() + 4, &length, sizeof(length));
        parse(copy.get(), size);
        discover(copy.get(), size);
    }
    return 0;
}

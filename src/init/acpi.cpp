#include "init/acpi.hpp"

#include "arch/arch.hpp"
#include "kernel/acpi/report.hpp"
#include "kernel/log/escape.hpp"
#include "kernel/log/log.hpp"
#include "lib/format/format.hpp"
#include "lib/no_unroll.hpp"
#include "lib/units.hpp"

namespace init {

namespace {

namespace acpi = kernel::acpi;

// Firmware tables as the kernel reaches them: each through a read-only
// write-back mapping (arch::map_readonly), never through the writable
// direct map, wherever the table lies (ACPI memory, reserved memory, the
// first MiB). A range mapped once stays mapped and is remembered for the
// kernel's lifetime, so the header read and the whole-table read of one
// table share a mapping, and the Power phase's second look at the DSDT and
// SSDTs maps nothing new. Owner: the boot CPU (the Acpi and Power phases,
// and acpi_table_bytes() for the ktest, which the shell runs there): no
// lock.
struct MappedTable {
    PhysRange range;
    const u8* bytes = nullptr;
};
// Tables boot modules may supply (more are named and ignored).
constexpr usize kMaxSuppliedTables = 8;
// Every table of a full list (TableList::kCapacity) and every supplied one
// as a header and a body, the root table and the RSDP.
constexpr usize kRememberedTables = 2 * (acpi::TableList::kCapacity + kMaxSuppliedTables) + 4;
MappedTable g_mapped[kRememberedTables];
usize g_mapped_count = 0;
bool g_mapped_full_said = false;

class KernelReader final : public acpi::PhysicalReader {
public:
    ktl::span<const u8> read(PhysAddr base, usize size) override {
        u64 end = 0;
        if (size == 0 || __builtin_add_overflow(base.value(), size, &end)) return {};
        const PhysRange want{base, PhysAddr{end}};
        for (usize i = 0; i < g_mapped_count; ++i)
            if (g_mapped[i].range.contains(want))
                return {g_mapped[i].bytes + (base.value() - g_mapped[i].range.base().value()),
                        size};
        const PhysRange pages = want.align_outward(kPageSize);
        const Result<const u8*, VmError> m = arch::map_readonly(pages);
        if (!m) {
            kernel::log::warn("acpi: cannot map {} read-only: {}", want, describe(m.error()));
            return {};
        }
        if (g_mapped_count < kRememberedTables) {
            g_mapped[g_mapped_count++] = {pages, *m};
        } else if (!g_mapped_full_said) {
            // Mapped all the same; only its reuse is lost (the MMIO area's
            // address space, never frames).
            g_mapped_full_said = true;
            kernel::log::warn("acpi: more than {} table mappings; later ones are not reused",
                              kRememberedTables);
        }
        return {*m + (base.value() - pages.base().value()), size};
    }
};

// The report's lines, each one log line, at a level chosen by what the line
// says: problems (a bad checksum, something ignored or unusable) are
// warnings; the summary (tables, CPUs, I/O APICs, HPET, ECAM) is info; the
// detail (every interrupt override and NMI source, the FADT's fields) is
// debug (`loglevel=debug`), so that the 80x25 screen still shows the end of
// the memory report above it.
class LogLines {
public:
    // Runs of text up to each newline, rather than a call per character.
    void write(const char* data, usize size) {
        while (size != 0) {
            usize n = 0;
            while (n < size && data[n] != '\n') ++n;
            line_.write(data, n);
            if (n == size) return;
            end_line();
            data += n + 1;
            size -= n + 1;
        }
    }

private:
    void end_line() {
        const ktl::string_view line = line_.view();
        if (is_problem(line))
            kernel::log::warn("{}", line);
        else if (is_detail(line))
            kernel::log::debug("{}", line);
        else
            kernel::log::info("{}", line);
        line_.clear();
    }

    // The loops over the word lists below stay loops: unrolled, each word
    // gets its own copy of the comparison, code that runs at boot and that
    // QEMU's TCG translates per copy.
    static bool is_problem(ktl::string_view line) {
        constexpr ktl::string_view kWords[] = {"bad checksum", "ignored", "cannot be used",
                                               "walk stopped", "skipped"};
        KEEL_NO_UNROLL
        for (ktl::string_view word : kWords)
            for (usize i = 0; i + word.size() <= line.size(); ++i)
                if (line.substr(i, word.size()) == word) return true;
        return false;
    }

    static bool is_detail(ktl::string_view line) {
        constexpr ktl::string_view kPrefixes[] = {"irq override:", "nmi:", "fadt:"};
        KEEL_NO_UNROLL
        for (ktl::string_view prefix : kPrefixes)
            if (line.starts_with(prefix)) return true;
        return false;
    }

    kfmt::Buffer<200> line_;
};

// The chip's input count, for the report's GSI range (arch::io_apic_inputs:
// the interrupt driver later takes the same mapping of the chip).
u32 io_apic_inputs(const acpi::IoApic& io_apic) {
    const Result<u32, ktl::string_view> inputs = arch::io_apic_inputs(PhysAddr{io_apic.address});
    if (!inputs) {
        kernel::log::warn("ioapic {} at {:#x}: its inputs cannot be read: {}", io_apic.id,
                          io_apic.address, inputs.error());
        return 0;
    }
    return *inputs;
}

// A module holding a table to use instead of the firmware's: its command
// line is `acpi-table`, or starts with that word (GRUB: `module2
// /boot/madt.dat acpi-table`).
bool supplies_a_table(const boot::Module& module) {
    constexpr ktl::string_view kWord = "acpi-table";
    const ktl::string_view line = module.name.view();
    return line.starts_with(kWord) && (line.size() == kWord.size() || line[kWord.size()] == ' ');
}

// The modules that supply tables, at most kMaxSuppliedTables of them.
struct Supplied {
    acpi::SuppliedTable tables[kMaxSuppliedTables];
    const boot::Module* modules[kMaxSuppliedTables] = {};
    usize count = 0;
};

// Module strings are the loader's text: escaped before they are logged.
struct ModuleName {
    explicit ModuleName(const boot::Module& m)
        : view(kernel::log::escape_unprintable(m.name.view(), {chars, sizeof chars})) {}
    ModuleName(const ModuleName&) = delete;  // `view` points into this object
    ModuleName(ModuleName&&) = delete;
    ModuleName& operator=(const ModuleName&) = delete;
    ModuleName& operator=(ModuleName&&) = delete;
    ~ModuleName() = default;
    char chars[80] = {};
    ktl::string_view view;
};

Supplied supplied_tables(ktl::span<const boot::Module> modules) {
    Supplied s;
    for (const boot::Module& m : modules) {
        if (!supplies_a_table(m)) continue;
        if (s.count == kMaxSuppliedTables) {
            kernel::log::warn("acpi: module '{}' ignored: at most {} tables can be supplied",
                              ModuleName{m}.view, kMaxSuppliedTables);
            continue;
        }
        s.tables[s.count] = {m.start, m.size()};
        s.modules[s.count++] = &m;
    }
    return s;
}

// What became of each supplied table: those used are in the report
// (acpi::write_report names them); a refused one is named here, by its
// module, since it never reached the table list.
void report_refused(const Supplied& s) {
    for (usize i = 0; i < s.count; ++i) {
        const Result<acpi::TableEntry, acpi::Error>& r = s.tables[i].outcome;
        if (r) continue;
        kernel::log::warn("acpi: module '{}' at {:#x} is not used as an ACPI table: {}",
                          ModuleName{*s.modules[i]}.view, s.modules[i]->start.value(),
                          acpi::describe(r.error()));
    }
}

}  // namespace

bool discover_acpi(const boot::Rsdp& rsdp, ktl::span<const boot::Module> modules,
                   acpi::Platform& out) {
    Supplied supplied = supplied_tables(modules);
    if (!rsdp.present) {
        kernel::log::warn(
            "acpi: the loader found no RSDP: no ACPI tables (CPUs, interrupts, "
            "timers unknown)");
        if (supplied.count != 0)
            kernel::log::warn("acpi: the {} table(s) supplied by modules are not used either",
                              supplied.count);
        return false;
    }
    KernelReader reader;
    const Result<void, acpi::Error> found =
        acpi::discover(reader, rsdp.phys, out, {supplied.tables, supplied.count});
    if (!found) {
        kernel::log::warn("acpi: the RSDP at {:#x} is unusable: {}", rsdp.phys,
                          acpi::describe(found.error()));
        return false;
    }
    report_refused(supplied);
    // Each chip's input count read once and kept with it: the report's GSI
    // ranges, now and when the shell's `acpi` prints it again.
    for (usize i = 0; i < out.madt.io_apic_count; ++i)
        out.madt.io_apics[i].inputs = io_apic_inputs(out.madt.io_apics[i]);
    LogLines lines;
    kfmt::Sink sink(lines);
    acpi::write_report(sink, out);
    return true;
}

ktl::span<const u8> acpi_table_bytes(const acpi::TableEntry& entry) {
    KernelReader reader;
    return acpi::TableList::bytes(reader, entry);
}

Result<acpi::SleepType, acpi::SleepTypeError> find_soft_off(const acpi::Platform& platform) {
    KernelReader reader;
    Result<acpi::SleepType, acpi::SleepTypeError> first = acpi::SleepTypeError::NotFound;
    bool have_dsdt = false;
    // The DSDT first (where firmware puts \_S5_), then SSDTs in table order.
    const acpi::Signature signatures[] = {acpi::Signature::of("DSDT"), acpi::Signature::of("SSDT")};
    for (const acpi::Signature& signature : signatures) {
        for (const acpi::TableEntry& e : platform.tables.entries()) {
            if (!(e.signature == signature) || !e.usable()) continue;
            const ktl::span<const u8> bytes = acpi::TableList::bytes(reader, e);
            if (bytes.empty()) {
                kernel::log::warn("power: the {} at {:#x} cannot be read", signature.text().view(),
                                  e.phys.value());
                continue;
            }
            const auto found = acpi::find_s5(acpi::Bytes{bytes});
            if (found) return found;
            if (!have_dsdt) first = found;
            have_dsdt = true;
        }
    }
    return first;
}

}  // namespace init

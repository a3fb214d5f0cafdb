#include "kernel/acpi/report.hpp"
#include "kernel/boot_state.hpp"
#include "kernel/shell/commands/commands.hpp"
#include "kernel/shell/commands/io_sink.hpp"

namespace kernel::shell::commands {

namespace {
Status run(Io& io, const Args& args) {
    if (args.count() > 1) return Status::Usage;
    const acpi::Platform* platform = acpi_platform();
    if (platform == nullptr) {
        io.write("acpi: no ACPI tables (the boot log says why)\n");
        return Status::Failed;
    }
    IoWriter writer(io);
    kfmt::Sink sink(writer);
    // No I/O APIC input counts: reading them maps the APIC's registers,
    // which the boot report did once; the GSI bases are the MADT's.
    acpi::write_report(sink, *platform, nullptr);
    return Status::Ok;
}
}  // namespace

const Command kAcpi{"acpi", "the firmware's ACPI tables and the MADT's CPUs and I/O APICs", "",
                    nullptr, run};

}  // namespace kernel::shell::commands

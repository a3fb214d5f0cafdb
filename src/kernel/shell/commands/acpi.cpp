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
    // The I/O APICs' input counts the boot read (their registers are not
    // mapped again for this): the same lines as the boot log's.
    acpi::write_report(sink, *platform);
    return Status::Ok;
}
}  // namespace

const Command kAcpi{"acpi", "the firmware's ACPI tables and the MADT's CPUs and I/O APICs", "",
                    nullptr, run};

}  // namespace kernel::shell::commands

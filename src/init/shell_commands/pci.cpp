#include "init/pci.hpp"
#include "drivers/pci/report.hpp"
#include "init/shell_commands/commands.hpp"

namespace init::commands {

namespace {
using kernel::shell::Args;
using kernel::shell::Io;
using kernel::shell::Status;
namespace pci = drivers::pci;

ktl::string_view bar_kind(const pci::Bar& bar) {
    switch (bar.kind) {
        case pci::BarKind::Io:
            return "io";
        case pci::BarKind::Memory32:
            return "mem32";
        case pci::BarKind::Memory64:
            return "mem64";
        case pci::BarKind::Bogus:
            return "bogus";
        case pci::BarKind::Unused:
            break;
    }
    return "unused";
}

ktl::string_view capability_name(u8 id) {
    switch (id) {
        case 0x01:
            return "power management";
        case 0x05:
            return "MSI";
        case 0x09:
            return "vendor specific";
        case 0x10:
            return "PCI Express";
        case 0x11:
            return "MSI-X";
        default:
            return "other";
    }
}

void details(Io& io, const pci::Function& f) {
    for (u8 i = 0; i < f.bar_count; ++i) {
        const pci::Bar& bar = f.bars[i];
        if (bar.kind == pci::BarKind::Unused) continue;
        io.print("    BAR{} {} {:#x} size {:#x}{}\n", i, bar_kind(bar), bar.base, bar.size,
                 bar.prefetchable ? " prefetchable" : "");
    }
    if (f.interrupt_pin != 0)
        io.print("    interrupt INT{}#, line {}\n", static_cast<char>('A' + f.interrupt_pin - 1),
                 f.interrupt_line);
    for (u8 i = 0; i < f.capability_count; ++i)
        io.print("    capability {:#04x} at {:#04x}: {}\n", f.capabilities[i].id,
                 f.capabilities[i].offset, capability_name(f.capabilities[i].id));
    if (f.capabilities_total > f.capability_count)
        io.print("    {} more capabilities not kept\n", f.capabilities_total - f.capability_count);
    if (f.capability_loop) io.write("    the capability list loops back on itself\n");
}

Status run(Io& io, const Args& args) {
    const bool verbose = args.count() == 2 && args[1] == "-v";
    if (args.count() > 2 || (args.count() == 2 && !verbose)) return Status::Usage;
    const ktl::span<const pci::Function> functions = pci_functions();
    if (functions.empty()) {
        io.write("pci: no PCI functions found (the boot log says why)\n");
        return Status::Failed;
    }
    pci::ReportLine line;
    for (const pci::Function& f : functions) {
        line.clear();
        pci::describe(f, line);
        io.print("{}\n", line.view());
        if (verbose) details(io, f);
    }
    return Status::Ok;
}
// Tab completes the one option.
ktl::span<const ktl::string_view> options() {
    static constexpr ktl::string_view kOptions[] = {"-v"};
    return {kOptions, 1};
}
}  // namespace

const kernel::shell::Command kPci{
    "pci", "the PCI functions, like lspci; -v adds BARs and capabilities", "[-v]", options, run};

}  // namespace init::commands

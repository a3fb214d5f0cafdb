#include "init/pci.hpp"

#include "drivers/pci/enumerate.hpp"
#include "drivers/pci/port_access.hpp"
#include "drivers/pci/report.hpp"
#include "kernel/log/log.hpp"

namespace init {

namespace {
drivers::pci::PortConfigAccess g_pci_ports;
ktl::span<drivers::pci::Function> g_pci_functions;
}  // namespace

void list_pci_functions() {
    namespace pci = drivers::pci;
    if (!g_pci_ports.present()) {
        kernel::log::warn(
            "pci: ports 0xcf8/0xcfc do not answer (no configuration mechanism #1): no PCI "
            "devices listed");
        return;
    }
    // 256 functions: four times what a large PC has; more are counted.
    constexpr usize kMaxFunctions = 256;
    auto* functions = new pci::Function[kMaxFunctions];
    const pci::Enumeration r = pci::enumerate(g_pci_ports, {functions, kMaxFunctions});
    g_pci_functions = {functions, r.kept};
    pci::ReportLine line;
    for (const pci::Function& f : g_pci_functions) {
        line.clear();
        pci::describe(f, line);
        kernel::log::info("{}", line.view());
    }
    for (u32 i = 0; i < r.problem_count; ++i) {
        line.clear();
        pci::describe(r.problems[i], line);
        kernel::log::warn("{}", line.view());
    }
    if (r.problems_total > r.problem_count)
        kernel::log::warn("pci: {} more enumeration problems not listed",
                          r.problems_total - r.problem_count);
    kernel::log::info("pci: {} functions on {} buses ({}, {} configuration accesses)", r.functions,
                      r.buses_scanned, g_pci_ports.name(), r.accesses);
}

ktl::span<const drivers::pci::Function> pci_functions() {
    return {g_pci_functions.data(), g_pci_functions.size()};
}

}  // namespace init

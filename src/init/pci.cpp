#include "init/pci.hpp"

#include "drivers/pci/ecam_access.hpp"
#include "drivers/pci/enumerate.hpp"
#include "drivers/pci/port_access.hpp"
#include "drivers/pci/report.hpp"
#include "kernel/boot_state.hpp"
#include "kernel/log/log.hpp"
#include "kernel/sync/guard.hpp"
#include "lib/ktl/vector.hpp"

namespace init {

namespace {
drivers::pci::PortConfigAccess g_pci_ports;
drivers::pci::EcamConfigAccess g_pci_ecam;
// The functions found, sorted; filled once by list_pci_functions (init, one
// CPU), read-only afterwards.
ktl::vector<drivers::pci::Function> g_pci_functions;
drivers::pci::ConfigAccess* g_pci_config = nullptr;

// Whether ECAM and the ports show the same identity for bus 0 device 0:
// its IDs, class and header type. A wrong MCFG base (RAM, another device's
// registers) reads something else there, and would list devices that do
// not exist and write their "BARs".
bool ecam_agrees_at_00_0(u64 base) {
    constexpr u16 kOffsets[] = {0x00, 0x08, 0x0C};
    for (const u16 offset : kOffsets) {
        const u32 ecam = g_pci_ecam.read32({0, 0, 0}, offset);
        const u32 ports = g_pci_ports.read32({0, 0, 0}, offset);
        if (ecam == ports) continue;
        kernel::log::warn(
            "pci: the MCFG's ECAM region at {:#x} disagrees with ports 0xcf8/0xcfc at 00:00.0 "
            "(offset {:#x}: {:#010x} against {:#010x}): not used",
            base, offset, ecam, ports);
        return false;
    }
    return true;
}

// ECAM when the MCFG has segment 0 from bus 0 (the segment the legacy
// ports reach; other segments need drivers that know them) and, where the
// ports answer too, it agrees with them; else nullptr.
drivers::pci::ConfigAccess* choose_ecam(bool ports) {
    const kernel::acpi::Platform* platform = kernel::acpi_platform();
    if (platform == nullptr || platform->mcfg_state != kernel::acpi::Found::Parsed) return nullptr;
    const kernel::acpi::Mcfg& mcfg = platform->mcfg;
    for (usize i = 0; i < mcfg.count; ++i) {
        const kernel::acpi::EcamRegion& r = mcfg.regions[i];
        if (r.segment != 0 || r.start_bus != 0) continue;
        if (!g_pci_ecam.init(r.base, r.start_bus, r.end_bus)) {
            kernel::log::warn("pci: the MCFG's ECAM region at {:#x} (buses {}-{}) is unusable",
                              r.base, r.start_bus, r.end_bus);
            return nullptr;
        }
        // Bus 0 device 0 answers on every PC: when it does not, the region
        // is not what the MCFG says, or cannot be mapped (in RAM, or past
        // the CPU's address width).
        if (g_pci_ecam.read16({0, 0, 0}, 0) == 0xFFFF) {
            if (const ktl::optional<VmError> e = g_pci_ecam.map_error())
                kernel::log::warn("pci: the MCFG's ECAM region at {:#x} is not used: {}", r.base,
                                  describe(*e));
            else
                kernel::log::warn("pci: nothing answers in the MCFG's ECAM region at {:#x}",
                                  r.base);
            return nullptr;
        }
        if (ports && !ecam_agrees_at_00_0(r.base)) return nullptr;
        kernel::log::info("pci: config space through ECAM at {:#x} (buses {}-{})", r.base,
                          r.start_bus, r.end_bus);
        return &g_pci_ecam;
    }
    return nullptr;
}

// Both mechanisms must show the same first 256 bytes of every function
// (on a machine with both): a wrong MCFG base or a mapping with the wrong
// offsets shows up here, at boot, by name; false then.
bool compare_with_ports(ktl::span<const drivers::pci::Function> functions) {
    namespace pci = drivers::pci;
    for (const pci::Function& f : functions) {
        for (u16 offset = 0; offset < 256; offset += 4) {
            const u32 ecam = g_pci_ecam.read32(f.address, offset);
            const u32 ports = g_pci_ports.read32(f.address, offset);
            if (ecam != ports) {
                kernel::log::warn(
                    "pci {:02x}:{:02x}.{}: ECAM reads {:#010x} at offset {:#x}, ports "
                    "0xcf8/0xcfc read {:#010x}: ECAM not used",
                    f.address.bus, f.address.device, f.address.function, ecam, offset, ports);
                return false;
            }
        }
    }
    kernel::log::info(
        "pci: ECAM and ports 0xcf8/0xcfc read the same configuration space ({} functions, "
        "256 bytes each)",
        functions.size());
    return true;
}

drivers::pci::Enumeration enumerate_into_table() {
    // With interrupts off on this CPU (the only one running yet): each BAR
    // probe turns the function's decoding off for a moment, and the tick
    // must not draw into a framebuffer that is not there meanwhile (its
    // pixels would be lost, and the console redraws only cells that change).
    const kernel::InterruptSaveGuard interrupts_off;
    const drivers::pci::Enumeration r =
        drivers::pci::enumerate(*g_pci_config, {g_pci_functions.data(), g_pci_functions.size()});
    // Shrinking never allocates, so it cannot fail.
    (void)g_pci_functions.try_resize(r.kept);
    return r;
}
}  // namespace

void list_pci_functions() {
    namespace pci = drivers::pci;
    const bool ports = g_pci_ports.present();
    g_pci_config = choose_ecam(ports);
    if (g_pci_config == nullptr && ports) g_pci_config = &g_pci_ports;
    if (g_pci_config == nullptr) {
        kernel::log::warn(
            "pci: ports 0xcf8/0xcfc do not answer (no configuration mechanism #1) and there is "
            "no ECAM: no PCI devices listed");
        return;
    }
    // 256 functions: four times what a large PC has; more are counted.
    constexpr usize kMaxFunctions = 256;
    if (!g_pci_functions.try_resize(kMaxFunctions)) {
        kernel::log::error("pci: no memory for a table of {} functions: no PCI devices listed",
                           kMaxFunctions);
        return;
    }
    pci::Enumeration r = enumerate_into_table();
    // Checked before anything is listed: functions ECAM made up are never
    // reported, and drivers get the ports.
    if (g_pci_config == &g_pci_ecam && ports && !compare_with_ports(pci_functions())) {
        g_pci_config = &g_pci_ports;
        (void)g_pci_functions.try_resize(kMaxFunctions);  // within what it held
        r = enumerate_into_table();
    }
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
    kernel::log::info("pci: {} functions on {} bus{} ({}, {} configuration accesses)", r.functions,
                      r.buses_scanned, r.buses_scanned == 1 ? "" : "es", g_pci_config->name(),
                      r.accesses);
}

drivers::pci::ConfigAccess* pci_config() { return g_pci_config; }

ktl::span<const drivers::pci::Function> pci_functions() {
    return {g_pci_functions.data(), g_pci_functions.size()};
}

}  // namespace init

// The Pci phase's work: every PCI function through the legacy configuration
// ports (ECAM waits for the MCFG wiring: docs/pci.md), kept on the heap for
// the drivers to come, and an lspci-like line per function in the log.
#pragma once

#include "drivers/pci/enumerate.hpp"
#include "lib/ktl/span.hpp"

namespace init {

void list_pci_functions();
// What list_pci_functions found (empty before it, or without PCI ports).
[[nodiscard]] ktl::span<const drivers::pci::Function> pci_functions();

}  // namespace init

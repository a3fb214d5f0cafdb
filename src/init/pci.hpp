// The Pci phase's work: every PCI function through ECAM when the MCFG has
// it, else the legacy configuration ports (docs/pci.md), kept on the heap for
// the drivers to come, and an lspci-like line per function in the log.
#pragma once

#include "drivers/pci/enumerate.hpp"
#include "lib/ktl/span.hpp"

namespace init {

void list_pci_functions();
// What list_pci_functions found (empty before it, or without PCI ports).
[[nodiscard]] ktl::span<const drivers::pci::Function> pci_functions();
// The configuration access list_pci_functions chose (nullptr without PCI).
[[nodiscard]] drivers::pci::ConfigAccess* pci_config();

}  // namespace init

// Until the Interrupts phase is merged (issue 10's interrupt controllers),
// this kernel has no interrupt router: irq::install_isa says NotReady and
// the Input phase polls. Weak, so the real implementation
// (src/arch/x86_64, kernel/irq/irq.hpp) replaces it by being linked in;
// delete this file when it is.
#include "kernel/irq/irq.hpp"

namespace kernel::irq {

[[gnu::weak]] Result<Handle, IrqError> install_isa(u8 /*irq*/, ktl::string_view /*name*/,
                                                   Handler /*handler*/, void* /*context*/,
                                                   Trigger /*trigger*/, Polarity /*polarity*/) {
    return IrqError::NotReady;
}

[[gnu::weak]] ktl::string_view describe(IrqError error) {
    return error == IrqError::NotReady ? "the Interrupts phase has not run"
                                       : "interrupt API unavailable";
}

}  // namespace kernel::irq

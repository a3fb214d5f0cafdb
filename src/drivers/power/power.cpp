#include "drivers/power/power.hpp"

#include "arch/arch.hpp"
#include "arch/io.hpp"
#include "drivers/power/registers.hpp"
#include "kernel/log/log.hpp"
#include "kernel/power/event_setup.hpp"
#include "kernel/power/legacy_ports.hpp"
#include "kernel/power/sci_events.hpp"
#include "lib/format/buffer.hpp"

namespace drivers::power {
namespace {

namespace kp = kernel::power;
using kernel::acpi::AddressSpace;
using kp::Register;

// How long each step may take before Keel says so and goes on. The ACPI
// hand-over can take seconds on real firmware (platform-facts §4.3).
constexpr u64 kAcpiModeMicroseconds = 3'000'000;
constexpr u64 kPowerOffMicroseconds = 5'000'000;
constexpr u64 kResetMicroseconds = 500'000;
constexpr u64 kKeyboardReadyMicroseconds = 100'000;

constexpr arch::Port kResetControl{0xCF9};  // PIIX/ICH reset control (platform-facts §4.4)
constexpr u8 kResetSystem = 0x02, kResetCpu = 0x04;
constexpr arch::Port k8042Status{0x64}, k8042Command{0x64};
constexpr u8 k8042InputFull = 1U << 1;
constexpr u8 k8042PulseReset = 0xFE;

struct State {
    const kernel::acpi::Fadt* fadt = nullptr;
    bool have_plan = false;
    kp::PowerOffPlan plan;
    kp::PlanProblem problem = kp::PlanProblem::NoFadt;
    Register pm1a_status, pm1b_status, pm1a_enable, pm1b_enable;
    Register pm1a_control;    // SCI_EN, with or without a power-off plan
    Register reset_register;  // memory or I/O; PCI goes through `pci`
    pci::ConfigAccess* pci = nullptr;
};
State g_state;  // written in the Power phase only (see power.hpp)
// Set by the first CPU to power off or reboot; any later caller halts.
bool g_leaving = false;
// What each SCI does with the events it found (logs the first other one).
kp::SciEvents g_sci_events;

// Waits until done() or `microseconds` pass (arch::Timeout: never less,
// whatever the clock knows). Returns done()'s last answer.
template <typename Done>
bool wait_for(u64 microseconds, Done done) {
    arch::Timeout timeout(microseconds);
    while (!timeout.expired()) {
        if (done()) return true;
        arch::pause();
    }
    return done();
}

void pause_for(u64 microseconds) { arch::spin_for_us(microseconds); }

// One CPU goes on; another arriving here halts quietly.
void leave_once() {
    arch::disable_interrupts();
    if (__atomic_exchange_n(&g_leaving, true, __ATOMIC_ACQ_REL)) arch::halt_forever();
}

bool sci_enabled(const Register& control) { return kp::sci_enabled(read(control), control.bytes); }

void write_sleep(const Register& control, u8 type) {
    if (!control.present()) return;
    const u16 value = kp::with_sleep_type(read(control), control.bytes, type);
    write(control, value);
    write(control, value | kp::pm1_control::kSleepEnable);
}

// The PM1 status bits set in one register, acknowledged (write-1-to-clear:
// only those bits, so an event arriving meanwhile stays pending).
u16 acknowledge(const Register& status) {
    if (!status.present()) return 0;
    const u16 pending = kp::pm1_pending(read(status), status.bytes);
    if (pending != 0) write(status, pending);
    return pending;
}

// Whether `r` lies on another device's legacy ports
// (kernel/power/legacy_ports.hpp), where it must never be written: then
// says so, naming `what`.
bool on_legacy_ports(const Register& r, ktl::string_view what) {
    const char* device = kp::legacy_device_at(r);
    if (device == nullptr) return false;
    kernel::log::warn("power: the FADT's {} at io {:#x} lies on the {}'s ports: not used", what,
                      r.where.address, device);
    return true;
}

// Whether `r` may be written: not on another device's legacy ports, and
// reachable (mapped, for memory space). Says why not, naming `what`.
bool writable(const Register& r, ktl::string_view what) {
    if (on_legacy_ports(r, what)) return false;
    if (prepare(r)) return true;
    kernel::log::warn("power: the {} at {} {:#x} cannot be reached", what,
                      kernel::acpi::space_name(r.where.space), r.where.address);
    return false;
}

// Carries out plan_event_setup(): every register is prepared (mapped, for
// memory space) and written; one that cannot be reached is named once.
void quiet_events(const kernel::acpi::Fadt& fadt) {
    const kp::EventSetup setup = kp::plan_event_setup(fadt);
    for (usize i = 0; i < setup.count; ++i) {
        const kp::RegisterRun& run = setup.runs[i];
        for (usize k = 0; k < run.count; ++k) {
            const Register r = run.at(k);
            if (!writable(r, "event register")) break;
            write(r, run.value);
        }
    }
    kfmt::Buffer<120> gpe;
    kfmt::Sink sink(gpe);
    kp::describe_gpe_blocks(fadt, sink);
    kernel::log::debug("power: every PM1 and GPE event disabled and cleared but the button ({})",
                       gpe.view());
}

// The FADT's reset register: I/O or memory through registers.hpp, PCI
// configuration space (bus 0; device in bits 47:32, function in 31:16,
// offset in 15:0, ACPI 6.5 §5.2.3.2) through the PCI access.
bool write_reset_register() {
    const kernel::acpi::Fadt& f = *g_state.fadt;
    const kernel::acpi::GenericAddress& r = f.reset_register;
    if (r.space == static_cast<u8>(AddressSpace::PciConfig)) {
        if (g_state.pci == nullptr) return false;
        const pci::Address where{0, static_cast<u8>((r.address >> 32) & 31U),
                                 static_cast<u8>((r.address >> 16) & 7U)};
        g_state.pci->write8(where, static_cast<u16>(r.address & 0xFFFF), f.reset_value);
        return true;
    }
    if (!g_state.reset_register.present()) return false;
    write(g_state.reset_register, f.reset_value);
    return true;
}

// Starts one method; false when this machine does not have it.
bool start_reset(kp::RebootMethod method) {
    switch (method) {
        case kp::RebootMethod::AcpiResetRegister: {
            const kernel::acpi::Fadt* f = g_state.fadt;
            if (f == nullptr || !f->reset_supported()) {
                kernel::log::info("power: no ACPI reset register ({})",
                                  f == nullptr             ? "no FADT"
                                  : !f->has_reset_register ? "the FADT is too short for one"
                                                           : "the FADT says it is not supported");
                return false;
            }
            kernel::log::info(
                "power: rebooting through the ACPI reset register ({} {:#x} <- {:#x})",
                kernel::acpi::space_name(f->reset_register.space), f->reset_register.address,
                f->reset_value);
            kernel::log::flush();
            if (!write_reset_register()) {
                kernel::log::warn("power: the ACPI reset register cannot be reached");
                return false;
            }
            return true;
        }
        case kp::RebootMethod::Cf9:
            kernel::log::info("power: rebooting through port 0xcf9");
            kernel::log::flush();
            // The reset happens on bit 2's rising edge; bit 1 asks for a full
            // (system) rather than a CPU-only reset.
            arch::out8(kResetControl, kResetSystem);
            pause_for(50);
            arch::out8(kResetControl, kResetSystem | kResetCpu);
            return true;
        case kp::RebootMethod::Keyboard:
            kernel::log::info("power: rebooting through the 8042 reset line");
            if (!wait_for(kKeyboardReadyMicroseconds,
                          [] { return (arch::in8(k8042Status) & k8042InputFull) == 0; }))
                kernel::log::warn(
                    "power: the 8042's input buffer stayed full for 100 ms; "
                    "sending the reset anyway");
            kernel::log::flush();
            arch::out8(k8042Command, k8042PulseReset);
            return true;
        case kp::RebootMethod::TripleFault:
            kernel::log::info("power: rebooting by a triple fault");
            kernel::log::flush();
            arch::reset_by_triple_fault();
    }
    return false;
}

}  // namespace

void init(const kernel::acpi::Fadt* fadt, const Result<kp::PowerOffPlan, kp::PlanProblem>& plan,
          pci::ConfigAccess* pci) {
    g_state = {};
    g_state.fadt = fadt;
    g_state.pci = pci;
    g_state.have_plan = plan.ok();
    if (plan)
        g_state.plan = *plan;
    else
        g_state.problem = plan.error();
    if (plan) {
        // Mapped now: power-off must not map memory at the last moment.
        // Without the register it cannot do without (PM1a control, or sleep
        // control on a hardware-reduced machine) the plan is dropped, so
        // power-off says why instead of writing half of it; a PM1b block
        // that cannot be reached is left out, as on most machines.
        Register* const registers[] = {&g_state.plan.pm1a_control, &g_state.plan.pm1b_control,
                                       &g_state.plan.sleep_control};
        for (Register* r : registers) {
            if (!r->present() || writable(*r, "register")) continue;
            if (r == &g_state.plan.pm1b_control) {
                *r = {};
                continue;
            }
            g_state.have_plan = false;
            g_state.problem = kp::PlanProblem::Unreachable;
        }
    }
    if (fadt == nullptr) return;
    g_state.pm1a_status = kp::pm1_status_register(fadt->pm1a_event);
    g_state.pm1b_status = kp::pm1_status_register(fadt->pm1b_event);
    g_state.pm1a_enable = kp::pm1_enable_register(fadt->pm1a_event);
    g_state.pm1b_enable = kp::pm1_enable_register(fadt->pm1b_event);
    g_state.pm1a_control = kp::pm1_control_register(fadt->pm1a_control);
    Register* events[] = {&g_state.pm1a_status, &g_state.pm1b_status, &g_state.pm1a_enable,
                          &g_state.pm1b_enable, &g_state.pm1a_control};
    // One that cannot be reached is left out without a word (the plan's
    // check above named the control block already).
    for (Register* r : events)
        if (r->present() && (on_legacy_ports(*r, "PM1 register") || !prepare(*r))) *r = {};
    if (fadt->reset_supported() &&
        fadt->reset_register.space != static_cast<u8>(AddressSpace::PciConfig)) {
        g_state.reset_register = kp::byte_register(fadt->reset_register);
        if (!prepare(g_state.reset_register)) {
            kernel::log::warn("power: the FADT's reset register at {} {:#x} cannot be reached",
                              kernel::acpi::space_name(fadt->reset_register.space),
                              fadt->reset_register.address);
            g_state.reset_register = {};
        }
    }
}

bool can_power_off() { return g_state.have_plan; }

Result<kp::PowerOffPlan, kp::PlanProblem> power_off_plan() {
    if (!g_state.have_plan) return g_state.problem;
    return g_state.plan;
}

bool enter_acpi_mode() {
    const kernel::acpi::Fadt* f = g_state.fadt;
    if (f == nullptr || f->hardware_reduced()) return true;  // nothing to enter
    if (!g_state.pm1a_control.present()) {
        kernel::log::warn("power: the FADT names no usable PM1a control block: ACPI mode unknown");
        return false;
    }
    if (sci_enabled(g_state.pm1a_control)) {
        kernel::log::debug("power: ACPI mode is on (SCI_EN set by the firmware)");
        return true;
    }
    const Register smi{{static_cast<u8>(AddressSpace::Io), 8, 0, 1, f->smi_command_port}, 1};
    if (const char* device = kp::legacy_device_at(smi);
        f->smi_command_port != 0 && device != nullptr) {
        kernel::log::warn(
            "power: the FADT's SMI command port {:#x} lies on the {}'s ports: ACPI mode not "
            "entered",
            f->smi_command_port, device);
        return false;
    }
    if (f->smi_command_port == 0 || f->acpi_enable == 0) {
        kernel::log::warn("power: SCI_EN is clear and the FADT gives no way to enter ACPI mode");
        return false;
    }
    arch::out8(arch::Port{static_cast<u16>(f->smi_command_port)}, f->acpi_enable);
    if (!wait_for(kAcpiModeMicroseconds, [] { return sci_enabled(g_state.pm1a_control); })) {
        kernel::log::warn(
            "power: the firmware did not enter ACPI mode within 3 s of SMI command {:#x} <- "
            "{:#x}",
            f->smi_command_port, f->acpi_enable);
        return false;
    }
    kernel::log::info("power: ACPI mode entered (SMI command {:#x} <- {:#x})", f->smi_command_port,
                      f->acpi_enable);
    return true;
}

bool enable_power_button() {
    const kernel::acpi::Fadt* f = g_state.fadt;
    if (f == nullptr) return false;
    if (f->hardware_reduced()) {
        kernel::log::info(
            "power: hardware-reduced ACPI: the power button is a device (PNP0C0C) Keel does "
            "not drive yet");
        return false;
    }
    if (!g_state.pm1a_status.present() || !g_state.pm1a_enable.present()) {
        kernel::log::warn("power: the FADT names no usable PM1 event block: no power button");
        return false;
    }
    // A press before now is stale: cleared with every other event, then the
    // button alone enabled.
    quiet_events(*f);
    kernel::log::info("power: power button enabled (PM1 event block {} {:#x})",
                      kernel::acpi::space_name(g_state.pm1a_status.where.space),
                      g_state.pm1a_status.where.address);
    return true;
}

[[noreturn]] void power_off() {
    leave_once();
    if (!g_state.have_plan) {
        kernel::log::error("power: cannot power off: {}; halting instead",
                           kp::describe(g_state.problem));
        arch::halt_forever();
    }
    kfmt::Buffer<160> how;
    kfmt::Sink sink(how);
    kp::describe(g_state.plan, sink);
    kernel::log::info("power: powering off ({})", how.view());
    kernel::log::flush();  // the line above must not die in the UART's FIFO
    const kp::PowerOffPlan& p = g_state.plan;
    if (p.hardware_reduced) {
        write(p.sleep_control, kp::sleep_control_value(p.sleep_type_a));
    } else {
        (void)enter_acpi_mode();
        // A wake status left set would end the sleep at once (§4.8.3.1).
        if (g_state.pm1a_status.present()) write(g_state.pm1a_status, kp::pm1_status::kWake);
        if (g_state.pm1b_status.present()) write(g_state.pm1b_status, kp::pm1_status::kWake);
        write_sleep(p.pm1a_control, p.sleep_type_a);
        write_sleep(p.pm1b_control, p.sleep_type_b);
    }
    pause_for(kPowerOffMicroseconds);
    kernel::log::error(
        "power: the machine is still on 5 s after the soft-off request; it is safe to turn it "
        "off by hand");
    arch::halt_forever();
}

[[noreturn]] void reboot(kp::RebootMethod first) {
    leave_once();
    for (auto m = static_cast<usize>(first); m < kp::kRebootMethodCount; ++m) {
        const auto method = static_cast<kp::RebootMethod>(m);
        if (!start_reset(method)) continue;
        pause_for(kResetMicroseconds);
        kernel::log::warn(
            "power: the machine is still running 500 ms after reboot={}; "
            "trying the next way",
            kp::option_name(method));
    }
    kernel::log::error("power: every way to reboot failed; halting");
    arch::halt_forever();
}

void handle_sci(void* /*context*/) {
    // Every PM1 event found is acknowledged, the button's or not: a status
    // left set keeps a level-triggered SCI asserted (only the button is
    // enabled, but firmware or SMM code may have enabled another since).
    const u16 pending = acknowledge(g_state.pm1a_status) | acknowledge(g_state.pm1b_status);
    const kp::SciOutcome outcome = g_sci_events.take(pending);
    if (outcome.others_to_log != 0)
        kernel::log::debug(
            "power: SCI with PM1 status {:#06x} besides the power button; acknowledged, "
            "nothing services it (logged once)",
            outcome.others_to_log);
    if (!outcome.power_button) return;
    kernel::log::info("power: power button pressed, powering off");
    power_off();
}

void poll_power_button() { handle_sci(nullptr); }

}  // namespace drivers::power

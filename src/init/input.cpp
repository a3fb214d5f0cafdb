#include "init/input.hpp"

#include "arch/arch.hpp"
#include "drivers/ps2/ps2_input.hpp"
#include "drivers/serial/serial_input.hpp"
#include "kernel/acpi/platform.hpp"
#include "kernel/boot_state.hpp"
#include "kernel/input/describe.hpp"
#include "kernel/input/keymap.hpp"
#include "kernel/input/queue.hpp"
#include "kernel/irq/irq.hpp"
#include "kernel/log/escape.hpp"
#include "kernel/log/log.hpp"

namespace init {
namespace {

// Which devices the idle loop must poll: those whose IRQ could not be
// installed (before the Interrupts phase exists, all of them). Written
// once by start_input, before anything reads them.
bool g_poll_ps2 = false;
bool g_poll_serial = false;
// Whether COM1 receives at all (polled or by interrupt).
bool g_serial = false;
// Whether a PS/2 keyboard answered.
bool g_keyboard = false;

// Installs `handler` for ISA `irq`; false (and why, in the log) when the
// device must be polled instead.
bool install(u8 irq, ktl::string_view name, kernel::irq::Handler handler, bool interrupts) {
    if (!interrupts) return false;
    const auto r = kernel::irq::install_isa(irq, name, handler, nullptr);
    if (!r) {
        kernel::log::warn("input: IRQ {} for {} not installed ({}): polled instead", irq, name,
                          kernel::irq::describe(r.error()));
        return false;
    }
    return true;
}

void choose_keymap(ktl::string_view name) {
    if (name.empty()) return;
    if (!kernel::input::set_keymap(name)) {
        char escaped[128];  // `name` is the loader's command line's
        kernel::log::warn("keymap: unknown keymap '{}' (known: {}); keeping '{}'",
                          kernel::log::escape_unprintable(name, escaped),
                          kernel::input::keymap_names(), kernel::input::current_keymap().name);
    }
}

// What the FADT claims, for the log only: about half of real FADTs clear
// the 8042 flag on machines that have one (docs/input.md), so the
// controller is probed whatever it says.
ktl::string_view fadt_8042_claim() {
    const kernel::acpi::Platform* p = kernel::acpi_platform();
    if (p == nullptr || p->fadt_state != kernel::acpi::Found::Parsed || !p->fadt.has_boot_arch)
        return "no claim";
    return (p->fadt.boot_arch & kernel::acpi::boot_arch::k8042) != 0 ? "8042 present" : "no 8042";
}

void report_ps2(const drivers::ps2::Setup& s, bool irq) {
    if (!s.controller) {
        kernel::log::info("ps/2: no controller ({}; FADT: {})", s.problem, fadt_8042_claim());
        return;
    }
    const ktl::string_view keyboard =
        !s.keyboard ? "no keyboard"
                    : (s.translated ? "keyboard (translated set 1)" : "keyboard (set 2)");
    const ktl::string_view mouse =
        !s.mouse ? "no mouse" : (s.wheel ? "mouse (IntelliMouse wheel)" : "mouse (3 buttons)");
    kernel::log::info("ps/2: {}, {}; {}", keyboard, mouse, irq ? "IRQ 1 and 12" : "polled");
    if (!s.problem.empty()) kernel::log::info("ps/2: {}", s.problem);
    if (!s.mouse && !s.mouse_problem.empty()) kernel::log::info("ps/2: {}", s.mouse_problem);
}

}  // namespace

void start_input(drivers::Serial16550& com1, ktl::string_view keymap, bool interrupts) {
    choose_keymap(keymap);
    const u64 probe_start = arch::microseconds_since_boot();
    const drivers::ps2::Setup ps2 = drivers::ps2::start();
    kernel::log::debug("ps/2: set up in {} us", arch::microseconds_since_boot() - probe_start);
    bool ps2_irq = false;
    if (ps2.controller) {
        // Both lines drain the one output buffer; either may carry a byte.
        ps2_irq = install(1, "ps/2 keyboard", drivers::ps2::keyboard_interrupt, interrupts);
        if (ps2_irq && ps2.mouse)
            ps2_irq = install(12, "ps/2 mouse", drivers::ps2::mouse_interrupt, interrupts);
        g_poll_ps2 = !ps2_irq;
    }
    report_ps2(ps2, ps2_irq);
    g_keyboard = ps2.controller && ps2.keyboard;

    if (com1.present()) {
        const bool serial_irq =
            install(4, "com1", drivers::serial_input::com1_interrupt, interrupts);
        drivers::serial_input::start(com1, serial_irq);
        g_poll_serial = !serial_irq;
        g_serial = true;
        kernel::log::info("serial: COM1 input ({})", serial_irq ? "IRQ 4" : "polled");
    } else {
        kernel::log::info(
            "serial: no COM1 (its scratch register does not answer): no serial input");
    }
    kernel::log::info("keymap: {} (known: {})", kernel::input::current_keymap().name,
                      kernel::input::keymap_names());
}

bool input_polled() { return g_poll_ps2 || g_poll_serial; }

InputSources input_sources() { return {g_keyboard, g_serial}; }

void poll_input() {
    if (g_poll_ps2) drivers::ps2::service();
    // A keyboard LED update waiting on the controller or on an answer.
    drivers::ps2::step_leds();
    // COM1 even with its interrupt: a lone ESC becomes the Escape key only
    // once the line has been quiet a while, a moment no interrupt marks.
    if (g_serial) drivers::serial_input::service();
}

void input_idle_loop(bool echo) {
    if (echo) kernel::log::info("input: echo on");
    const bool polling = input_polled();
    for (;;) {
        poll_input();
        // Woken by each device's interrupt (none is polled), and by the
        // tick when it runs.
        if (!polling) arch::wait_for_interrupt();
        if (!echo) continue;
        kernel::input::Event event;
        while (kernel::input::pop(event)) {
            kernel::input::EventText text;
            kernel::input::describe_event(event, text);
            kernel::log::info("{}", text.view());
        }
    }
}

}  // namespace init

// The shell's composition: the command table (adding a command is one line
// here, docs/guide/17-shell.md), the two sides, and the input loop.
//
// Input (docs/shell.md, "Input"): the keyboard and COM1 drivers push key
// events into the input queue (by interrupt, or polled through
// init::poll_input() where a device has no interrupt); serve() pops them
// into the session of the side that typed them.
#include "init/shell.hpp"

#include "arch/arch.hpp"
#include "init/boot_console.hpp"
#include "init/input.hpp"
#include "init/power.hpp"
#include "init/shell_commands/commands.hpp"
#include "kernel/input/queue.hpp"
#include "kernel/log/log.hpp"
#include "kernel/panic/panic.hpp"
#include "kernel/shell/commands/commands.hpp"
#include "kernel/shell/registry.hpp"
#include "kernel/shell/router.hpp"
#include "kernel/shell/session.hpp"
#include "kernel/time/tick.hpp"
#include "lib/ktl/new.hpp"

namespace init {

namespace {

namespace shell = kernel::shell;
namespace builtin = kernel::shell::commands;

// Every command the shell knows: one line each.
constexpr const shell::Command* kCommands[] = {
    &builtin::kHelp,   &builtin::kEcho, &builtin::kClear,    &builtin::kLog,
    &builtin::kMem,    &builtin::kHeap, &builtin::kUptime,   &builtin::kTest,
    &builtin::kCrash,  &builtin::kAcpi, &commands::kVersion, &commands::kPci,
    &commands::kCpu,   &commands::kVm,  &builtin::kIrq,      &builtin::kDate,
    &builtin::kKeymap, &builtin::kCpus, &commands::kReboot,  &commands::kPoweroff,
};

// One side's output: its sink, written under the log's lock so an answer
// never splits a log line (log::write_to). `poll_cancel` reads that side's
// input for Ctrl-C while a command runs; other keys typed meanwhile are
// dropped (a command's run is short, or ends with Ctrl-C).
class SinkIo final : public shell::Io {
public:
    SinkIo(kernel::log::Sink& sink, bool (*poll_cancel)())
        : sink_(sink), poll_cancel_(poll_cancel) {}

    void write(ktl::string_view text) override { kernel::log::write_to(sink_, text); }
    void bell() override { kernel::log::bell_of(sink_); }
    void clear_screen() override { kernel::log::clear_screen_of(sink_); }
    void set_style(kernel::log::Style style) override { kernel::log::set_style_of(sink_, style); }
    [[nodiscard]] u32 columns() const override { return sink_.columns(); }
    bool interrupted() override { return poll_cancel_ != nullptr && poll_cancel_(); }

private:
    kernel::log::Sink& sink_;
    bool (*poll_cancel_)();
};

// The sessions live as long as the kernel; built in place by run_shell()
// (a screen session only when there is a screen).
alignas(SinkIo) u8 g_screen_io[sizeof(SinkIo)];
alignas(SinkIo) u8 g_serial_io[sizeof(SinkIo)];
alignas(shell::Session) u8 g_screen_session[sizeof(shell::Session)];
alignas(shell::Session) u8 g_serial_session[sizeof(shell::Session)];

bool is_ctrl_c(const kernel::input::Event& event) {
    const kernel::input::KeyEvent& key = event.key;
    return event.kind == kernel::input::Kind::Key && key.pressed &&
           key.key == kernel::input::Key::Character && (key.text == 'c' || key.text == 'C') &&
           (key.modifiers & kernel::input::modifier::kCtrl) != 0;
}

// Whether `source` typed Ctrl-C while its command runs. Everything else
// typed meanwhile, on either side, is dropped (a command's run is short, or
// ends with Ctrl-C).
bool cancel_requested(kernel::input::Source source) {
    init::poll_input();
    kernel::input::Event event;
    while (kernel::input::pop(event))
        if (event.source == source && is_ctrl_c(event)) return true;
    return false;
}
bool serial_cancel() { return cancel_requested(kernel::input::Source::Serial); }
bool screen_cancel() { return cancel_requested(kernel::input::Source::Keyboard); }

void register_commands() {
    for (const shell::Command* command : kCommands)
        if (!shell::registry().add(*command))
            kernel::panic("shell: command '{}' cannot be registered (a duplicate, or no memory)",
                          command->name);
}

// Takes the next input event, or waits for one: a halt until the next
// interrupt, which the devices' own interrupts end, and the tick for the
// devices that are polled. Without a tick (no local APIC, or its timer
// unusable) a polled device could never wake a halt, so the wait spins
// instead. The queue is checked with interrupts off and the halt is
// STI;HLT, so an event pushed in between wakes it.
bool next_event(kernel::input::Event& event) {
    init::poll_input();
    init::poll_power_button_if_needed();
    const bool interrupts = arch::interrupts_enabled();
    const bool may_halt = interrupts && (kernel::time::tick_hz() != 0 || !init::input_polled());
    arch::disable_interrupts();
    const bool got = kernel::input::pop(event);
    // Nothing to do: the screen shows all output (and the echo of the last
    // key) before the wait, not at the next tick.
    if (!got) kernel::log::present_screens();
    if (!got && may_halt) arch::wait_for_interrupt();
    if (interrupts) arch::enable_interrupts();
    if (!got && !may_halt)
        for (int i = 0; i < 64; ++i) arch::pause();
    return got;
}

[[noreturn]] void serve(shell::Router& router) {
    for (;;) {
        kernel::input::Event event;
        if (next_event(event)) router.deliver(event);
    }
}

}  // namespace

void run_shell(drivers::Serial16550& com1) {
    register_commands();
    // Under 80 columns: one row on the VGA text screen. It names only the
    // inputs that answered, so a machine without them says so.
    const init::InputSources inputs = init::input_sources();
    const ktl::string_view where = inputs.keyboard && inputs.serial ? "on the keyboard or COM1"
                                   : inputs.keyboard                ? "on the keyboard"
                                   : inputs.serial                  ? "on COM1"
                                                                    : "";
    if (where.empty())
        kernel::log::warn("shell: {} commands, but no PS/2 keyboard and no COM1 to type them on",
                          shell::registry().all().size());
    else
        kernel::log::info("shell: {} commands, type help ({})", shell::registry().all().size(),
                          where);

    kernel::log::Sink* screen_sink = init::screen_sink();
    shell::Session* screen = nullptr;
    if (screen_sink != nullptr) {
        auto* io = new (g_screen_io) SinkIo(*screen_sink, screen_cancel);
        screen = new (g_screen_session) shell::Session(*io, shell::registry());
    }
    auto* serial_io = new (g_serial_io) SinkIo(com1, serial_cancel);
    auto* serial = new (g_serial_session) shell::Session(*serial_io, shell::registry());
    shell::Router router(screen, serial, screen_sink);
    if (screen != nullptr) screen->start();
    serial->start();
    serve(router);
}

}  // namespace init

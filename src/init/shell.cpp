// The shell's composition: the command table (adding a command is one line
// here, docs/guide/13-shell.md), the two sides, and the input loop.
//
// Input (docs/shell.md, "Input"): until the serial input driver feeds the
// input queue, the loop polls COM1's receive register itself and hands the
// bytes to the COM1 session; the editor's own escape parser turns terminal
// sequences into keys. When the queue exists, serve() pops its events into
// router.deliver() before polling, and the polling goes once the serial
// driver pushes COM1's bytes as events.
#include "init/shell.hpp"

#include "init/power.hpp"

#include "arch/arch.hpp"
#include "init/boot_console.hpp"
#include "init/power.hpp"
#include "init/shell_commands/commands.hpp"
#include "kernel/log/log.hpp"
#include "kernel/panic/panic.hpp"
#include "kernel/shell/commands/commands.hpp"
#include "kernel/shell/registry.hpp"
#include "kernel/shell/router.hpp"
#include "kernel/shell/session.hpp"
#include "lib/ktl/new.hpp"

namespace init {

namespace {

namespace shell = kernel::shell;
namespace builtin = kernel::shell::commands;

// Every command the shell knows: one line each.
constexpr const shell::Command* kCommands[] = {
    &builtin::kHelp,     &builtin::kEcho,   &builtin::kClear, &builtin::kLog,   &builtin::kMem,
    &builtin::kHeap,     &builtin::kUptime, &builtin::kTest,  &builtin::kCrash, &builtin::kAcpi,
    &commands::kVersion, &commands::kPci,   &commands::kCpu,  &commands::kVm,
};

constexpr char kCtrlC = 0x03;

// One side's output: its sink, written under the log's lock so an answer
// never splits a log line (log::write_to). `poll_cancel` reads that side's
// input for Ctrl-C while a command runs; other keys typed meanwhile are
// dropped (a command's run is short, or ends with Ctrl-C).
class SinkIo final : public shell::Io {
public:
    SinkIo(kernel::log::Sink& sink, bool (*poll_cancel)())
        : sink_(sink), poll_cancel_(poll_cancel) {}

    void write(ktl::string_view text) override { kernel::log::write_to(sink_, text); }
    void bell() override { kernel::log::write_to(sink_, "\a"); }
    void clear_screen() override { kernel::log::clear_screen_of(sink_); }
    void set_style(kernel::log::Style style) override { kernel::log::set_style_of(sink_, style); }
    bool interrupted() override { return poll_cancel_ != nullptr && poll_cancel_(); }

private:
    kernel::log::Sink& sink_;
    bool (*poll_cancel_)();
};

drivers::Serial16550* g_com1 = nullptr;
// The sessions live as long as the kernel; built in place by run_shell()
// (a screen session only when there is a screen).
alignas(SinkIo) u8 g_screen_io[sizeof(SinkIo)];
alignas(SinkIo) u8 g_serial_io[sizeof(SinkIo)];
alignas(shell::Session) u8 g_screen_session[sizeof(shell::Session)];
alignas(shell::Session) u8 g_serial_session[sizeof(shell::Session)];

bool serial_cancel() {
    char byte = 0;
    while (g_com1->receive(byte))
        if (byte == kCtrlC) return true;
    return false;
}

void register_commands() {
    for (const shell::Command* command : kCommands)
        if (!shell::registry().add(*command))
            kernel::panic("shell: command '{}' cannot be registered (a duplicate, or more than {})",
                          command->name, shell::Registry::kCapacity);
}

// Waits for the next input: a halt until an interrupt when interrupts are
// on (a device will raise one), else a short spin, as polling is all there is.
void idle() {
    init::poll_power_button_if_needed();
    if (arch::interrupts_enabled()) {
        arch::wait_for_interrupt();
        return;
    }
    for (int i = 0; i < 64; ++i) arch::pause();
}

[[noreturn]] void serve(shell::Router& router) {
    for (;;) {
        bool busy = false;
        char byte = 0;
        while (g_com1->receive(byte)) {
            router.serial_byte(byte);
            busy = true;
        }
        if (!busy) idle();
    }
}

}  // namespace

void run_shell(drivers::Serial16550& com1) {
    g_com1 = &com1;
    register_commands();
    // Under 80 columns: one row on the VGA text screen.
    kernel::log::info("shell: {} commands, type help (on COM1; the keyboard is not read yet)",
                      shell::registry().all().size());

    kernel::log::Sink* screen_sink = init::screen_sink();
    shell::Session* screen = nullptr;
    if (screen_sink != nullptr) {
        // The keyboard's Ctrl-C arrives through the input queue, which the
        // loop reads between commands: nothing to poll while one runs.
        auto* io = new (g_screen_io) SinkIo(*screen_sink, nullptr);
        screen = new (g_screen_session) shell::Session(*io, shell::registry());
    }
    auto* serial_io = new (g_serial_io) SinkIo(com1, serial_cancel);
    auto* serial = new (g_serial_session) shell::Session(*serial_io, shell::registry());
    shell::Router router(screen, serial);
    if (screen != nullptr) screen->start();
    serial->start();
    serve(router);
}

}  // namespace init

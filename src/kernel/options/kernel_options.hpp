// The options this kernel understands on its command line (docs/cmdline.md),
// decoded from the generic tokens of cmdline.hpp. Unknown options and bad
// values are collected, not fatal, so the kernel can boot and report them.
#pragma once

#include "kernel/log/level.hpp"
#include "kernel/options/cmdline.hpp"
#include "kernel/power/reboot_method.hpp"
#include "kernel/watchdog/watchdog.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::options {

enum class Console : u8 { Auto, Vga, Framebuffer, Serial };
// A fault the kernel injects into itself to show it survives it (fault=,
// docs/cmdline.md): unlike crash=, the boot must go on and say what happened.
// Each hits the first AP started.
enum class Fault : u8 {
    None,
    ApSlowStart,   // ap-slow-start: it holds the log's lock for 3 s while it sets itself up
    ApStuckStart,  // ap-stuck-start: it stalls 8 s in its setup, past the boot CPU's bound
    ApLateEntry,   // ap-late-entry: it waits 3 s before it enters the kernel, past its bound
    ApOtherPat,    // ap-other-pat: its PAT does not keep the boot CPU's layout
    PerCpuMemory,  // percpu-memory: only the first AP gets a per-CPU area, as if the heap ran out
};
// What the kernel does once booted, instead of idling: poweroff, reboot.
enum class PowerAction : u8 { None, PowerOff, Reboot };
// The log's own levels: the option sets them without a conversion.
using LogLevel = log::Level;

// cpus=N accepts 1 to this: arch::kMaxCpus, which the SMP phase checks
// (the options are portable and do not see the arch).
inline constexpr u32 kMaxCpusOption = 256;

// The spelling used on the command line: "auto", "vga", "fb", "serial";
// "debug", "info", "warn", "error".
[[nodiscard]] ktl::string_view name(Console console);
[[nodiscard]] ktl::string_view name(LogLevel level);

// The string views point into the command line passed to parse_options().
struct KernelOptions {
    Console console = Console::Auto;      // console=vga|fb|serial|auto
    LogLevel log_level = LogLevel::Info;  // loglevel=debug|info|warn|error
    bool run_tests = false;               // test, or test=<name>
    ktl::string_view test_name;           // Empty: run every in-kernel test.
    ktl::string_view crash;               // crash=<name>; empty: none.
    Fault fault = Fault::None;            // fault=<name>
    u32 cpus = 0;                         // cpus=N: start at most N CPUs; 0: all
    bool dump_mbi = false;                // dump-mbi
    bool serial_color = true;             // color=on|off: ANSI colours on COM1
    ktl::string_view image_path;          // GRUB's first word, e.g. /boot/kernel.

    // poweroff, reboot, reboot=<method>: what to do once booted.
    PowerAction power_action = PowerAction::None;
    power::RebootMethod reboot_from = power::RebootMethod::AcpiResetRegister;
    ktl::string_view keymap;     // keymap=<name>; checked by the Input phase
    bool input_echo = false;     // input=echo: decoded input events on the log
    bool bench_irq = false;      // bench=irq: interrupt and sleep timings (bench/README.md)
    bool bench_alloc = false;    // bench=alloc: frame and heap ns per operation (bench/README.md)
    bool bench_console = false;  // bench=console: framebuffer lines per second (docs/console.md)
    bool bench_smp = false;      // bench=smp: cross-CPU calls and spinlock throughput (docs/smp.md)
    // watchdog=off|<seconds>: the hard-lockup threshold, 0 when off
    // (docs/interrupts.md, "Watchdog").
    u32 watchdog_seconds = watchdog::kDefaultSeconds;
};

enum class OptionProblem : u8 {
    Malformed,        // A syntax error; see `syntax`.
    UnknownOption,    // A key this kernel does not know.
    InvalidValue,     // A known key with a value outside its set.
    MissingValue,     // A key that needs a value given none (or an empty one).
    UnexpectedValue,  // A flag given a value.
    Conflicting,      // Valid alone, but cannot work with another option.
};

// "malformed option", "unknown option", "invalid value", ...
[[nodiscard]] ktl::string_view describe(OptionProblem problem);

struct RejectedOption {
    OptionProblem problem = OptionProblem::Malformed;
    cmdline::SyntaxError syntax = cmdline::SyntaxError::None;  // For Malformed only.
    ktl::string_view text;                                     // The whole token as written.
    ktl::string_view key;
    ktl::string_view value;
};

// Collects what parse_options() could not use, up to kCapacity entries, so
// the kernel can print e.g. "unknown option 'foo'" once logging is up.
struct UnknownSink {
    static constexpr usize kCapacity = 16;

    RejectedOption items[kCapacity];
    u32 count = 0;
    u32 dropped = 0;  // Problems beyond kCapacity.

    void add(const RejectedOption& rejected);
    [[nodiscard]] bool empty() const { return count == 0 && dropped == 0; }
    [[nodiscard]] ktl::span<const RejectedOption> list() const { return {items, count}; }
};

// The values option `key` accepts, for the message that refuses another:
// the i-th, or empty past the last and for keys without a fixed set
// (crash= and test= name tests, keymap= the compiled-in maps). A range is
// one entry in words: cpus= gives "1 to 256".
[[nodiscard]] ktl::string_view valid_value(ktl::string_view key, usize i);

// Applies every option in `cmdline` to `options` (later ones win) and adds
// anything unknown or invalid to `sink`. A first word that starts with '/'
// or '(' and has no '=' is taken as the image path GRUB puts there.
void parse_options(ktl::string_view cmdline, KernelOptions& options, UnknownSink& sink);

}  // namespace kernel::options

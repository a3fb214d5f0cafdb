#include "kernel/options/kernel_options.hpp"

namespace kernel::options {
namespace {

using cmdline::Option;
using cmdline::SyntaxError;

template <typename Enum>
struct Choice {
    ktl::string_view spelling;
    Enum value;
};

constexpr Choice<Console> kConsoles[] = {
    {"auto", Console::Auto},
    {"vga", Console::Vga},
    {"fb", Console::Framebuffer},
    {"serial", Console::Serial},
};

constexpr Choice<LogLevel> kLogLevels[] = {
    {"debug", LogLevel::Debug},
    {"info", LogLevel::Info},
    {"warn", LogLevel::Warn},
    {"error", LogLevel::Error},
};

constexpr Choice<Fault> kFaults[] = {
    {"ap-slow-start", Fault::ApSlowStart},  {"ap-stuck-start", Fault::ApStuckStart},
    {"ap-late-entry", Fault::ApLateEntry},  {"ap-other-pat", Fault::ApOtherPat},
    {"percpu-memory", Fault::PerCpuMemory},
};

// bench=<name>: each names one benchmark, its own flag.
struct Bench {
    ktl::string_view spelling;
    bool KernelOptions::*flag = nullptr;
};
constexpr Bench kBenches[] = {
    {"irq", &KernelOptions::bench_irq},
    {"alloc", &KernelOptions::bench_alloc},
    {"console", &KernelOptions::bench_console},
    {"smp", &KernelOptions::bench_smp},
};
constexpr Choice<bool> kColors[] = {{"on", true}, {"off", false}};
constexpr ktl::string_view kInputs[] = {"echo"};  // input=echo

template <typename Enum, usize N>
bool choose(const Choice<Enum> (&choices)[N], ktl::string_view spelling, Enum& out) {
    for (const Choice<Enum>& choice : choices) {
        if (choice.spelling == spelling) {
            out = choice.value;
            return true;
        }
    }
    return false;
}

template <typename Enum, usize N>
ktl::string_view spell(const Choice<Enum> (&choices)[N], Enum value) {
    for (const Choice<Enum>& choice : choices)
        if (choice.value == value) return choice.spelling;
    return "unknown";
}

bool choose_reboot_method(ktl::string_view spelling, power::RebootMethod& out) {
    for (usize i = 0; i < power::kRebootMethodCount; ++i) {
        const auto method = static_cast<power::RebootMethod>(i);
        if (power::option_name(method) == spelling) {
            out = method;
            return true;
        }
    }
    return false;
}

// cpus=N (1 to kMaxCpusOption): how many CPUs to run on, the boot CPU
// included; decimal digits only, so a typo is refused, not half-read.
bool apply_cpus(const Option& option, KernelOptions& options, OptionProblem& problem) {
    if (!option.has_value || option.value.empty()) {
        problem = OptionProblem::MissingValue;
        return false;
    }
    u32 n = 0;
    for (const char c : option.value) {
        if (c < '0' || c > '9' || n > kMaxCpusOption) {
            problem = OptionProblem::InvalidValue;
            return false;
        }
        n = n * 10 + static_cast<u32>(c - '0');
    }
    if (n == 0 || n > kMaxCpusOption) {
        problem = OptionProblem::InvalidValue;
        return false;
    }
    options.cpus = n;
    return true;
}

// dump-mbi: a flag.
bool apply_dump_mbi(const Option& option, KernelOptions& options, OptionProblem& problem) {
    if (option.has_value) {
        problem = OptionProblem::UnexpectedValue;
        return false;
    }
    options.dump_mbi = true;
    return true;
}

bool looks_like_image_path(const Option& option) {
    if (option.has_value || option.key.empty()) return false;
    return option.key[0] == '/' || option.key[0] == '(';
}

// color=on|off. NO_COLOR's spirit: colour is the default, one word turns
// it off.
bool apply_color(const Option& option, KernelOptions& options, OptionProblem& problem) {
    if (choose(kColors, option.value, options.serial_color)) return true;
    const bool empty = !option.has_value || option.value.empty();
    problem = empty ? OptionProblem::MissingValue : OptionProblem::InvalidValue;
    return false;
}

// poweroff, reboot, reboot=<method>.
bool apply_power(const Option& option, KernelOptions& options, OptionProblem& problem) {
    if (option.key == "poweroff") {
        if (option.has_value) {
            problem = OptionProblem::UnexpectedValue;
            return false;
        }
        options.power_action = PowerAction::PowerOff;
        return true;
    }
    // A bare `reboot` tries every method in order; reboot=<method> starts
    // from that one (the tests force each so).
    power::RebootMethod from = power::RebootMethod::AcpiResetRegister;
    if (option.has_value && !choose_reboot_method(option.value, from)) {
        problem = option.value.empty() ? OptionProblem::MissingValue : OptionProblem::InvalidValue;
        return false;
    }
    options.power_action = PowerAction::Reboot;
    options.reboot_from = from;
    return true;
}

// keymap=<name> and input=echo (docs/input.md).
bool apply_input(const Option& option, KernelOptions& options, OptionProblem& problem) {
    if (!option.has_value || option.value.empty()) {
        problem = OptionProblem::MissingValue;
        return false;
    }
    // The keymap's name is checked against the maps compiled in by the
    // Input phase, which says which ones exist.
    if (option.key == "keymap") {
        options.keymap = option.value;
        return true;
    }
    if (option.value != kInputs[0]) {
        problem = OptionProblem::InvalidValue;
        return false;
    }
    options.input_echo = true;
    return true;
}

// bench=irq, bench=alloc, bench=console or bench=smp (bench/README.md): the
// value names the benchmark.
bool apply_bench(const Option& option, KernelOptions& options, OptionProblem& problem) {
    if (!option.has_value || option.value.empty()) {
        problem = OptionProblem::MissingValue;
        return false;
    }
    for (const Bench& bench : kBenches) {
        if (bench.spelling == option.value) {
            options.*bench.flag = true;
            return true;
        }
    }
    problem = OptionProblem::InvalidValue;
    return false;
}

// watchdog=off or watchdog=<seconds>, 1 to 60 in plain decimal.
bool apply_watchdog(const Option& option, KernelOptions& options, OptionProblem& problem) {
    if (!option.has_value || option.value.empty()) {
        problem = OptionProblem::MissingValue;
        return false;
    }
    if (option.value == "off") {
        options.watchdog_seconds = 0;
        return true;
    }
    u32 seconds = 0;
    for (const char c : option.value) {
        if (c < '0' || c > '9' || seconds > watchdog::kMaxSeconds) {
            problem = OptionProblem::InvalidValue;
            return false;
        }
        seconds = seconds * 10 + static_cast<u32>(c - '0');
    }
    if (seconds < watchdog::kMinSeconds || seconds > watchdog::kMaxSeconds) {
        problem = OptionProblem::InvalidValue;
        return false;
    }
    options.watchdog_seconds = seconds;
    return true;
}

// Applies one well-formed option; returns the problem, if any.
bool apply(const Option& option, KernelOptions& options, OptionProblem& problem) {
    const ktl::string_view key = option.key;
    const bool empty = !option.has_value || option.value.empty();

    if (key == "console" || key == "loglevel" || key == "crash" || key == "fault") {
        if (empty) {
            problem = OptionProblem::MissingValue;
            return false;
        }
        bool valid = true;
        if (key == "console")
            valid = choose(kConsoles, option.value, options.console);
        else if (key == "loglevel")
            valid = choose(kLogLevels, option.value, options.log_level);
        else if (key == "fault")
            valid = choose(kFaults, option.value, options.fault);
        else
            options.crash = option.value;
        if (!valid) problem = OptionProblem::InvalidValue;
        return valid;
    }
    if (key == "keymap" || key == "input") return apply_input(option, options, problem);
    if (key == "bench") return apply_bench(option, options, problem);
    if (key == "test") {
        if (option.has_value && option.value.empty()) {
            problem = OptionProblem::MissingValue;
            return false;
        }
        options.run_tests = true;
        options.test_name = option.value;
        return true;
    }
    if (key == "color") return apply_color(option, options, problem);
    if (key == "cpus") return apply_cpus(option, options, problem);
    if (key == "dump-mbi") return apply_dump_mbi(option, options, problem);
    if (key == "poweroff" || key == "reboot") return apply_power(option, options, problem);
    problem = OptionProblem::UnknownOption;
    return false;
}

}  // namespace

ktl::string_view name(Console console) { return spell(kConsoles, console); }
ktl::string_view name(LogLevel level) { return spell(kLogLevels, level); }

ktl::string_view describe(OptionProblem problem) {
    switch (problem) {
        case OptionProblem::Malformed:
            return "malformed option";
        case OptionProblem::UnknownOption:
            return "unknown option";
        case OptionProblem::InvalidValue:
            return "invalid value";
        case OptionProblem::MissingValue:
            return "missing value";
        case OptionProblem::UnexpectedValue:
            return "option takes no value";
        case OptionProblem::Conflicting:
            return "conflicting option (test exits when the tests end: the crash would never run)";
    }
    return "bad option";
}

void UnknownSink::add(const RejectedOption& rejected) {
    if (count == kCapacity) {
        ++dropped;
        return;
    }
    items[count++] = rejected;
}

void parse_options(ktl::string_view line, KernelOptions& options, UnknownSink& sink) {
    cmdline::Tokenizer tokens(line);
    cmdline::Token token;
    cmdline::Token crash_token{};  // the last crash= applied
    bool first = true;
    while (tokens.next(token)) {
        const bool was_first = first;
        first = false;
        if (token.error != SyntaxError::None) {
            sink.add({OptionProblem::Malformed, token.error, token.text, {}, {}});
            continue;
        }
        if (was_first && looks_like_image_path(token.option)) {
            options.image_path = token.option.key;
            continue;
        }
        OptionProblem problem = OptionProblem::UnknownOption;
        // watchdog= beside apply(), which is long enough.
        const bool applied = token.option.key == "watchdog"
                                 ? apply_watchdog(token.option, options, problem)
                                 : apply(token.option, options, problem);
        if (!applied) {
            sink.add(
                {problem, SyntaxError::None, token.text, token.option.key, token.option.value});
        } else if (token.option.key == "crash") {
            crash_token = token;
        }
    }
    // The tests end by exiting QEMU: a crash= beside them would silently
    // never happen. Refused, by name, rather than dropped without a word.
    if (options.run_tests && !options.crash.empty()) {
        sink.add({OptionProblem::Conflicting, SyntaxError::None, crash_token.text,
                  crash_token.option.key, crash_token.option.value});
        options.crash = {};
    }
}

static_assert(kMaxCpusOption == 256, "valid_value's cpus= range says 256");

ktl::string_view valid_value(ktl::string_view key, usize i) {
    auto pick = [i](const auto& table) -> ktl::string_view {
        if (i >= sizeof(table) / sizeof(table[0])) return {};
        if constexpr (requires { table[0].spelling; })
            return table[i].spelling;
        else
            return table[i];
    };
    if (key == "console") return pick(kConsoles);
    if (key == "loglevel") return pick(kLogLevels);
    if (key == "fault") return pick(kFaults);
    if (key == "bench") return pick(kBenches);
    if (key == "color") return pick(kColors);
    if (key == "input") return pick(kInputs);
    if (key == "cpus") return i == 0 ? ktl::string_view{"1 to 256"} : ktl::string_view{};
    if (key == "watchdog")
        return i == 0 ? "off" : i == 1 ? "1 to 60 (seconds)" : ktl::string_view{};
    if (key == "reboot")
        return i < power::kRebootMethodCount
                   ? power::option_name(static_cast<power::RebootMethod>(i))
                   : ktl::string_view{};
    return {};
}

}  // namespace kernel::options

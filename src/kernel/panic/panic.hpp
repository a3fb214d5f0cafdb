// panic(): the kernel's last words. Prints the message and the caller's
// source location on every sink (the screen in panic colours), turns
// interrupts off and halts forever.
#pragma once

#include "lib/format/format.hpp"

namespace kernel {

// Carries the checked format string together with the caller's location:
// default arguments of a consteval constructor are evaluated at the call site.
template <typename... Args>
struct PanicFormat {
    template <usize N>
    consteval PanicFormat(const char (&text)[N],  // NOLINT(google-explicit-constructor)
                          const char* file_name = __builtin_FILE(),
                          u32 line_number = __builtin_LINE(),
                          const char* function_name = __builtin_FUNCTION())
        : fmt(text), file(file_name), line(line_number), function(function_name) {}

    kfmt::format_string<Args...> fmt;
    const char* file;
    u32 line;
    const char* function;
};

struct SourceLocation {
    const char* file;
    u32 line;
    const char* function;
};

[[noreturn]] void panic_message(ktl::string_view message, SourceLocation where);

// True once a CPU has begun a panic: the report then runs with interrupts
// off for as long as it takes, the hard-lockup watchdog stands down, and
// the debug lock stops its order check (the report takes the locks it
// finds held, in any order).
[[nodiscard]] bool panic_in_progress();

template <typename... Args>
[[noreturn]] void panic(PanicFormat<ktl::type_identity_t<Args>...> format, const Args&... args) {
    kfmt::Buffer<256> message;
    kfmt::format_to(message, format.fmt, args...);
    panic_message(message.view(), {format.file, format.line, format.function});
}

}  // namespace kernel

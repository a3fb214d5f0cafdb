// The kernel log: one formatted line goes to every registered sink, so the
// screen and serial always show the same boot log. Each line reaches every
// sink whole, never interleaved with another CPU's or an interrupt
// handler's line; a panic still gets its report out if the log's lock is
// held forever (log.cpp says how).
#pragma once

#include "kernel/log/level.hpp"
#include "kernel/log/sink.hpp"
#include "lib/format/format.hpp"

namespace kernel::log {

void add_sink(Sink& sink);
void remove_sink(Sink& sink);
void set_level(Level level);
[[nodiscard]] Level level();
// Writes text to every sink as-is (no level, no newline added).
void write(ktl::string_view text);
// Calls begin_panic() on every sink. From then on, a writer waits for the
// log only a bounded time, then writes anyway.
void begin_panic();

namespace detail {
void emit(Level level, ktl::string_view line);
#ifdef KERNEL_HOST_TEST
void reset_for_tests();  // leaves panic mode, for the next test
#endif
}  // namespace detail

template <typename... Args>
void print(Level lvl, kfmt::format_string<ktl::type_identity_t<Args>...> fmt, const Args&... args) {
    if (lvl < level()) return;
    kfmt::Buffer<512> line;
    kfmt::format_to(line, fmt, args...);
    detail::emit(lvl, line.view());
}

template <typename... Args>
void debug(kfmt::format_string<ktl::type_identity_t<Args>...> fmt, const Args&... args) {
    print(Level::Debug, fmt, args...);
}
template <typename... Args>
void info(kfmt::format_string<ktl::type_identity_t<Args>...> fmt, const Args&... args) {
    print(Level::Info, fmt, args...);
}
template <typename... Args>
void warn(kfmt::format_string<ktl::type_identity_t<Args>...> fmt, const Args&... args) {
    print(Level::Warn, fmt, args...);
}
template <typename... Args>
void error(kfmt::format_string<ktl::type_identity_t<Args>...> fmt, const Args&... args) {
    print(Level::Error, fmt, args...);
}

}  // namespace kernel::log

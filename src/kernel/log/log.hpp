// The kernel log: one formatted line goes to every registered sink, so the
// screen and serial always show the same boot log. Each line reaches every
// sink whole, never interleaved with another CPU's or an interrupt
// handler's line; a panic still gets its report out if the log's lock is
// held forever (log.cpp says how).
#pragma once

#include "kernel/log/level.hpp"
#include "kernel/log/sink.hpp"
#include "lib/format/format.hpp"
#include "lib/ktl/span.hpp"

namespace kernel::log {

void add_sink(Sink& sink);
void remove_sink(Sink& sink);
void set_level(Level level);
[[nodiscard]] Level level();
// Writes text to every sink as-is (no level, no newline added).
void write(ktl::string_view text);
// Writes text to one sink only, under the log's lock so it never lands in
// the middle of a log line (the shell's answers to the side that asked).
void write_to(Sink& sink, ktl::string_view text);
void set_style_of(Sink& sink, Style style);
void clear_screen_of(Sink& sink);
void bell_of(Sink& sink);
// Sink::move_view() under the log's lock, so no line is drawn meanwhile.
void move_view_of(Sink& sink, ViewMove move);
// Sink::present_screen() on every sink, under the log's lock: the screen shows
// all text written so far (the shell calls it before it waits for a key).
void present_screens();
// For the periodic tick, an interrupt handler that must not wait for a
// lock the code it interrupted may hold: Sink::present_screen() on every sink if the log's lock is
// free this instant, else nothing (the holder's own writes, or the next tick, present instead).
// True when it got the lock.
bool try_present_screens();

// Runs fn(context) under the log's lock, so no line is drawn meanwhile:
// for changing how a screen draws (giving the framebuffer console its
// shadow). fn must not log.
void with_log_held(void (*fn)(void*), void* context);

// The log since boot as one stream of text: bytes [from, from + out.size())
// of everything written (oldest bytes dropped once the history is full).
struct HistoryRead {
    usize size;   // bytes copied into out
    u64 next;     // the position after them
    u64 dropped;  // bytes before `from` that were no longer kept (skipped)
};
[[nodiscard]] HistoryRead read_history(u64 from, ktl::span<char> out);
// The position after the last byte written so far.
[[nodiscard]] u64 history_end();

// Calls begin_panic() on every sink. From then on, a writer waits for the
// log only a bounded time, then writes anyway.
void begin_panic();

// Waits (bounded) until every sink has put out what it was given: before
// the machine turns itself off or resets, the last lines must not be left
// in a UART's FIFO.
void flush();

namespace detail {
void emit(Level level, Style style, ktl::string_view line);
// What print() and styled() do once their arguments are packed: the level
// check, the line's buffer, the formatting and emit(). Out of line so that
// the many instantiations of print() share one copy of that code (under
// QEMU's TCG each distinct copy run at boot is translated anew).
void vprint(Level lvl, Style style, ktl::string_view fmt, const kfmt::Arg* args, usize count);
#ifdef KERNEL_HOST_TEST
void reset_for_tests();  // leaves panic mode, for the next test
#endif
}  // namespace detail

template <typename... Args>
void print(Level lvl, kfmt::format_string<ktl::type_identity_t<Args>...> fmt, const Args&... args) {
    // One spare element so that the array is never empty (as format_to).
    const kfmt::Arg packed[sizeof...(Args) + 1] = {kfmt::make_arg(args)..., kfmt::Arg()};
    detail::vprint(lvl, Style::Normal, fmt.get(), packed, sizeof...(Args));
}

// A line in a style of its own (e.g. Style::Good for "ready").
template <typename... Args>
void styled(Level lvl, Style style, kfmt::format_string<ktl::type_identity_t<Args>...> fmt,
            const Args&... args) {
    const kfmt::Arg packed[sizeof...(Args) + 1] = {kfmt::make_arg(args)..., kfmt::Arg()};
    detail::vprint(lvl, style, fmt.get(), packed, sizeof...(Args));
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

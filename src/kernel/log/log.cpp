// Every sink sees whole lines: a line (prefix, text, newline) is written
// under one lock, taken with interrupts off (IrqSaveSpinlockGuard), so
// neither another CPU nor an interrupt handler on this CPU can write into
// the middle of it.
//
// A panic must get its report out even when the lock is held and will never
// be released: by the code that faulted in the middle of a line (a sink
// fault), or by a CPU that has stopped. So once begin_panic() has run, a
// writer waits for the lock only a bounded time (kPanicWaitMicroseconds,
// long enough for any other CPU to finish a line on a 115200-baud UART) and
// then writes without it; after the first such bypass, every later line of
// the panic goes out at once. Lines written in that state may interleave
// with those of a CPU that is still logging (SMP stops the other CPUs first).
#include "kernel/log/log.hpp"

#include "arch/arch.hpp"
#include "kernel/log/history.hpp"
#include "kernel/sync/guard.hpp"
#include "kernel/sync/spinlock.hpp"

namespace kernel::log {

namespace {
constexpr usize kMaxSinks = 4;
// The longest line (512 bytes) takes 45 ms at 115200 baud.
constexpr u64 kPanicWaitMicroseconds = 100'000;

Spinlock g_lock;  // the sinks and every write to them
Sink* g_sinks[kMaxSinks];
usize g_sink_count = 0;
// Sinks left in the middle of a line by write_to() (the shell's prompt and
// the line being typed): a log line starts on a fresh line there, so an
// interrupt's message never glues onto `keel> `.
bool g_mid_line[kMaxSinks];
u8 g_level = static_cast<u8>(Level::Info);  // a Level; u8 for the atomics
bool g_panicking = false;                   // set once, by begin_panic()
bool g_bypassing = false;                   // a panic gave up waiting for g_lock
// Everything written since boot, for the shell's `log`. 64 KiB keeps a
// boot log at loglevel=debug several times over; older text is dropped.
constexpr usize kHistoryBytes = usize{64} * 1024;
char g_history_bytes[kHistoryBytes];
History g_history{{g_history_bytes, kHistoryBytes}};

bool load(const bool& flag) { return __atomic_load_n(&flag, __ATOMIC_ACQUIRE); }
void store(bool& flag, bool value) { __atomic_store_n(&flag, value, __ATOMIC_RELEASE); }

// The panic's bounded wait for g_lock (arch::Timeout: before the clock
// runs too).
bool lock_for_panic() {
    arch::Timeout timeout(kPanicWaitMicroseconds);
    do {
        if (g_lock.try_lock_bounded(64)) return true;
    } while (!timeout.expired());
    return false;
}

// Holds the log for one write: interrupts off and g_lock held, except in a
// panic that could not get the lock (see the top of this file).
class Hold {
public:
    Hold() {
        if (!load(g_panicking)) {
            g_lock.lock();
            locked_ = true;
        } else if (!load(g_bypassing)) {
            locked_ = lock_for_panic();
            if (!locked_) store(g_bypassing, true);
        }
    }
    ~Hold() {
        if (locked_) g_lock.unlock();
    }
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;

private:
    InterruptSaveGuard interrupts_;  // constructed first, restored last
    bool locked_ = false;
};

ktl::string_view prefix(Level level) {
    switch (level) {
        case Level::Debug:
            return "debug: ";
        case Level::Warn:
            return "warning: ";
        case Level::Error:
            return "error: ";
        case Level::Info:
            break;
    }
    return "";
}

void write_locked(ktl::string_view text) {
    g_history.append(text);
    for (usize i = 0; i < g_sink_count; ++i) g_sinks[i]->write(text);
}
}  // namespace

void add_sink(Sink& sink) {
    const Hold hold;
    if (g_sink_count < kMaxSinks) {
        g_mid_line[g_sink_count] = false;
        g_sinks[g_sink_count++] = &sink;
    }
}

void remove_sink(Sink& sink) {
    const Hold hold;
    for (usize i = 0; i < g_sink_count; ++i) {
        if (g_sinks[i] != &sink) continue;
        for (usize j = i + 1; j < g_sink_count; ++j) {
            g_sinks[j - 1] = g_sinks[j];
            g_mid_line[j - 1] = g_mid_line[j];
        }
        --g_sink_count;
        return;
    }
}

void set_level(Level level) {
    __atomic_store_n(&g_level, static_cast<u8>(level), __ATOMIC_RELAXED);
}
Level level() { return static_cast<Level>(__atomic_load_n(&g_level, __ATOMIC_RELAXED)); }

void write(ktl::string_view text) {
    const Hold hold;
    write_locked(text);
}

void begin_panic() {
    store(g_panicking, true);
    const Hold hold;
    for (usize i = 0; i < g_sink_count; ++i) g_sinks[i]->begin_panic();
}

void flush() {
    const Hold hold;
    for (usize i = 0; i < g_sink_count; ++i) g_sinks[i]->flush();
}

void write_to(Sink& sink, ktl::string_view text) {
    const Hold hold;
    sink.write(text);
    if (text.empty()) return;
    for (usize i = 0; i < g_sink_count; ++i)
        if (g_sinks[i] == &sink) g_mid_line[i] = text[text.size() - 1] != '\n';
}

void set_style_of(Sink& sink, Style style) {
    const Hold hold;
    sink.set_style(style);
}

void bell_of(Sink& sink) {
    const Hold hold;
    sink.bell();
}

void clear_screen_of(Sink& sink) {
    const Hold hold;
    sink.clear_screen();
}

void move_view_of(Sink& sink, ViewMove move) {
    const Hold hold;
    sink.move_view(move);
}

void present_screens() {
    const Hold hold;
    for (usize i = 0; i < g_sink_count; ++i) g_sinks[i]->present_screen();
}

bool try_present_screens() {
    // A panic presents each of its lines itself.
    if (load(g_panicking)) return false;
    const InterruptSaveGuard interrupts;
    if (!g_lock.try_lock()) return false;
    for (usize i = 0; i < g_sink_count; ++i) g_sinks[i]->present_screen();
    g_lock.unlock();
    return true;
}

void with_log_held(void (*fn)(void*), void* context) {
    const Hold hold;
    fn(context);
}

HistoryRead read_history(u64 from, ktl::span<char> out) {
    const Hold hold;
    const History::Read r = g_history.read(from, out);
    return {r.size, r.next, r.dropped};
}

u64 history_end() {
    const Hold hold;
    return g_history.end();
}

namespace {
Style style_of(Level level) {
    switch (level) {
        case Level::Debug:
            return Style::Debug;
        case Level::Warn:
            return Style::Warning;
        case Level::Error:
            return Style::Error;
        case Level::Info:
            break;
    }
    return Style::Normal;
}
}  // namespace

void detail::emit(Level level, Style style, ktl::string_view line) {
    if (style == Style::Normal) style = style_of(level);
    const Hold hold;
    for (usize i = 0; i < g_sink_count; ++i)
        if (g_mid_line[i]) {
            g_sinks[i]->write("\n");
            g_mid_line[i] = false;
        }
    // The style ends before the newline, so a terminal's next line (the
    // shell's, or the next log line) starts plain.
    if (style != Style::Normal)
        for (usize i = 0; i < g_sink_count; ++i) g_sinks[i]->set_style(style);
    write_locked(prefix(level));
    write_locked(line);
    if (style != Style::Normal)
        for (usize i = 0; i < g_sink_count; ++i) g_sinks[i]->set_style(Style::Normal);
    write_locked("\n");
    // Warnings and errors are shown at once, not at the next frame: one
    // may be the last line before a halt with interrupts off (power.cpp's
    // "cannot power off"), which no tick would ever present.
    if (level >= Level::Warn)
        for (usize i = 0; i < g_sink_count; ++i) g_sinks[i]->present_screen();
}

void detail::vprint(Level lvl, Style style, ktl::string_view fmt, const kfmt::Arg* args,
                    usize count) {
    if (lvl < level()) return;
    kfmt::Buffer<512> line;
    kfmt::Sink sink(line);
    kfmt::vformat_to(sink, fmt, args, count);
    emit(lvl, style, line.view());
}

#ifdef KERNEL_HOST_TEST
void detail::reset_for_tests() {
    store(g_panicking, false);
    store(g_bypassing, false);
}
#endif

}  // namespace kernel::log

#include "kernel/log/log.hpp"

namespace kernel::log {

namespace {
constexpr usize kMaxSinks = 4;
Sink* g_sinks[kMaxSinks];
usize g_sink_count = 0;
Level g_level = Level::Info;

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
}  // namespace

void add_sink(Sink& sink) {
    if (g_sink_count < kMaxSinks) g_sinks[g_sink_count++] = &sink;
}

void set_level(Level level) { g_level = level; }
Level level() { return g_level; }

void write(ktl::string_view text) {
    for (usize i = 0; i < g_sink_count; ++i) g_sinks[i]->write(text);
}

void begin_panic() {
    for (usize i = 0; i < g_sink_count; ++i) g_sinks[i]->begin_panic();
}

void detail::emit(Level level, ktl::string_view line) {
    write(prefix(level));
    write(line);
    write("\n");
}

}  // namespace kernel::log

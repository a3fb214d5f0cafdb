#include "init/bench_console.hpp"

#include "init/boot_console.hpp"
#include "kernel/boot_state.hpp"
#include "kernel/console/text_grid.hpp"
#include "kernel/log/log.hpp"
#include "kernel/time/clock.hpp"

namespace init {
namespace {

namespace log = kernel::log;
using kernel::console::FramebufferConsole;

// Enough lines to scroll a 1024x768 screen (48 rows) ten times over.
constexpr u32 kLines = 500;

// Line `n`, exactly `columns` characters and a newline: a number, then
// printable ASCII starting at a different character on every line, so each
// row differs from its neighbours in nearly every cell (the worst case for
// a console that skips unchanged cells).
usize make_line(u32 n, u32 columns, char (&out)[FramebufferConsole::kMaxColumns + 1]) {
    usize length = 0;
    kfmt::Buffer<16> number;
    kfmt::format_to(number, "{:05} ", n);
    for (char c : number.view())
        if (length < columns) out[length++] = c;
    for (u32 i = 0; length < columns; ++i)
        out[length++] = static_cast<char>('!' + (n * 7 + i) % ('~' - '!' + 1));
    out[length++] = '\n';
    return length;
}

// How a run draws: straight into the framebuffer (no shadow) with the old
// every-cell redraw, presented on every write (before batching), or
// batched; or batched through the shadow in RAM (the kernel's default).
enum class Path : u8 { EveryCell, EveryWrite, BatchedDirect, Batched };

// Detaches the screen's shadow for a direct run (held in *kept) or gives
// it back, under the log's lock like every other change to how it draws.
struct ShadowSwap {
    FramebufferConsole* fb;
    ktl::span<u8>* kept;
    bool attach;
};
void swap_shadow(FramebufferConsole& fb, ktl::span<u8>& kept, bool attach) {
    ShadowSwap swap{&fb, &kept, attach};
    log::with_log_held(
        [](void* context) {
            auto& s = *static_cast<ShadowSwap*>(context);
            if (!s.attach) {
                *s.kept = s.fb->detach_shadow();
            } else if (!s.kept->empty()) {
                (void)s.fb->attach_shadow(*s.kept);  // the same memory: cannot be refused
                *s.kept = {};
            }
        },
        &swap);
}

struct Run {
    u64 ns;        // writing kLines lines, up to the screen showing the last
    u64 presents;  // presents meanwhile (the tick's included)
};

// Writes kLines lines through the screen's sink (under the log's lock, as
// the shell's answers are) and presents the rest: the time until the
// screen shows the last line.
Run time_lines(FramebufferConsole& fb, log::Sink& screen, Path path, u32 lines = kLines) {
    char line[FramebufferConsole::kMaxColumns + 1];
    const u32 columns = fb.grid().columns();
    log::present_screens();  // nothing of the previous run left to draw
    ktl::span<u8> shadow;
    if (path != Path::Batched) swap_shadow(fb, shadow, false);
    fb.set_redraw_unchanged(path == Path::EveryCell);
    fb.set_batching(path == Path::Batched || path == Path::BatchedDirect);
    const u64 presents = fb.presents();
    const u64 start = kernel::time::now_ns();
    for (u32 n = 0; n < lines; ++n) {
        const usize length = make_line(n, columns, line);
        log::write_to(screen, {line, length});
    }
    log::present_screens();
    const u64 elapsed = kernel::time::now_ns() - start;
    const Run run{elapsed, fb.presents() - presents};
    fb.set_redraw_unchanged(false);
    fb.set_batching(true);
    swap_shadow(fb, shadow, true);
    return run;
}

// The bound for the batched run: the same lines written straight into a
// text grid of the screen's size, in RAM, with no log and no pixels.
kernel::console::Cell g_grid_cells[FramebufferConsole::kMaxColumns * FramebufferConsole::kMaxRows];

u64 time_grid_only(const FramebufferConsole& fb) {
    kernel::console::TextGrid grid(ktl::span<kernel::console::Cell>(g_grid_cells),
                                   fb.grid().columns(), fb.grid().rows());
    char line[FramebufferConsole::kMaxColumns + 1];
    const u64 start = kernel::time::now_ns();
    for (u32 n = 0; n < kLines; ++n) grid.write({line, make_line(n, grid.columns(), line)});
    return kernel::time::now_ns() - start;
}

u64 lines_per_second(u64 ns) { return ns == 0 ? 0 : u64{kLines} * 1'000'000'000 / ns; }

}  // namespace

void run_console_bench() {
    FramebufferConsole* fb = framebuffer_console();
    log::Sink* screen = screen_sink();
    if (fb == nullptr || screen == nullptr) {
        log::warn(
            "bench: console: the screen is not the framebuffer console (boot with a "
            "framebuffer, e.g. UEFI): not run");
        return;
    }
    if (!kernel::time::clock_running()) {
        log::warn("bench: console: the monotonic clock does not run: not run");
        return;
    }
    // The baselines first, so the new path is not flattered by a screen
    // the old ones already drew.
    const Run every_cell = time_lines(*fb, *screen, Path::EveryCell);
    const Run every_write = time_lines(*fb, *screen, Path::EveryWrite);
    const Run direct = time_lines(*fb, *screen, Path::BatchedDirect);
    const Run batched = time_lines(*fb, *screen, Path::Batched);
    const u64 grid_only = time_grid_only(*fb);
    // What a user sees: a whole screen of new text, until it is all drawn.
    const u32 rows = fb->grid().rows();
    const Run screenful = time_lines(*fb, *screen, Path::Batched, rows);
    const boot::Framebuffer& info = kernel::boot_params().framebuffer;
    log::info("bench console: {} lines/s ({}x{} framebuffer)", lines_per_second(batched.ns),
              info.width, info.height);
    log::info("bench console: {} lines/s, every cell redrawn (baseline)",
              lines_per_second(every_cell.ns));
    log::info("bench console: {} lines/s, presented on every write (before batching)",
              lines_per_second(every_write.ns));
    log::info("bench console: {} lines/s, batched without a shadow (a scroll redraws the cells)",
              lines_per_second(direct.ns));
    if (!fb->has_shadow())
        log::warn("bench: console: the screen has no shadow: the first figure is drawn directly");
    const u64 hundredths = batched.ns == 0 ? 0 : every_cell.ns * 100 / batched.ns;
    log::info("bench console: {}.{:02}x the baseline, {} lines of {} columns", hundredths / 100,
              hundredths % 100, kLines, fb->grid().columns());
    const u64 vs_write = batched.ns == 0 ? 0 : every_write.ns * 100 / batched.ns;
    log::info("bench console: {}.{:02}x presenting on every write", vs_write / 100, vs_write % 100);
    log::info("bench console: {} lines/s into the cell grid alone (the bound)",
              lines_per_second(grid_only));
    log::info("bench console: a full screen ({} lines) scrolled in {} us (batched)", rows,
              screenful.ns / 1000);
    log::info("bench console: {} presents in {} ms for {} lines (batched)", batched.presents,
              batched.ns / 1'000'000, kLines);
}

}  // namespace init

#include "init/boot_console.hpp"

#include "arch/arch.hpp"
#include "arch/pc.h"
#include "drivers/vga/vga_text.hpp"
#include "kernel/console/font.hpp"
#include "kernel/console/framebuffer_console.hpp"
#include "kernel/log/log.hpp"
#include "kernel/mm/frame_allocator.hpp"
#include "kernel/time/clock.hpp"
#include "kernel/time/tick.hpp"
#include "lib/ktl/new.hpp"
#include "lib/units.hpp"

namespace init {

namespace {

using arch::directly_mapped;
using arch::phys_to_virt;
using drivers::VgaTextConsole;
using kernel::console::Console;

using kernel::console::Color;

// What each style looks like on the screen (white on black is kept for
// typed input, so it stands out from the light grey log).
Color color_of(kernel::log::Style style) {
    using kernel::log::Style;
    switch (style) {
        case Style::Debug:
            return Color::DarkGray;
        case Style::Warning:
            return Color::Yellow;
        case Style::Error:
            return Color::LightRed;
        case Style::Good:
            return Color::LightGreen;
        case Style::Prompt:
            return Color::LightCyan;
        case Style::Input:
            return Color::White;
        case Style::Normal:
            break;
    }
    return Color::LightGray;
}

// Adapts a console to the log's sink interface; panics switch it to
// white on red so a crash screen is unmistakable, and keep it so.
class ConsoleSink final : public kernel::log::Sink {
public:
    void attach(Console& console) { console_ = &console; }
    [[nodiscard]] Console* console() const { return console_; }
    // In a panic every line is drawn before the next is written: the report
    // must be on screen even if the panic itself faults or hangs halfway.
    void write(ktl::string_view text) override {
        console_->write(text);
        if (panicking_) console_->present_pending();
    }
    // The visual bell: the cursor's row inverted (TextGrid); the tick's
    // present ends it about 100 ms later. With no clock it shows until the
    // next write.
    void bell() override {
        console_->write("\a");
        if (kernel::time::clock_running())
            bell_at_ns_ = kernel::time::now_ns() | 1;  // never 0, which means none
    }
    void present_screen() override {
        console_->present_pending();
        if (bell_at_ns_ != 0 && kernel::time::now_ns() - bell_at_ns_ >= kBellNs) {
            bell_at_ns_ = 0;
            console_->end_bell();
        }
    }
    // Before power-off or a reset: the batched lines on screen, not only
    // in the grid (log::flush()).
    void flush() override { console_->present_pending(); }
    void begin_panic() override {
        panicking_ = true;
        console_->set_colors(Color::White, Color::Red);
    }
    void clear_screen() override { console_->clear(); }
    [[nodiscard]] u32 columns() const override { return console_->columns(); }
    void move_view(kernel::log::ViewMove move) override {
        using kernel::console::ViewMove;
        switch (move) {
            case kernel::log::ViewMove::PageBack:
                console_->move_view(ViewMove::PageBack);
                return;
            case kernel::log::ViewMove::PageForward:
                console_->move_view(ViewMove::PageForward);
                return;
            case kernel::log::ViewMove::Bottom:
                console_->move_view(ViewMove::Bottom);
                return;
        }
    }
    void set_style(kernel::log::Style style) override {
        if (!panicking_) console_->set_colors(color_of(style), Color::Black);
    }

private:
    static constexpr u64 kBellNs = 100'000'000;
    // When the last bell rang (now_ns() | 1), 0 when none shows. Read and
    // written under the log's lock, like every sink call.
    u64 bell_at_ns_ = 0;
    Console* console_ = nullptr;
    bool panicking_ = false;
};

ConsoleSink g_sink;
// Where the log's history stood when the screen became a sink: from there
// on the history holds exactly the text the screen was given, which the
// scrollback replays (start_screen_scrollback).
u64 g_screen_history_from = 0;

void add_screen_sink(Console& console) {
    g_sink.attach(console);
    g_screen_history_from = kernel::log::history_end();
    kernel::log::add_sink(g_sink);
}
// Twice the 500 rows: a boot log at loglevel=debug and a `log` or
// `pci -v` after it. 1000 x 128 columns x 2 bytes is 250 KiB at 1024x768.
constexpr u32 kScrollbackRows = 1000;
VgaTextConsole* g_vga = nullptr;
kernel::console::FramebufferConsole* g_fb = nullptr;
PhysAddr g_fb_phys;
// Constructed in place on demand: each console takes over its hardware in
// its constructor, so only the chosen one may be built.
alignas(VgaTextConsole) u8 g_vga_storage[sizeof(VgaTextConsole)];
alignas(kernel::console::FramebufferConsole) u8
    g_fb_storage[sizeof(kernel::console::FramebufferConsole)];

Console* start_vga() {
    auto* memory = phys_to_virt<volatile u16>(VGA_TEXT_ADDRESS);
    g_vga = new (g_vga_storage) VgaTextConsole(memory);
    return g_vga;
}

// Runs in the boot CPU's tick interrupt: only a try-lock of the log, which
// the interrupted code may hold (kernel/log/log.hpp, try_present_screens).
void present_screen_on_tick() { (void)kernel::log::try_present_screens(); }

Console* start_framebuffer(const boot::Framebuffer& fb, ktl::string_view& why) {
    // GRUB reports address 0 when the firmware's graphics output has no
    // linear framebuffer (virtio-gpu under OVMF): nothing to draw into.
    if (fb.address == PhysAddr{0}) {
        why =
            "the loader reported the framebuffer at address 0 (no linear framebuffer, e.g. "
            "virtio-gpu): serial only";
        return nullptr;
    }
    if (!directly_mapped(fb.range())) {
        why = "framebuffer above 4 GiB is not mapped yet: serial only";
        return nullptr;
    }
    kernel::console::FramebufferInfo info{phys_to_virt(fb.address),
                                          fb.pitch,
                                          fb.width,
                                          fb.height,
                                          fb.bpp,
                                          fb.red.position,
                                          fb.red.size,
                                          fb.green.position,
                                          fb.green.size,
                                          fb.blue.position,
                                          fb.blue.size};
    auto* console = new (g_fb_storage)
        kernel::console::FramebufferConsole(info, kernel::console::kTerminusFont);
    if (!console->usable()) {
        why = "the framebuffer's layout is unsupported: serial only";
        return nullptr;
    }
    g_fb = console;
    g_fb_phys = fb.address;
    // Batched drawing (docs/console.md, "Presenting"): writes are paced by
    // the monotonic clock once it runs, and the boot CPU's tick presents
    // what a burst left behind. The hook is in place before the tick starts.
    console->set_frame_clock(kernel::time::now_ns);
    kernel::time::set_tick_hook(present_screen_on_tick);
    return console;
}

}  // namespace

ConsoleChoice start_boot_console(const boot::Framebuffer& fb, kernel::options::Console requested) {
    bool text = fb.present && fb.kind == boot::FramebufferKind::EgaText;
    bool rgb = fb.present && fb.kind == boot::FramebufferKind::Rgb;

    ConsoleChoice choice{nullptr, ""};
    switch (requested) {
        case kernel::options::Console::Serial:
            choice.why = "console=serial: no screen output";
            break;
        case kernel::options::Console::Vga:
            choice = {start_vga(), "console=vga"};
            break;
        case kernel::options::Console::Framebuffer:
            if (!rgb) {
                choice.why = "console=fb, but the loader gave no RGB framebuffer: serial only";
                break;
            }
            choice.why = "console=fb";
            choice.console = start_framebuffer(fb, choice.why);
            break;
        case kernel::options::Console::Auto:
            if (text) {
                choice = {start_vga(), "the loader left VGA text mode"};
            } else if (rgb) {
                choice.why = "the loader set up an RGB framebuffer";
                choice.console = start_framebuffer(fb, choice.why);
            } else if (fb.present) {
                choice.why = "the loader's framebuffer is indexed (palette): serial only";
            } else if (VgaTextConsole::present()) {
                // Loaders that describe no screen (PVH) leave the PC's VGA
                // as the firmware set it up: text mode.
                choice = {start_vga(), "the loader reported no framebuffer; a VGA answers"};
            } else {
                choice.why = "the loader reported no framebuffer and no VGA answers: serial only";
            }
            break;
    }
    if (choice.console != nullptr) add_screen_sink(*choice.console);
    return choice;
}

ConsoleChoice start_fallback_console() {
    ConsoleChoice choice{start_vga(),
                         "the boot information is invalid and names no framebuffer: VGA text "
                         "assumed"};
    add_screen_sink(*choice.console);
    return choice;
}

void start_screen_scrollback() {
    Console* console = g_sink.console();
    if (console == nullptr) return;
    // The screen's text so far, unless the history already dropped some of
    // it (64 KiB: not at this point of a boot): then the ring starts empty
    // rather than with rows that do not line up with the screen's.
    const u64 shown_bytes = kernel::log::history_end() - g_screen_history_from;
    char* shown = new (std::nothrow) char[shown_bytes + 1];
    ktl::string_view text;
    if (shown != nullptr) {
        const kernel::log::HistoryRead read =
            kernel::log::read_history(g_screen_history_from, {shown, shown_bytes});
        if (read.dropped == 0) text = {shown, read.size};
    }
    const bool enabled = console->enable_scrollback(kScrollbackRows, text);
    delete[] shown;
    if (enabled)
        kernel::log::info("console: {} rows of scrollback (Shift+PgUp, Shift+PgDn)",
                          kScrollbackRows);
    else
        kernel::log::warn("console: no room on the heap for {} rows of scrollback",
                          kScrollbackRows);
}

namespace {

// What a heap block of `bytes` takes: a power of two of pages, with room
// for the block's header (kernel/mm/heap.hpp; a page is more than enough).
u64 heap_block_bytes(u64 bytes) {
    u64 block = kPageSize;
    while (block < bytes + kPageSize) block <<= 1;
    return block;
}

struct ShadowAttach {
    kernel::console::FramebufferConsole* console = nullptr;
    ktl::span<u8> memory;
    bool attached = false;
};

}  // namespace

void start_screen_shadow(kfmt::Buffer<128>& text) {
    if (g_fb == nullptr) return;
    const u64 bytes = g_fb->shadow_bytes();
    const u64 kib = (bytes + kKiB - 1) / kKiB;
    // The screen is worth a share of the machine, not all of it: a small
    // one (-m 16M) keeps its RAM, and its console redraws the cells a
    // scroll changes instead (still never reading the framebuffer).
    const u64 free = kernel::mm::frame_allocator().with([](kernel::mm::BuddyAllocator& b) {
        return b.free_frames();
    }) * kPageSize;
    if (heap_block_bytes(bytes) > free / 8) {
        kfmt::format_to(text,
                        "drawn directly (a {} KiB shadow would take more than 1/8 of the {} "
                        "MiB free)",
                        kib, free / kMiB);
        return;
    }
    // Allocated outside the log's lock: an allocation that fails may log.
    u8* memory = new (std::nothrow) u8[bytes];
    if (memory == nullptr) {
        kfmt::format_to(text, "drawn directly (no room on the heap for a {} KiB shadow)", kib);
        return;
    }
    // The console is drawn under the log's lock (the tick presents through
    // a try-lock of it): attaching takes it too.
    ShadowAttach attach{g_fb, {memory, bytes}, false};
    kernel::log::with_log_held(
        [](void* context) {
            auto& a = *static_cast<ShadowAttach*>(context);
            a.attached = a.console->attach_shadow(a.memory);
        },
        &attach);
    if (!attach.attached) {
        delete[] memory;
        kfmt::format_to(text, "drawn directly (the console refused a {} KiB shadow)", kib);
        return;
    }
    kfmt::format_to(text, "drawn through a {} KiB shadow", kib);
}

kernel::console::FramebufferConsole* framebuffer_console() { return g_fb; }

kernel::log::Sink* screen_sink() { return g_sink.console() != nullptr ? &g_sink : nullptr; }

void relocate_boot_console_to_direct_map() {
    if (g_vga != nullptr) g_vga->relocate(phys_to_virt<volatile u16>(VGA_TEXT_ADDRESS));
    if (g_fb != nullptr) g_fb->relocate(phys_to_virt(g_fb_phys));
}

}  // namespace init

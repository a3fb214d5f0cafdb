// Fuzzes what reaches the shell from a user's hands: any bytes, read as a
// PS/2 keyboard's scancodes (set 1 or 2, any keymap), a serial terminal's
// bytes, or a PS/2 mouse's packets. Input layout:
//   [config] then the bytes of the chosen source
//   config bits 0-1: source (0, 3: serial; 1: keyboard set 1; 2: set 2);
//          bits 2-3: keymap index; bit 4: mouse (IntelliMouse if bit 5)
// The keys go the way the kernel sends them (kernel/shell/key_bytes,
// then the line editor) to a model screen, and the screen is the oracle:
//   - it only ever holds printable ASCII (nothing raw is echoed);
//   - the cursor's row starts with the prompt after every key;
//   - a finished line is exactly what the user saw after the prompt, at
//     most LineEditor::kCapacity bytes of printable ASCII.
// Mouse packets: no crash, and each event's buttons are the three known.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fake_screen.hpp"
#include "fuzz_check.hpp"
#include "kernel/input/keyboard.hpp"
#include "kernel/input/keymap.hpp"
#include "kernel/input/mouse.hpp"
#include "kernel/input/terminal.hpp"
#include "kernel/shell/key_bytes.hpp"
#include "kernel/shell/line_editor.hpp"

namespace {

using kernel::shell::LineEditor;

constexpr std::string_view kPrompt = "keel> ";

bool printable(char c) { return c >= 0x20 && c <= 0x7E; }

using fake_screen::Screen;

usize complete(ktl::string_view, ktl::string_view word, ktl::span<ktl::string_view> out) {
    static constexpr ktl::string_view kNames[] = {"help", "halt", "history", "date", "echo"};
    usize found = 0;
    for (const ktl::string_view name : kNames) {
        if (found < out.size() && name.size() >= word.size() && name.substr(0, word.size()) == word)
            out[found++] = name;
    }
    return found;
}

struct Shell {
    Screen screen;
    LineEditor editor{screen, {kPrompt.data(), kPrompt.size()}, complete};

    Shell() { editor.start(); }

    void type(char byte) {
        const LineEditor::Event e = editor.feed(byte);
        if (e == LineEditor::Event::Line) {
            const ktl::string_view line = editor.line();
            FUZZ_CHECK(line.size() <= LineEditor::kCapacity);
            for (char c : line) FUZZ_CHECK(printable(c));
            // The row the Enter left: the prompt and the line, as shown.
            FUZZ_CHECK(screen.lines.size() >= 2);
            const std::string shown = Screen::trimmed(screen.lines[screen.lines.size() - 2]);
            const std::string expected =
                Screen::trimmed(std::string(kPrompt) + std::string(line.data(), line.size()));
            FUZZ_CHECK(shown == expected);
        }
        if (e != LineEditor::Event::None) editor.start();  // as the shell does
        FUZZ_CHECK(!screen.unprintable);
        FUZZ_CHECK(screen.lines.back().compare(0, kPrompt.size(), kPrompt) == 0);
        FUZZ_CHECK(screen.column >= kPrompt.size() &&
                   screen.column <= kPrompt.size() + LineEditor::kCapacity);
    }

    void key(const kernel::input::KeyEvent& k) {
        char bytes[kernel::shell::kMaxKeyBytes];
        const usize n = kernel::shell::key_bytes(k, {bytes, sizeof bytes});
        FUZZ_CHECK(n <= sizeof bytes);
        for (usize i = 0; i < n; ++i) type(bytes[i]);
    }
};

void fuzz_keyboard(const uint8_t* data, size_t size, kernel::input::ScancodeSet set,
                   const kernel::input::Keymap& map) {
    Shell shell;
    kernel::input::KeyboardDecoder keyboard(set);
    keyboard.set_keymap(&map);
    for (size_t i = 0; i < size; ++i) {
        const kernel::input::KeyboardOutput out = keyboard.feed(data[i]);
        if (out.leds_changed) FUZZ_CHECK(out.leds == keyboard.leds());
        FUZZ_CHECK((keyboard.leds() & ~0x7U) == 0);
        if (out.has_event) shell.key(out.event);
    }
}

void fuzz_serial(const uint8_t* data, size_t size) {
    Shell shell;
    kernel::input::TerminalDecoder terminal;
    kernel::input::KeyEvent keys[2];
    for (size_t i = 0; i < size; ++i) {
        const u8 n = terminal.feed(data[i], keys);
        FUZZ_CHECK(n <= 2);
        for (u8 k = 0; k < n; ++k) shell.key(keys[k]);
    }
    kernel::input::KeyEvent last{};
    if (terminal.flush(last)) shell.key(last);
    FUZZ_CHECK(!terminal.pending());
}

void fuzz_mouse(const uint8_t* data, size_t size, bool wheel) {
    kernel::input::MousePacketDecoder mouse(wheel);
    kernel::input::MouseEvent event{};
    u64 events = 0;
    for (size_t i = 0; i < size; ++i) {
        if (!mouse.feed(data[i], event)) continue;
        ++events;
        FUZZ_CHECK((event.buttons & ~0x7U) == 0);
        FUZZ_CHECK(event.dx >= -256 && event.dx <= 255 && event.dy >= -256 && event.dy <= 255);
        if (!wheel) FUZZ_CHECK(event.wheel == 0);
    }
    FUZZ_CHECK(mouse.stats().packets == events);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const uint8_t config = data[0];
    ++data;
    --size;
    if ((config & 0x10) != 0) {
        fuzz_mouse(data, size, (config & 0x20) != 0);
        return 0;
    }
    const ktl::span<const kernel::input::Keymap> maps = kernel::input::generated_keymaps();
    FUZZ_CHECK(!maps.empty());
    const kernel::input::Keymap& map = maps[((config >> 2) & 3) % maps.size()];
    switch (config & 3) {
        case 1:
            fuzz_keyboard(data, size, kernel::input::ScancodeSet::Set1, map);
            break;
        case 2:
            fuzz_keyboard(data, size, kernel::input::ScancodeSet::Set2, map);
            break;
        default:
            fuzz_serial(data, size);
            break;
    }
    return 0;
}

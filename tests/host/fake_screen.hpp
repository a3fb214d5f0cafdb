// A model of the terminal the shell's line editor draws on
// (kernel::shell::Terminal): `width` columns; backspace moves left but not
// past column 0 (as Keel's consoles and a VT100 do), CR goes to column 0, LF
// starts a row, anything else overwrites the cell at the cursor, a row
// full wraps to the next. Tests and the input fuzzer assert what a user
// would see on it, not the bytes sent.
// Shared by tests/host/line_editor_test.cpp and tests/fuzz/input_fuzz.cpp.
#pragma once

#include <string>
#include <vector>

#include "kernel/shell/line_editor.hpp"

namespace fake_screen {

struct Screen final : kernel::shell::Terminal {
    std::vector<std::string> lines{""};
    size_t column = 0;
    size_t width = 80;
    int bells = 0;
    int clears = 0;
    // Whether a byte outside printable ASCII was ever written as text.
    bool unprintable = false;

    void write(ktl::string_view text) override {
        for (char c : text) {
            if (c == '\b') {
                if (column > 0) --column;
            } else if (c == '\r') {
                column = 0;
            } else if (c == '\n') {
                lines.emplace_back();
            } else {
                if (c < 0x20 || c > 0x7E) unprintable = true;
                if (column == width) {  // the row is full: wrap
                    lines.emplace_back();
                    column = 0;
                }
                std::string& line = lines.back();
                if (line.size() <= column) line.resize(column + 1, ' ');
                line[column++] = c;
            }
        }
    }
    void bell() override { ++bells; }
    [[nodiscard]] u32 columns() const override { return static_cast<u32>(width); }
    void clear_screen() override {
        ++clears;
        lines = {""};
        column = 0;
    }
    // A row without its trailing blanks.
    static std::string trimmed(std::string s) {
        while (!s.empty() && s.back() == ' ') s.pop_back();
        return s;
    }
    // The current row without trailing blanks.
    [[nodiscard]] std::string current() const { return trimmed(lines.back()); }
};

}  // namespace fake_screen

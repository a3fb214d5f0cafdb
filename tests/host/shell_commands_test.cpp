// The shell's commands whose answers are portable (src/kernel/shell/
// commands/): date from the wall clock, keymap's setter and its messages,
// and the irq table's rows. What the user's side sees, byte for byte.
#include <gtest/gtest.h>

#include <string>

#include "kernel/input/keymap.hpp"
#include "kernel/shell/commands/commands.hpp"
#include "kernel/shell/commands/irq_table.hpp"
#include "kernel/shell/dispatch.hpp"
#include "kernel/shell/registry.hpp"
#include "kernel/time/clock.hpp"
#include "kernel/time/wall_clock.hpp"

namespace {

using kernel::shell::Io;

struct TextIo final : Io {
    std::string text;
    void write(ktl::string_view t) override { text.append(t.data(), t.size()); }
    void bell() override {}
    void clear_screen() override {}
    bool interrupted() override { return false; }
};

struct ShellCommands : testing::Test {
    kernel::shell::Registry commands;
    TextIo io;
    void SetUp() override {
        namespace c = kernel::shell::commands;
        ASSERT_TRUE(commands.add(c::kDate));
        ASSERT_TRUE(commands.add(c::kKeymap));
    }
    std::string run(const char* line) {
        io.text.clear();
        kernel::shell::execute(io, commands, line);
        return io.text;
    }
};

u64 g_counter = 0;
u64 counter() { return g_counter; }

// The suite runs in a process of its own (tests/CMakeLists.txt), so the
// clock starts here: unset first, then at a date 75 s before "now".
TEST_F(ShellCommands, DateSaysWhenTheClockIsUnknownThenPrintsUtc) {
    EXPECT_EQ(run("date"), "date: unknown (the battery-backed clock was not read at boot)\n");
    kernel::time::start_clock(counter, 0, 1'000'000'000);  // 1 GHz: a tick is a ns
    g_counter = 3'000'000'000ULL;
    kernel::time::set_wall_clock({2026, 11, 29, 14, 1, 57}, kernel::time::now_ns());
    g_counter += 75'000'000'000ULL;
    EXPECT_EQ(run("date"), "2026-11-29 14:03:12 UTC\n");
    EXPECT_EQ(run("date now"), "usage: date\n");
}

TEST_F(ShellCommands, KeymapShowsSetsAndRefusesUnknownNames) {
    const std::string known =
        std::string("(known: ") +
        std::string(kernel::input::keymap_names().data(), kernel::input::keymap_names().size()) +
        ")";
    EXPECT_EQ(run("keymap"), "keymap: us " + known + "\n");
    EXPECT_EQ(run("keymap de"), "keymap: de\n");
    EXPECT_EQ(kernel::input::current_keymap().name, "de");
    EXPECT_EQ(run("keymap"), "keymap: de " + known + "\n");
    const std::string out = run("keymap dvorak");
    EXPECT_EQ(out.rfind("keymap: unknown keymap 'dvorak'\nusage: keymap [name]\n  one of:", 0), 0U)
        << out;
    for (const kernel::input::Keymap& map : kernel::input::generated_keymaps())
        EXPECT_NE(out.find(" " + std::string(map.name.data(), map.name.size())), std::string::npos)
            << out;
    EXPECT_EQ(kernel::input::current_keymap().name, "de");  // unchanged
    EXPECT_EQ(run("keymap us de"), "usage: keymap [name]\n  one of: us de fr uk\n");
    ASSERT_TRUE(kernel::input::set_keymap("us"));
}

TEST_F(ShellCommands, KeymapTabCompletesTheNames) {
    ktl::string_view out[8];
    ASSERT_EQ(commands.complete("keymap ", "d", {out, 8}), 1U);
    EXPECT_EQ(out[0], "de");
}

TEST(IrqTable, RowsShowEachLineAndTheCounters) {
    TextIo io;
    kernel::shell::commands::print_irq_header(io);
    kernel::shell::commands::print_irq_tick(io, 100, 1234);
    kernel::irq::LineInfo com1{
        "com1", 4,     4,    0x31, kernel::irq::Trigger::Edge, kernel::irq::Polarity::ActiveHigh,
        17,     false, false};
    kernel::shell::commands::print_irq_line(io, com1);
    kernel::irq::LineInfo pci{"virtio-net",
                              0xFF,
                              22,
                              0x40,
                              kernel::irq::Trigger::Level,
                              kernel::irq::Polarity::ActiveLow,
                              123456789012,
                              true,
                              true};
    kernel::shell::commands::print_irq_line(io, pci);
    kernel::shell::commands::print_irq_counters(io, {1, 2, 3, 4, 5});
    EXPECT_EQ(
        io.text,
        "line             isa  gsi  vector  trigger  polarity         count\n"
        "timer            -    -    -       local APIC timer, 100 Hz     1234\n"
        "com1             4    4    0x31    edge     active-high         17\n"
        "virtio-net       -    22   0x40    level    active-low  123456789012  masked (storm)\n"
        "unexpected 1, APIC spurious 2, PIC spurious 3, APIC errors 4, storms 5\n");
}

}  // namespace

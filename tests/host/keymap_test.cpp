// The keymaps generated from Debian's console-data (tools/kmap2cpp.py):
// known characters of each map, and the names `keymap=` accepts.
#include <gtest/gtest.h>

#include "kernel/input/keymap.hpp"

namespace {

using namespace kernel::input;

constexpr u8 kQ = 16, kY = 21, kA = 30, kZ = 44, k3 = 4, k2 = 3, kW = 17, kM = 50, k102 = 86;

const Keymap& map(const char* name) {
    const Keymap* m = find_keymap(name);
    EXPECT_NE(m, nullptr) << name;
    return *m;
}

TEST(Keymap, AllFourMapsAreThereByName) {
    EXPECT_EQ(keymap_names(), "us, de, fr, uk");
    EXPECT_EQ(find_keymap("xx"), nullptr);
    EXPECT_EQ(find_keymap(""), nullptr);
}

TEST(Keymap, UsIsQwerty) {
    const Keymap& us = map("us");
    EXPECT_EQ(keymap_char(us, kQ, Level::Plain), U'q');
    EXPECT_EQ(keymap_char(us, kY, Level::Plain), U'y');
    EXPECT_EQ(keymap_char(us, kZ, Level::Shift), U'Z');
    EXPECT_EQ(keymap_char(us, k2, Level::Shift), U'@');
    EXPECT_EQ(keymap_char(us, k3, Level::Shift), U'#');
    EXPECT_TRUE(keymap_caps(us, kA));
    EXPECT_FALSE(keymap_caps(us, k3));
}

TEST(Keymap, GermanSwapsYAndZAndHasAtOnAltGrQ) {
    const Keymap& de = map("de");
    EXPECT_EQ(keymap_char(de, kY, Level::Plain), U'z');
    EXPECT_EQ(keymap_char(de, kZ, Level::Plain), U'y');
    EXPECT_EQ(keymap_char(de, kQ, Level::AltGr), U'@');
    EXPECT_EQ(keymap_char(de, k3, Level::Shift), U'§');
    EXPECT_EQ(keymap_char(de, 12, Level::Plain), U'ß');
    EXPECT_EQ(keymap_char(de, 39, Level::Plain), U'ö');
    EXPECT_EQ(keymap_char(de, 39, Level::Shift), U'Ö');
    EXPECT_TRUE(keymap_caps(de, 39));  // + in the map: Caps Lock acts on ö
    EXPECT_EQ(keymap_char(de, kM, Level::AltGr), U'µ');
}

TEST(Keymap, FrenchIsAzerty) {
    const Keymap& fr = map("fr");
    EXPECT_EQ(keymap_char(fr, kQ, Level::Plain), U'a');
    EXPECT_EQ(keymap_char(fr, kA, Level::Plain), U'q');
    EXPECT_EQ(keymap_char(fr, kW, Level::Plain), U'z');
    EXPECT_EQ(keymap_char(fr, kZ, Level::Plain), U'w');
    EXPECT_EQ(keymap_char(fr, k2, Level::Plain), U'é');
    EXPECT_EQ(keymap_char(fr, k2, Level::Shift), U'2');
}

TEST(Keymap, UkHasThePoundOnShift3) {
    const Keymap& uk = map("uk");
    EXPECT_EQ(keymap_char(uk, k3, Level::Shift), U'£');
    EXPECT_EQ(keymap_char(uk, k2, Level::Shift), U'"');
    EXPECT_EQ(keymap_char(uk, k102, Level::Plain), U'\\');
}

TEST(Keymap, EmptyLevelsFallBackToPlainExceptAltGr) {
    const Keymap& us = map("us");
    EXPECT_EQ(keymap_char(us, 57, Level::Shift), U' ');  // space has no shift column
    EXPECT_EQ(keymap_char(us, 4, Level::AltGr), 0U);     // AltGr-3 types nothing on us
    EXPECT_EQ(keymap_char(us, 200, Level::Plain), 0U);
}

TEST(Keymap, RuntimeSetterRefusesUnknownNames) {
    EXPECT_EQ(current_keymap().name, "us");
    EXPECT_TRUE(set_keymap("fr"));
    EXPECT_EQ(current_keymap().name, "fr");
    EXPECT_FALSE(set_keymap("klingon"));
    EXPECT_EQ(current_keymap().name, "fr");
    EXPECT_TRUE(set_keymap("us"));
}

}  // namespace

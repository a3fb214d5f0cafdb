// The keyboard decoder (src/kernel/input/scancode.*, keyboard.*): recorded
// scancode bytes in, the key events a user would expect out.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kernel/input/describe.hpp"
#include "kernel/input/keyboard.hpp"

namespace {

using namespace kernel::input;

// Every event the bytes give, in describe_event's words.
std::vector<std::string> decode(KeyboardDecoder& kb, std::initializer_list<int> bytes,
                                std::vector<int>* leds = nullptr) {
    std::vector<std::string> lines;
    for (int b : bytes) {
        const KeyboardOutput out = kb.feed(static_cast<u8>(b));
        if (out.leds_changed && leds != nullptr) leds->push_back(out.leds);
        if (!out.has_event) continue;
        Event e;
        e.key = out.event;
        EventText text;
        describe_event(e, text);
        lines.emplace_back(text.c_str());
    }
    return lines;
}

KeyboardDecoder us(ScancodeSet set = ScancodeSet::Set1) {
    KeyboardDecoder kb(set);
    kb.set_keymap(find_keymap("us"));
    return kb;
}

using Lines = std::vector<std::string>;

TEST(Keyboard, Set1LetterMakeAndBreak) {
    auto kb = us();
    EXPECT_EQ(decode(kb, {0x1E, 0x9E}), (Lines{"key: press 'a'", "key: release 'a'"}));
}

TEST(Keyboard, ShiftGivesCapitalsAndSymbols) {
    auto kb = us();
    EXPECT_EQ(decode(kb, {0x2A, 0x1E, 0x9E, 0x03, 0x83, 0xAA}),
              (Lines{"key: press Shift shift", "key: press 'A' shift", "key: release 'A' shift",
                     "key: press '@' shift", "key: release '@' shift", "key: release Shift"}));
}

TEST(Keyboard, CapsLockTogglesLettersOnlyAndItsLed) {
    auto kb = us();
    std::vector<int> leds;
    EXPECT_EQ(decode(kb, {0x3A, 0xBA, 0x1E, 0x02, 0x2A, 0x1E}, &leds),
              (Lines{"key: press CapsLock caps", "key: release CapsLock caps",
                     "key: press 'A' caps", "key: press '1' caps", "key: press Shift shift caps",
                     "key: repeat 'a' shift caps"}));
    EXPECT_EQ(leds, (std::vector<int>{led::kCapsLock}));
    leds.clear();
    decode(kb, {0x3A, 0xBA}, &leds);  // off again
    EXPECT_EQ(leds, (std::vector<int>{0}));
}

TEST(Keyboard, HeldKeyRepeatsAreMarked) {
    auto kb = us();
    EXPECT_EQ(decode(kb, {0x1F, 0x1F, 0x1F, 0x9F}),
              (Lines{"key: press 's'", "key: repeat 's'", "key: repeat 's'", "key: release 's'"}));
}

TEST(Keyboard, CtrlCIsTheLetterWithCtrl) {
    auto kb = us();
    EXPECT_EQ(decode(kb, {0x1D, 0x2E, 0xAE, 0x9D}),
              (Lines{"key: press Ctrl ctrl", "key: press 'c' ctrl", "key: release 'c' ctrl",
                     "key: release Ctrl"}));
}

TEST(Keyboard, ExtendedKeysSet1) {
    auto kb = us();
    // Arrows, the right Ctrl and Alt(Gr), keypad Enter and /, Delete; the
    // fake shifts E0 2A / E0 AA around them are not keys.
    EXPECT_EQ(decode(kb, {0xE0, 0x2A, 0xE0, 0x4B, 0xE0, 0xCB, 0xE0, 0xAA, 0xE0, 0x48, 0xE0, 0x53,
                          0xE0, 0x1C, 0xE0, 0x35, 0xE0, 0x1D}),
              (Lines{"key: press Left", "key: release Left", "key: press Up", "key: press Delete",
                     "key: press Enter", "key: press '/'", "key: press Ctrl ctrl"}));
}

TEST(Keyboard, PauseSequencesGiveOnePress) {
    auto kb = us();
    EXPECT_EQ(decode(kb, {0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5, 0x1E}),
              (Lines{"key: press Other", "key: press 'a'"}));
    auto kb2 = us(ScancodeSet::Set2);
    EXPECT_EQ(decode(kb2, {0xE1, 0x14, 0x77, 0xE1, 0xF0, 0x14, 0xF0, 0x77, 0x1C}),
              (Lines{"key: press Other", "key: press 'a'"}));
}

TEST(Keyboard, Set2MakeBreakAndExtended) {
    auto kb = us(ScancodeSet::Set2);
    // a, shift-b, E0 6B (Left) make and break, F1, Esc.
    EXPECT_EQ(
        decode(kb, {0x1C, 0xF0, 0x1C, 0x12, 0x32, 0xF0, 0x32, 0xF0, 0x12, 0xE0, 0x6B, 0xE0, 0xF0,
                    0x6B, 0x05, 0x76}),
        (Lines{"key: press 'a'", "key: release 'a'", "key: press Shift shift",
               "key: press 'B' shift", "key: release 'B' shift", "key: release Shift",
               "key: press Left", "key: release Left", "key: press F1", "key: press Escape"}));
}

TEST(Keyboard, KeypadFollowsNumLock) {
    auto kb = us();
    std::vector<int> leds;
    // Num Lock off: keypad 7 is Home, 8 Up, . Delete; * and + type anyway.
    EXPECT_EQ(decode(kb, {0x47, 0x48, 0x53, 0x37, 0x4E}),
              (Lines{"key: press Home", "key: press Up", "key: press Delete", "key: press '*'",
                     "key: press '+'"}));
    decode(kb, {0xC7, 0xC8, 0xD3});
    EXPECT_EQ(decode(kb, {0x45, 0xC5, 0x47, 0x48, 0x53}, &leds),
              (Lines{"key: press NumLock num", "key: release NumLock num", "key: press '7' num",
                     "key: press '8' num", "key: press '.' num"}));
    EXPECT_EQ(leds, (std::vector<int>{led::kNumLock}));
}

TEST(Keyboard, ScrollLockLedAndLocksCombine) {
    auto kb = us();
    std::vector<int> leds;
    decode(kb, {0x46, 0xC6, 0x3A, 0xBA, 0x45, 0xC5}, &leds);
    EXPECT_EQ(leds, (std::vector<int>{led::kScrollLock, led::kScrollLock | led::kCapsLock,
                                      led::kScrollLock | led::kCapsLock | led::kNumLock}));
}

TEST(Keyboard, AltGrUsesTheMapsThirdColumn) {
    KeyboardDecoder kb;
    kb.set_keymap(find_keymap("de"));
    // AltGr (E0 38) + q = @ on a German keyboard; AltGr + 7 = {.
    EXPECT_EQ(decode(kb, {0xE0, 0x38, 0x10, 0x90, 0x08}),
              (Lines{"key: press AltGr altgr", "key: press '@' altgr", "key: release '@' altgr",
                     "key: press '{' altgr"}));
}

TEST(Keyboard, BreakOfAKeyNeverPressedIsIgnored) {
    auto kb = us();
    EXPECT_TRUE(decode(kb, {0x9E, 0xAA}).empty());
}

TEST(Keyboard, OverrunAndUnknownCodesDoNotBreakTheStream) {
    auto kb = us();
    EXPECT_EQ(decode(kb, {0xFF, 0x1E, 0xE0, 0x6D, 0x1F}),
              (Lines{"key: press 'a'", "key: press Other", "key: press 's'"}));
}

}  // namespace

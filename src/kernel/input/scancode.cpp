#include "kernel/input/scancode.hpp"

namespace kernel::input {
namespace {

constexpr u8 kExtended = 0xE0;
constexpr u8 kPause = 0xE1;
constexpr u8 kSet2Break = 0xF0;
constexpr u8 kSet1Break = 0x80;
// Key detection errors or buffer overruns (set 1 sends 0xFF, set 2 0x00).
constexpr u8 kOverrunSet1 = 0xFF, kOverrunSet2 = 0x00;
// Pause sends no break: set 1 E1 1D 45 E1 9D C5, set 2 E1 14 77 E1 F0 14 F0 77.
constexpr u8 kPauseTailSet1 = 5, kPauseTailSet2 = 7;

// Set 2 make codes to set 1: the table the 8042's translation applies
// (0 = no key). The E0 keys use the same table for their second byte.
// One row of 16 per line, as the codes are read.
// clang-format off
constexpr u8 kSet2ToSet1[0x84] = {
    0, 0x43, 0, 0x3F, 0x3D, 0x3B, 0x3C, 0x58, 0, 0x44, 0x42, 0x40, 0x3E, 0x0F, 0x29, 0,  // 0x00
    0, 0x38, 0x2A, 0, 0x1D, 0x10, 0x02, 0, 0, 0, 0x2C, 0x1F, 0x1E, 0x11, 0x03, 0x5B,  // 0x10
    0, 0x2E, 0x2D, 0x20, 0x12, 0x05, 0x04, 0x5C, 0, 0x39, 0x2F, 0x21, 0x14, 0x13, 0x06, 0x5D,  // 0x20
    0, 0x31, 0x30, 0x23, 0x22, 0x15, 0x07, 0, 0, 0, 0x32, 0x24, 0x16, 0x08, 0x09, 0,  // 0x30
    0, 0x33, 0x25, 0x17, 0x18, 0x0B, 0x0A, 0, 0, 0x34, 0x35, 0x26, 0x27, 0x19, 0x0C, 0,  // 0x40
    0, 0, 0x28, 0, 0x1A, 0x0D, 0, 0, 0x3A, 0x36, 0x1C, 0x1B, 0, 0x2B, 0, 0,  // 0x50
    0, 0x56, 0, 0, 0, 0, 0x0E, 0, 0, 0x4F, 0, 0x4B, 0x47, 0, 0, 0,  // 0x60
    0x52, 0x53, 0x50, 0x4C, 0x4D, 0x48, 0x01, 0x45, 0x57, 0x4E, 0x51, 0x4A, 0x37, 0x49, 0x46, 0,  // 0x70
    0, 0, 0, 0x41,  // 0x80
};
// clang-format on

// Set 1 codes after E0 to keycodes (0: none).
u8 extended_keycode(u8 code) {
    switch (code) {
        case 0x1C:
            return keycode::kKpEnter;
        case 0x1D:
            return keycode::kRightCtrl;
        case 0x35:
            return keycode::kKpSlash;
        case 0x37:
            return keycode::kSysRq;
        case 0x38:
            return keycode::kRightAlt;
        case 0x47:
            return keycode::kHome;
        case 0x48:
            return keycode::kUp;
        case 0x49:
            return keycode::kPageUp;
        case 0x4B:
            return keycode::kLeft;
        case 0x4D:
            return keycode::kRight;
        case 0x4F:
            return keycode::kEnd;
        case 0x50:
            return keycode::kDown;
        case 0x51:
            return keycode::kPageDown;
        case 0x52:
            return keycode::kInsert;
        case 0x53:
            return keycode::kDelete;
        case 0x5B:
            return keycode::kLeftMeta;
        case 0x5C:
            return keycode::kRightMeta;
        case 0x5D:
            return keycode::kCompose;
        default:
            return keycode::kUnknown;
    }
}

}  // namespace

bool ScancodeDecoder::finish(u8 code, bool released, KeyTransition& out) {
    const bool extended = extended_;
    extended_ = false;
    released_ = false;
    if (extended) {
        // E0 2A / E0 36: the fake shifts around extended keys under Num
        // Lock or Shift; they are not keys.
        if (code == 0x2A || code == 0x36) return false;
        out = {extended_keycode(code), !released};
        return true;
    }
    if (code == 0) return false;
    // Set 1 codes below 0x59 are the keycodes themselves.
    out = {code < 0x59 ? code : keycode::kUnknown, !released};
    return true;
}

bool ScancodeDecoder::feed(u8 byte, KeyTransition& out) {
    if (pause_left_ != 0) {
        if (--pause_left_ == 0) {
            out = {keycode::kPause, true};
            return true;
        }
        return false;
    }
    if (byte == kExtended) {
        extended_ = true;
        return false;
    }
    if (byte == kPause) {
        extended_ = false;
        released_ = false;
        pause_left_ = set_ == ScancodeSet::Set1 ? kPauseTailSet1 : kPauseTailSet2;
        return false;
    }
    if (set_ == ScancodeSet::Set1) {
        if (byte == kOverrunSet1) return false;
        return finish(static_cast<u8>(byte & ~kSet1Break), (byte & kSet1Break) != 0, out);
    }
    if (byte == kSet2Break) {
        released_ = true;
        return false;
    }
    if (byte == kOverrunSet2 || byte >= sizeof kSet2ToSet1) {
        extended_ = false;
        released_ = false;
        return false;
    }
    return finish(kSet2ToSet1[byte], released_, out);
}

}  // namespace kernel::input

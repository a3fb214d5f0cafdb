// The entry into src/boot/: turns what the loader handed over into
// BootParams. The caller (src/init/) only knows that the loader left a
// magic number and a physical address; which protocol that is, and how its
// data is laid out, stays here.
#pragma once

#include "boot/params.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace boot {

struct Handoff {
    u32 magic;      // the loader's magic number (EAX at entry)
    u64 info_phys;  // its information structure (EBX at entry)
};

// How src/boot/ reads physical memory it is told about: a pointer to
// [phys, phys + size) or null when that range is not reachable.
using PhysReader = const u8* (*)(u64 phys, u64 size);

struct DescribeResult {
    ktl::string_view error;  // empty on success, else what is wrong, in words
    bool has_item{};         // the error is about one item of the structure:
    u32 item_type{};         // its type
    u32 item_offset{};       // and offset
    [[nodiscard]] bool ok() const { return error.empty(); }
};

// Validates the loader's information and fills `out`; on failure `out`
// holds whatever could be decoded before the error (the command line and
// framebuffer, when they came first), so a panic can still reach a screen.
[[nodiscard]] DescribeResult describe(Handoff handoff, PhysReader read, BootParams& out);

// The raw bytes of the loader's information (for the dump-mbi option).
[[nodiscard]] ktl::span<const u8> raw_info(const BootParams& params, PhysReader read);

}  // namespace boot

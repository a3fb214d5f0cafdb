#include "boot/loader.hpp"

#include "boot/multiboot2/parse.hpp"
#include "boot/multiboot2/protocol.h"
#include "boot/multiboot2/to_params.hpp"
#include "boot/pvh/protocol.h"
#include "boot/pvh/start_info.hpp"
#include "lib/format/buffer.hpp"
#include "lib/format/format.hpp"

namespace boot {

namespace {

namespace mb2 = multiboot2;

// A boot information structure larger than this is corrupt, not real: GRUB's
// are a few KiB (tens with an EFI memory map).
constexpr u32 kMaxInfoSize = 16 << 20;

// Parsed in place, then copied out: static, as it is far too large for the
// boot stack and only the boot CPU ever describes the boot.
mb2::BootInfo g_multiboot2;

DescribeResult from_multiboot2(u64 phys, PhysReader read, BootParams& out) {
    const u8* header = read(phys, 8);
    if (header == nullptr) return {"it is not in the memory mapped at boot", false, 0, 0};
    ktl::optional<u32> total = mb2::peek_total_size({header, 8});
    if (!total || *total > kMaxInfoSize)
        return {"its total_size is implausible (over 16 MiB)", false, 0, 0};
    const u8* info = read(phys, *total);
    if (info == nullptr) return {"it extends past the memory mapped at boot", false, 0, 0};
    const mb2::ParseResult parsed = mb2::parse({info, *total}, phys, g_multiboot2);
    if (!parsed.ok()) {
        out.clear();
        out.protocol = "Multiboot2";
        out.info_phys = PhysAddr{phys};
        mb2::framebuffer_to_params(g_multiboot2, out);
        return {mb2::describe(parsed.error), parsed.has_tag(), parsed.tag_type, parsed.tag_offset};
    }
    mb2::to_params(g_multiboot2, out);
    return {};
}

// The PVH error with the entry and address it is about: static, as the
// result's view must outlive this call (only the boot CPU describes the boot).
kfmt::Buffer<256> g_pvh_error;

DescribeResult from_pvh(u64 phys, PhysReader read, BootParams& out) {
    const pvh::DecodeResult r = pvh::decode(phys, read, out);
    if (r.ok()) return {};
    g_pvh_error.clear();
    kfmt::format_to(g_pvh_error, "{}", pvh::describe(r.error));
    if (r.has_entry()) kfmt::format_to(g_pvh_error, " (entry {})", r.entry);
    if (r.address != 0) kfmt::format_to(g_pvh_error, " (at {:#x})", r.address);
    return {g_pvh_error.view(), false, 0, 0};
}

}  // namespace

DescribeResult describe(Handoff handoff, PhysReader read, BootParams& out) {
    if (handoff.magic == MB2_BOOTLOADER_MAGIC) return from_multiboot2(handoff.info_phys, read, out);
    if (handoff.magic == PVH_START_MAGIC) return from_pvh(handoff.info_phys, read, out);
    out.clear();
    return {
        "the loader's magic number is not one Keel knows (Multiboot2: 0x36d76289, PVH: "
        "0x336ec578)",
        false, 0, 0};
}

ktl::span<const u8> raw_info(const BootParams& params, PhysReader read) {
    const u8* bytes = read(params.info_phys.value(), params.info_size);
    if (bytes == nullptr) return {};
    return {bytes, params.info_size};
}

}  // namespace boot

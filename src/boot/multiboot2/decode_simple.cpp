#include "boot/multiboot2/tag_decoders.hpp"

#include "boot/multiboot2/layout.hpp"

namespace boot::multiboot2::detail {
namespace {

// The string from `from` to the first NUL; the spec (3.6.3) requires it to
// be NUL-terminated, and the NUL must lie inside the tag.
Error tag_string(const Tag& tag, usize from, ktl::string_view& out) {
    if (from > tag.bytes.size()) return Error::TagTooShort;
    for (usize i = from; i < tag.bytes.size(); ++i) {
        if (tag.bytes[i] == 0) {
            out = {reinterpret_cast<const char*>(tag.bytes.data() + from), i - from};
            return Error::None;
        }
    }
    return Error::UnterminatedString;
}

}  // namespace

Error decode_cmdline(const Tag& tag, BootInfo& out) {
    ktl::string_view text;
    if (Error e = tag_string(tag, sizeof(TagHeader), text); e != Error::None) return e;
    out.cmdline.assign(text);
    out.has_cmdline = true;
    return Error::None;
}

Error decode_bootloader_name(const Tag& tag, BootInfo& out) {
    ktl::string_view text;
    if (Error e = tag_string(tag, sizeof(TagHeader), text); e != Error::None) return e;
    out.bootloader_name.assign(text);
    out.has_bootloader_name = true;
    return Error::None;
}

Error decode_module(const Tag& tag, BootInfo& out) {
    TagModule fixed{};
    if (!load(tag.bytes, 0, fixed)) return Error::TagTooShort;
    ktl::string_view text;
    if (Error e = tag_string(tag, sizeof(TagModule), text); e != Error::None) return e;
    if (fixed.mod_end < fixed.mod_start) return Error::ModuleEndBeforeStart;
    // Beyond kMaxModules a module is not kept, but its memory is: the span
    // of all such modules is reserved whole (it may include gaps between
    // them, never less than they use), and their names are listed.
    if (out.module_count == BootInfo::kMaxModules) {
        UntrackedModules& extra = out.untracked_modules;
        const PhysAddr start{fixed.mod_start};
        const PhysAddr end{fixed.mod_end};
        if (extra.count == 0 || start < extra.start) extra.start = start;
        if (extra.count == 0 || end > extra.end) extra.end = end;
        ++extra.count;
        extra.append_name(text);
        return Error::None;
    }

    Module& module = out.modules[out.module_count++];
    module.start = fixed.mod_start;
    module.end = fixed.mod_end;
    module.cmdline.assign(text);
    out.loader_regions[out.loader_region_count++] = {module.start, module.size(),
                                                     LoaderRegionKind::Module};
    return Error::None;
}

Error decode_basic_meminfo(const Tag& tag, BootInfo& out) {
    TagBasicMeminfo fixed{};
    if (!load(tag.bytes, 0, fixed)) return Error::TagTooShort;
    out.basic_meminfo = {true, fixed.mem_lower, fixed.mem_upper};
    return Error::None;
}

Error decode_boot_device(const Tag& tag, BootInfo& out) {
    TagBootDevice fixed{};
    if (!load(tag.bytes, 0, fixed)) return Error::TagTooShort;
    out.boot_device = {true, fixed.biosdev, fixed.slice, fixed.part};
    return Error::None;
}

Error decode_vbe(const Tag& tag, BootInfo& out) {
    // GRUB always writes the whole 784-byte tag (the two VBE blocks), so a
    // shorter one is corrupt even though only the first fields are kept.
    if (tag.bytes.size() < sizeof(TagVbe)) return Error::TagTooShort;
    struct {
        u16 mode, seg, off, len;
    } fields{};
    if (!load(tag.bytes, sizeof(TagHeader), fields)) return Error::TagTooShort;
    out.vbe = {true, fields.mode, fields.seg, fields.off, fields.len};
    return Error::None;
}

Error decode_apm(const Tag& tag, BootInfo& out) {
    TagApm fixed{};
    if (!load(tag.bytes, 0, fixed)) return Error::TagTooShort;
    out.apm = {true,       fixed.version, fixed.cseg,     fixed.offset,      fixed.cseg_16,
               fixed.dseg, fixed.flags,   fixed.cseg_len, fixed.cseg_16_len, fixed.dseg_len};
    return Error::None;
}

Error decode_u32(const Tag& tag, ktl::optional<u32>& out) {
    TagU32 fixed{};
    if (!load(tag.bytes, 0, fixed)) return Error::TagTooShort;
    out = fixed.value;
    return Error::None;
}

Error decode_u64(const Tag& tag, ktl::optional<u64>& out) {
    TagU64 fixed{};
    if (!load(tag.bytes, 0, fixed)) return Error::TagTooShort;
    out = fixed.value;
    return Error::None;
}

}  // namespace boot::multiboot2::detail

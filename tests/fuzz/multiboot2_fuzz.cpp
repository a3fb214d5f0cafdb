// libFuzzer target: boot::multiboot2::parse() on arbitrary bytes. Any read
// outside the input is caught by ASan, UB by UBSan; the checks below catch
// results that are inconsistent with the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include "fuzz_check.hpp"

#include "boot/multiboot2/boot_info.hpp"
#include "boot/multiboot2/parse.hpp"
#include "boot/multiboot2/tag_walker.hpp"
#include "boot/multiboot2/to_params.hpp"
#include "boot/params.hpp"

namespace mb2 = boot::multiboot2;

namespace {

constexpr uint64_t kPhys = 0x100000;

// Data left in the MBI must be addressed inside it.
void check_inside(uint64_t phys, uint64_t size, const mb2::BootInfo& info) {
    FUZZ_CHECK(phys >= info.mbi_phys);
    FUZZ_CHECK(phys - info.mbi_phys <= info.mbi_size);
    FUZZ_CHECK(size <= info.mbi_size - (phys - info.mbi_phys));
}

void check(const mb2::ParseResult& result, const mb2::BootInfo& info, size_t input_size) {
    FUZZ_CHECK(!mb2::describe(result.error).empty());
    if (!result.ok()) return;
    FUZZ_CHECK(info.mbi_size >= 16 && info.mbi_size <= input_size);
    FUZZ_CHECK(info.cmdline.length <= info.cmdline.capacity());
    FUZZ_CHECK(info.cmdline.chars[info.cmdline.length] == '\0');
    FUZZ_CHECK(info.bootloader_name.length <= info.bootloader_name.capacity());
    FUZZ_CHECK(info.module_count <= mb2::BootInfo::kMaxModules);
    FUZZ_CHECK(info.loader_region_count == 1 + info.module_count);
    for (const mb2::Module& m : info.module_list()) FUZZ_CHECK(m.end >= m.start);
    FUZZ_CHECK(info.memory_map.count <= mb2::MemoryMap::kCapacity);
    uint64_t usable = 0;
    bool saturated = false;
    for (const mb2::MemoryRegion& r : info.memory_map.view()) {
        FUZZ_CHECK(r.length == 0 || r.base + (r.length - 1) >= r.base);
        FUZZ_CHECK(!mb2::type_name(r.type).empty());
        if (r.available() && __builtin_add_overflow(usable, r.length, &usable)) saturated = true;
    }
    FUZZ_CHECK(info.usable_bytes() == (saturated ? ~uint64_t{0} : usable));
    FUZZ_CHECK(info.unknown_tag_count <= mb2::BootInfo::kMaxUnknownTags);
    for (const mb2::UnknownTag& t : info.unknown_tag_list()) {
        FUZZ_CHECK(t.offset % 8 == 0 && t.offset < info.mbi_size);
        FUZZ_CHECK(!mb2::tag_name(t.type).empty());
    }
    if (info.elf_sections.present)
        check_inside(info.elf_sections.headers_phys, info.elf_sections.headers_size, info);
    if (info.smbios.present) check_inside(info.smbios.tables_phys, info.smbios.tables_size, info);
    if (info.acpi_old.present) check_inside(info.acpi_old.phys, info.acpi_old.length, info);
    if (info.acpi_new.present) check_inside(info.acpi_new.phys, info.acpi_new.length, info);
    if (info.efi_memory_map.present)
        check_inside(info.efi_memory_map.phys, info.efi_memory_map.size, info);
    if (info.network.count != 0)
        check_inside(info.network.first_dhcp_ack_phys, info.network.first_dhcp_ack_size, info);
    if (info.framebuffer.present && info.framebuffer.type == mb2::FramebufferType::Indexed)
        check_inside(info.framebuffer.palette_phys, info.framebuffer.palette_colors * 3u, info);
}

// What the kernel does next with a parsed MBI: the neutral BootParams
// (src/boot/multiboot2/to_params.cpp) must carry everything the parse kept,
// within its own bounds.
void check_params(const mb2::BootInfo& info) {
    static auto* params = new boot::BootParams;
    mb2::to_params(info, *params);
    FUZZ_CHECK(params->module_count == info.module_count);
    FUZZ_CHECK(params->module_count <= boot::BootParams::kMaxModules);
    for (u32 i = 0; i < params->module_count; ++i) {
        FUZZ_CHECK(params->modules[i].start == PhysAddr{info.modules[i].start});
        FUZZ_CHECK(params->modules[i].name.length <= params->modules[i].name.capacity());
    }
    FUZZ_CHECK(params->untracked_modules.count == info.untracked_modules.count);
    FUZZ_CHECK(params->untracked_modules.names.length <=
               params->untracked_modules.names.capacity());
    FUZZ_CHECK(params->memory_count <= boot::BootParams::kMaxMemoryRegions);
    FUZZ_CHECK(u64{params->memory_count} + params->memory_dropped ==
               u64{info.memory_map.count} + info.memory_map.dropped);
    for (u32 i = 0; i < params->memory_count; ++i)
        FUZZ_CHECK(!boot::kind_name(params->memory[i].kind).empty());
    FUZZ_CHECK(params->cmdline.length <= params->cmdline.capacity());
    FUZZ_CHECK(params->cmdline.truncated == info.cmdline.truncated);
    FUZZ_CHECK(params->unused_count <= boot::BootParams::kMaxLoaderItems);
    for (u32 i = 0; i < params->unused_count; ++i) FUZZ_CHECK(!params->unused[i].name.empty());
    FUZZ_CHECK(params->framebuffer.present == info.framebuffer.present);
    FUZZ_CHECK(params->rsdp.present == (info.acpi_new.present || info.acpi_old.present));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static auto* info = new mb2::BootInfo;

    // As given: total_size is whatever the input says.
    mb2::ParseResult result = mb2::parse({data, size}, kPhys, *info);
    check(result, *info, size);
    if (result.ok()) check_params(*info);
    (void)mb2::peek_total_size({data, size});

    // With total_size patched to the input's length, so the fuzzer does not
    // have to guess it before reaching the tag decoders. The copy is exactly
    // `size` bytes so ASan still sees any overrun.
    if (size >= 8 && size <= 0xffffffff) {
        std::unique_ptr<uint8_t[]> copy(new uint8_t[size]);
        std::memcpy(copy.get(), data, size);
        const uint32_t total = static_cast<uint32_t>(size);
        std::memcpy(copy.get(), &total, sizeof(total));
        result = mb2::parse({copy.get(), size}, kPhys, *info);
        check(result, *info, size);
        if (result.ok()) check_params(*info);
    }
    return 0;
}

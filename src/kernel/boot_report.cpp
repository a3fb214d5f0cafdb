#include "kernel/boot_report.hpp"

#include "kernel/log/escape.hpp"
#include "kernel/log/log.hpp"
#include "lib/units.hpp"

namespace kernel {

namespace {

// Room for loader text in one log line (kfmt::Buffer<512> per line).
struct Escaped {
    char chars[440];
    ktl::string_view operator()(ktl::string_view text) {
        return log::escape_unprintable(text, {chars, sizeof chars});
    }
};

void report_memory_map(const boot::BootParams& params) {
    if (!params.memory_map_present) {
        log::warn("the loader gave no memory map");
        return;
    }
    log::info("memory map ({} regions):", params.memory_count);
    for (const boot::MemoryRegion& r : params.memory_map()) {
        const PhysAddr last = r.length == 0 ? r.base : r.base + (r.length - 1);
        log::info("  {:#018x}-{:#018x} {:>9} KiB  {}", r.base, last, r.length / kKiB,
                  boot::kind_name(r.kind));
    }
    if (params.memory_dropped != 0)
        log::warn("{} more memory map entries were not kept", params.memory_dropped);
    u64 usable = params.usable_bytes();
    log::info("usable RAM: {} MiB ({} bytes)", usable / kMiB, usable);
}

void report_framebuffer(const boot::Framebuffer& fb) {
    if (!fb.present) {
        log::info("framebuffer: none");
    } else if (fb.kind == boot::FramebufferKind::EgaText) {
        log::info("framebuffer: VGA text {}x{} at {:#x}", fb.width, fb.height, fb.address);
    } else if (fb.kind == boot::FramebufferKind::Rgb) {
        log::info("framebuffer: {}x{}x{} at {:#x}, pitch {} (RGB {}:{} {}:{} {}:{})", fb.width,
                  fb.height, fb.bpp, fb.address, fb.pitch, fb.red.position, fb.red.size,
                  fb.green.position, fb.green.size, fb.blue.position, fb.blue.size);
    } else {
        log::info("framebuffer: {}x{}x{} at {:#x}, indexed with {} colours", fb.width, fb.height,
                  fb.bpp, fb.address, fb.palette_colors);
    }
}

}  // namespace

void report_boot_params(const boot::BootParams& params) {
    log::info("boot information: {} bytes at {:#x} ({})", params.info_size, params.info_phys,
              params.protocol);
    Escaped safe{};
    log::info("bootloader: {}",
              params.loader_name.length != 0 ? safe(params.loader_name.view()) : "(not named)");
    log::info("command line: {}",
              params.cmdline.view().empty() ? "(empty)" : safe(params.cmdline.view()));
    if (params.cmdline.truncated)
        log::warn("the command line is longer than {} bytes: its last, cut word is ignored",
                  decltype(params.cmdline)::capacity());
    report_memory_map(params);
    report_framebuffer(params.framebuffer);
    for (u32 i = 0; i < params.module_count; ++i) {
        const boot::Module& m = params.modules[i];
        // PVH loaders may name no module (QEMU's -initrd has no command line).
        log::info("module {}: {} at {:#x}-{:#x}, {} bytes", i,
                  m.name.length != 0 ? safe(m.name.view()) : "(unnamed)", m.start, m.end, m.size());
    }
    const boot::UntrackedModules& extra = params.untracked_modules;
    if (extra.count != 0)
        log::warn(
            "{} more modules at {:#x}-{:#x} are not tracked (Keel keeps {}), their memory "
            "is kept: {}{}",
            extra.count, extra.start, extra.end, boot::BootParams::kMaxModules,
            safe(extra.names.view()), extra.names.truncated ? "..." : "");
    if (params.rsdp.present)
        log::info("ACPI RSDP at {:#x} revision {} (OEM '{}', from {})", params.rsdp.phys,
                  params.rsdp.revision, safe(params.rsdp.oem_id), params.rsdp.origin);
    else
        log::info("ACPI RSDP: none reported by the loader");
    if (params.efi_system_table)
        log::info("EFI system table at {:#x} (64-bit)", *params.efi_system_table);
    if (params.efi32_system_table)
        log::info("EFI system table at {:#x} (32-bit)", *params.efi32_system_table);
    if (params.smbios.present)
        log::info("SMBIOS {}.{} tables at {:#x}", params.smbios.major, params.smbios.minor,
                  params.smbios.phys);
    if (params.elf_sections.present)
        log::info("ELF sections: {} headers of {} bytes", params.elf_sections.num,
                  params.elf_sections.entsize);
    // The kernel logs where it found itself (src/init/main.cpp); the
    // loader's word is a detail (checked by a ktest).
    if (params.load_base) log::debug("loader reports the image load base {:#x}", *params.load_base);
    for (const boot::LoaderItem& item : params.unused_items()) {
        if (item.name == "unknown")
            log::info("boot information: unknown tag type {} at offset {} skipped", item.type,
                      item.offset);
        else
            log::debug("boot information: {} (type {}) not used", item.name, item.type);
    }
}

void dump_boot_info_bytes(ktl::span<const u8> mbi) {
    constexpr usize kPerLine = 32;
    log::info("mbi-dump begin {}", mbi.size());
    for (usize offset = 0; offset < mbi.size(); offset += kPerLine) {
        kfmt::Buffer<2 * kPerLine + 1> hex;
        for (usize i = offset; i < offset + kPerLine && i < mbi.size(); ++i)
            kfmt::format_to(hex, "{:02x}", mbi[i]);
        log::info("mbi-dump {:06x} {}", offset, hex.view());
    }
    log::info("mbi-dump end");
}

namespace {
// "a, b, c": what option `key` accepts (kernel_options.hpp).
template <usize N>
void list_valid_values(ktl::string_view key, kfmt::Buffer<N>& list) {
    for (usize i = 0; !options::valid_value(key, i).empty(); ++i)
        kfmt::format_to(list, "{}{}", i == 0 ? "" : ", ", options::valid_value(key, i));
}
}  // namespace

void report_options(const kernel::options::KernelOptions& options,
                    const kernel::options::UnknownSink& rejected) {
    Escaped safe{};
    for (const kernel::options::RejectedOption& r : rejected.list()) {
        if (r.problem == kernel::options::OptionProblem::Malformed)
            log::warn("kernel command line: {} '{}': {}", describe(r.problem), safe(r.text),
                      kernel::cmdline::describe(r.syntax));
        else if (r.problem == kernel::options::OptionProblem::InvalidValue &&
                 !options::valid_value(r.key, 0).empty()) {
            kfmt::Buffer<160> valid;
            list_valid_values(r.key, valid);
            log::warn("kernel command line: {} '{}' (valid: {})", describe(r.problem), safe(r.text),
                      valid.view());
        } else {
            log::warn("kernel command line: {} '{}'", describe(r.problem), safe(r.text));
        }
    }
    if (rejected.dropped != 0)
        log::warn("{} more command-line problems not shown", rejected.dropped);
    log::debug("options: console={} loglevel={}", options::name(options.console),
               options::name(options.log_level));
}

void report_physical_regions(const mm::PhysicalRegions& regions) {
    for (const mm::Reservation& r : regions.reservations()) {
        u64 size = r.range.size();
        if (size % kKiB == 0)
            log::info("reserved: {} {} ({} KiB)", mm::kind_name(r.kind), r.range, size / kKiB);
        else
            log::info("reserved: {} {} ({} bytes)", mm::kind_name(r.kind), r.range, size);
    }
    if (regions.reservations_dropped() != 0)
        log::error("{} reserved ranges did not fit: no memory is counted as free",
                   regions.reservations_dropped());
    for (const PhysRange& r : regions) log::debug("  free {:#018x} {:>9} KiB", r, r.size() / kKiB);
    if (regions.free_ranges_dropped() != 0)
        log::warn("{} free memory ranges beyond {} left out (not used)",
                  regions.free_ranges_dropped(), mm::PhysicalRegions::kMaxFreeRanges);
    const usize reserved = regions.reservations().size();
    log::info("free memory: {} MiB in {} range{} (after {} reservation{})",
              regions.free_bytes() / kMiB, regions.size(), regions.size() == 1 ? "" : "s", reserved,
              reserved == 1 ? "" : "s");
}

}  // namespace kernel

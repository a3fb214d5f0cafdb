#include "kernel/boot_report.hpp"

#include "kernel/boot/multiboot2/parse.hpp"
#include "kernel/log/log.hpp"

namespace kernel {

namespace {

using namespace boot::multiboot2;

constexpr u64 kKiB = 1024;
constexpr u64 kMiB = 1024 * kKiB;

void report_memory_map(const MemoryMap& map) {
    if (!map.present) {
        log::warn("the loader gave no memory map");
        return;
    }
    log::info("memory map ({} regions):", map.count);
    for (const MemoryRegion& r : map.view()) {
        u64 last = r.length == 0 ? r.base : r.base + r.length - 1;
        log::info("  {:#018x}-{:#018x} {:>9} KiB  {}", r.base, last, r.length / kKiB,
                  type_name(r.type));
    }
    if (map.dropped != 0) log::warn("{} more memory map entries were not kept", map.dropped);
    u64 usable = map.usable_bytes();
    log::info("usable RAM: {} MiB ({} bytes)", usable / kMiB, usable);
}

void report_framebuffer(const Framebuffer& fb) {
    if (!fb.present) {
        log::info("framebuffer: none");
    } else if (fb.type == FramebufferType::EgaText) {
        log::info("framebuffer: VGA text {}x{} at {:#x}", fb.width, fb.height, fb.address);
    } else if (fb.type == FramebufferType::Rgb) {
        log::info("framebuffer: {}x{}x{} at {:#x}, pitch {} (RGB {}:{} {}:{} {}:{})", fb.width,
                  fb.height, fb.bpp, fb.address, fb.pitch, fb.rgb.red_field_position,
                  fb.rgb.red_mask_size, fb.rgb.green_field_position, fb.rgb.green_mask_size,
                  fb.rgb.blue_field_position, fb.rgb.blue_mask_size);
    } else {
        log::info("framebuffer: {}x{}x{} at {:#x}, indexed with {} colours", fb.width, fb.height,
                  fb.bpp, fb.address, fb.palette_colors);
    }
}

void report_rsdp(const BootInfo& info) {
    const Rsdp& rsdp = info.acpi_new.present ? info.acpi_new : info.acpi_old;
    if (!rsdp.present) {
        log::info("ACPI RSDP: none reported by the loader");
        return;
    }
    log::info("ACPI RSDP at {:#x} revision {} (OEM '{}', from the {} tag)", rsdp.phys,
              rsdp.revision, rsdp.oem_id, info.acpi_new.present ? "new" : "old");
}

}  // namespace

void report_boot_info(const BootInfo& info) {
    log::info("boot information: {} bytes at {:#x}", info.mbi_size, info.mbi_phys);
    log::info("bootloader: {}",
              info.has_bootloader_name ? info.bootloader_name.view() : "(not named)");
    log::info("command line: {}", info.cmdline.view().empty() ? "(empty)" : info.cmdline.view());
    if (info.cmdline.truncated)
        log::warn("the command line is longer than {} bytes: its last, cut word is ignored",
                  info.cmdline.capacity());
    report_memory_map(info.memory_map);
    if (info.basic_meminfo.present)
        log::info("basic meminfo: lower {} KiB, upper {} KiB", info.basic_meminfo.mem_lower_kib,
                  info.basic_meminfo.mem_upper_kib);
    report_framebuffer(info.framebuffer);
    for (u32 i = 0; i < info.module_count; ++i) {
        const Module& m = info.modules[i];
        log::info("module {}: {} at {:#x}-{:#x}, {} bytes", i, m.cmdline.view(), m.start, m.end,
                  m.size());
    }
    report_rsdp(info);
    if (info.efi64_system_table)
        log::info("EFI system table at {:#x} (64-bit)", *info.efi64_system_table);
    if (info.efi32_system_table)
        log::info("EFI system table at {:#x} (32-bit)", *info.efi32_system_table);
    if (info.smbios.present)
        log::info("SMBIOS {}.{} tables at {:#x}", info.smbios.major, info.smbios.minor,
                  info.smbios.tables_phys);
    if (info.elf_sections.present)
        log::info("ELF sections: {} headers of {} bytes", info.elf_sections.num,
                  info.elf_sections.entsize);
    if (info.load_base_addr) log::info("image load base: {:#x}", *info.load_base_addr);
    if (info.boot_device.present) log::debug("BIOS boot device {:#x}", info.boot_device.biosdev);
    for (const UnknownTag& tag : info.unknown_tag_list())
        log::info("boot information: unknown tag type {} at offset {} skipped", tag.type,
                  tag.offset);
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

void report_options(const boot::KernelOptions& options, const boot::UnknownSink& rejected) {
    for (const boot::RejectedOption& r : rejected.list()) {
        if (r.problem == boot::OptionProblem::Malformed)
            log::warn("kernel command line: {} '{}': {}", describe(r.problem), r.text,
                      boot::cmdline::describe(r.syntax));
        else
            log::warn("kernel command line: {} '{}'", describe(r.problem), r.text);
    }
    if (rejected.dropped != 0)
        log::warn("{} more command-line problems not shown", rejected.dropped);
    log::debug("options: console={} loglevel={}", name(options.console), name(options.log_level));
}

void report_physical_regions(const mm::PhysicalRegions& regions) {
    for (const mm::Reservation& r : regions.reservations()) {
        u64 size = r.range.size();
        if (size % kKiB == 0)
            log::info("reserved: {} {:#x}-{:#x} ({} KiB)", mm::kind_name(r.kind), r.range.base,
                      r.range.end - 1, size / kKiB);
        else
            log::info("reserved: {} {:#x}-{:#x} ({} bytes)", mm::kind_name(r.kind), r.range.base,
                      r.range.end - 1, size);
    }
    if (regions.reservations_dropped() != 0)
        log::error("{} reserved ranges did not fit: no memory is counted as free",
                   regions.reservations_dropped());
    for (const mm::PhysicalRange& r : regions)
        log::debug("  free {:#018x}-{:#018x} {:>9} KiB", r.base, r.end - 1, r.size() / kKiB);
    if (regions.free_ranges_dropped() != 0)
        log::warn("{} free memory ranges beyond {} left out (not used)",
                  regions.free_ranges_dropped(), mm::PhysicalRegions::kMaxFreeRanges);
    const usize reserved = regions.reservations().size();
    log::info("free memory: {} MiB in {} range{} (after {} reservation{})",
              regions.free_bytes() / kMiB, regions.size(), regions.size() == 1 ? "" : "s", reserved,
              reserved == 1 ? "" : "s");
}

}  // namespace kernel

// What the kernel knows about its machine from the loader, in the loader's
// absence: one neutral description built once at boot by src/boot/ from
// whatever protocol started the kernel (Multiboot2 today). Nothing outside
// src/boot/ knows a boot protocol; everything else reads this.
//
// Plain data, all-zero is empty (nothing present). Addresses are physical,
// as PhysAddr; each region's range() is its PhysRange.
#pragma once

#include "lib/address.hpp"
#include "lib/ktl/fixed_string.hpp"
#include "lib/ktl/optional.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/type_traits.hpp"
#include "lib/ktl/types.hpp"

namespace boot {

// What a range of physical memory is, as the firmware describes it (ACPI
// spec, "Address Range Types", as E820, Multiboot2 and UEFI agree on them).
enum class MemoryKind : u8 {
    Usable,           // free RAM
    Reserved,         // firmware, MMIO, or a type the kernel does not know
    AcpiReclaimable,  // ACPI tables: RAM once they are no longer needed
    AcpiNvs,          // firmware storage kept across sleep: never touched
    Bad,              // defective RAM
};
// "available", "reserved", "ACPI reclaimable", "ACPI NVS", "bad memory".
[[nodiscard]] ktl::string_view kind_name(MemoryKind kind);

struct MemoryRegion {
    PhysAddr base{};
    u64 length{};
    MemoryKind kind{};

    [[nodiscard]] constexpr bool usable() const { return kind == MemoryKind::Usable; }
    // The end clamped to 2^64 - 1 if base + length would wrap.
    [[nodiscard]] constexpr PhysRange range() const { return PhysRange::from_size(base, length); }
};

struct Module {
    PhysAddr start{};
    PhysAddr end{};  // one past the last byte
    ktl::FixedString<128> name{};

    [[nodiscard]] constexpr u64 size() const { return end - start; }
    [[nodiscard]] constexpr PhysRange range() const { return PhysRange{start, end}; }
};

// Modules beyond what the kernel keeps (BootParams::kMaxModules): counted,
// their names listed as far as they fit, and the span of their memory kept.
struct UntrackedModules {
    u32 count{};
    PhysAddr start{};               // lowest mod_start
    PhysAddr end{};                 // highest mod_end
    ktl::FixedString<512> names{};  // "a, b, c", cut (truncated) when full

    // The span of their memory, [start, end).
    [[nodiscard]] constexpr PhysRange range() const { return PhysRange{start, end}; }

    void append_name(ktl::string_view name) {
        if (names.truncated) return;
        char joined[512];
        usize n = names.length;
        __builtin_memcpy(joined, names.chars, n);
        auto put = [&](ktl::string_view text) {
            for (char c : text)
                if (n < sizeof joined) joined[n++] = c;
        };
        if (n != 0) put(", ");
        put(name);
        names.assign({joined, n});
        if (n == sizeof joined) names.truncated = true;
    }
};

enum class FramebufferKind : u8 { Indexed, Rgb, EgaText };

struct Framebuffer {
    bool present{};
    FramebufferKind kind{};
    u8 bpp{};
    PhysAddr address{};
    u32 pitch{};  // bytes per line
    u32 width{};  // pixels, or characters for EGA text
    u32 height{};
    struct {
        u8 position, size;
    } red{}, green{}, blue{};  // Rgb only
    u16 palette_colors{};      // Indexed only

    // The bytes it occupies (pitch * height from address).
    [[nodiscard]] constexpr PhysRange range() const {
        return PhysRange::from_size(address, static_cast<u64>(pitch) * height);
    }
};

struct Rsdp {
    bool present{};
    u8 revision{};            // 0 for ACPI 1.0, 2 for 2.0 and later
    char oem_id[7]{};         // NUL-terminated
    PhysAddr phys{};          // the loader's copy
    ktl::string_view origin;  // where it came from, for the log
};

// The kernel's ELF section headers as the loader placed them, from which
// the symbol table is found.
struct ElfSections {
    bool present{};
    u32 num{};
    u32 entsize{};
    u32 shndx{};  // index of the section-name string table
    PhysAddr headers_phys{};
    u32 headers_size{};
};

// An item of the loader's information the kernel does not use: only that
// it was there.
struct LoaderItem {
    u32 type{};
    u32 offset{};
    ktl::string_view name;  // "unknown" when the protocol does not define it
};

struct BootParams {
    static constexpr usize kMaxMemoryRegions = 256;
    static constexpr usize kMaxModules = 32;
    static constexpr usize kMaxLoaderItems = 32;

    // The loader and its own data structure (kept until it is consumed).
    ktl::string_view protocol;            // "Multiboot2"
    ktl::FixedString<128> loader_name{};  // empty when the loader gave none
    PhysAddr info_phys{};
    u32 info_size{};

    ktl::FixedString<1024> cmdline{};  // .truncated when it did not fit

    bool memory_map_present{};
    MemoryRegion memory[kMaxMemoryRegions]{};
    u32 memory_count{};
    u32 memory_dropped{};  // entries beyond kMaxMemoryRegions

    Module modules[kMaxModules]{};
    u32 module_count{};
    UntrackedModules untracked_modules{};

    Framebuffer framebuffer{};
    Rsdp rsdp;
    ktl::optional<PhysAddr> efi_system_table;  // 64-bit UEFI only
    ktl::optional<PhysAddr> efi32_system_table;
    bool efi_boot_services_active{};  // the loader did not call ExitBootServices
    struct {
        bool present{};
        u8 major{}, minor{};
        PhysAddr phys{};
    } smbios{};
    ElfSections elf_sections{};
    ktl::optional<PhysAddr> load_base;  // physical address the image was loaded at

    LoaderItem unused[kMaxLoaderItems];
    u32 unused_count{};

    void clear() { __builtin_memset(static_cast<void*>(this), 0, sizeof(*this)); }

    [[nodiscard]] ktl::span<const MemoryRegion> memory_map() const {
        return {memory, memory_count};
    }
    // Whether any of `range` is available RAM by the memory map: what a
    // firmware table names as a device (an HPET) or as firmware data that
    // must stay put (the EFI vendor string) must not be.
    [[nodiscard]] bool usable_ram_overlaps(PhysRange range) const {
        for (const MemoryRegion& region : memory_map())
            if (region.usable() && region.range().overlaps(range)) return true;
        return false;
    }
    [[nodiscard]] ktl::span<const Module> module_list() const { return {modules, module_count}; }
    [[nodiscard]] ktl::span<const LoaderItem> unused_items() const {
        return {unused, unused_count};
    }
    // The sum of the usable regions, saturating instead of wrapping.
    [[nodiscard]] u64 usable_bytes() const;
};

static_assert(ktl::is_trivially_copyable_v<BootParams>);

}  // namespace boot

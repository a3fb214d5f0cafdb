#include "arch/x86_64/paging/paging.hpp"

#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/direct_map.hpp"
#include "arch/x86_64/image.hpp"
#include "arch/x86_64/paging/kernel_space.hpp"
#include "arch/x86_64/paging/range_set.hpp"
#include "kernel/debug/debug.hpp"
#include "kernel/log/log.hpp"
#include "kernel/mm/kernel_stacks.hpp"
#include "kernel/panic/panic.hpp"
#include "lib/ktl/bit.hpp"
#include "lib/units.hpp"

// Linker script and boot64.S symbols: addresses only, never dereferenced
// as objects here.
extern "C" const u8 __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern "C" const u8 __data_start[], __bss_end[], __kernel_virtual_end[];
extern "C" const u8 __kernel_physical_start[], __kernel_physical_end[];

namespace arch::paging {

namespace {

// Below this the direct map uses 4 KiB pages: the fixed-range MTRRs give the
// first MiB several memory types, and a large page across them is slow (SDM
// Vol. 3A, "Memory Cache Control", "Large Page Size Considerations").
constexpr u64 kMinSmallPagesBelow = 2 * kMiB;
constexpr PhysRange kLowMemory{PhysAddr{0}, PhysAddr{1 * kMiB}};
// Every memory-map region, each module and the MBI, the framebuffer, the
// kernel image: at most this many disjoint ranges.
using DirectMapRanges =
    PhysRangeSet<boot::BootParams::kMaxMemoryRegions + boot::BootParams::kMaxModules + 6>;

// The one instruction the kernel only needs here (cpu.hpp has the rest).
inline void invlpg(u64 virt) { asm volatile("invlpg (%0)" : : "r"(virt) : "memory"); }

// ---- state ----

struct Features {
    bool nx, pages_1g, pge, smep, smap, umip;
    u8 physical_bits;
};

Protections g_protections{};
bool g_initialized = false;
detail::LiveTables g_live;
// The CPU's physical address width, as a limit (set once by init).
u64 g_physical_limit = kPhysicalLimit;
DirectMapRanges g_direct_map;
MapperConfig g_config{};
TableSource g_tables = nullptr;
u64 g_table_pages = 0;

using image::kernel_phys;
u64 addr(const void* p) { return reinterpret_cast<uptr>(p); }

// Reads CPUID; turns EFER.NXE on if the trampoline somehow left it off.
Features detect_features() {
    Features f{};
    u32 max_basic = cpuid(CPUID_LEAF_MAX).eax;
    f.pge = (cpuid(CPUID_LEAF_FEATURES).edx & CPUID_1_EDX_PGE) != 0;
    if (max_basic >= CPUID_LEAF_EXTENDED_FEATURES) {
        CpuidResult l7 = cpuid(CPUID_LEAF_EXTENDED_FEATURES, 0);
        f.smep = (l7.ebx & CPUID_7_EBX_SMEP) != 0;
        f.smap = (l7.ebx & CPUID_7_EBX_SMAP) != 0;
        f.umip = (l7.ecx & CPUID_7_ECX_UMIP) != 0;
    }
    const u32 max_ext = cpuid(CPUID_LEAF_EXT_MAX).eax;
    if (max_ext >= CPUID_LEAF_EXT_FEATURES) {
        CpuidResult ext = cpuid(CPUID_LEAF_EXT_FEATURES);
        f.nx = (ext.edx & CPUID_EXT_EDX_NX) != 0;
        f.pages_1g = (ext.edx & CPUID_EXT_EDX_PAGE1GB) != 0;
    }
    // MAXPHYADDR: 36 where the leaf is missing (SDM Vol. 3A, 4.1.4); an
    // address at or past it sets reserved bits in a page-table entry.
    f.physical_bits = 36;
    if (max_ext >= CPUID_LEAF_EXT_ADDRESS_SIZES)
        f.physical_bits = static_cast<u8>(cpuid(CPUID_LEAF_EXT_ADDRESS_SIZES).eax & 0xFF);
    if (f.physical_bits < 32 || f.physical_bits > kPhysicalBits) f.physical_bits = 36;
    u64 efer = rdmsr(MSR_EFER);
    if (f.nx && (efer & EFER_NXE) == 0) wrmsr(MSR_EFER, efer | EFER_NXE);
    return f;
}

// The pages mapped; panics saying what and where when mapping failed.
PageCounts check(const RangeResult& r, const char* what) {
    if (!r)
        kernel::panic("paging: cannot map {} at {}: {}", what, r.error().where,
                      describe(r.error().error));
    return *r;
}

// The Mapper init and the guard pages edit through: the address space's
// instantiation (address_space.hpp), so the kernel holds one copy of the
// mapping code. Its flushes are only recorded; whoever changes loaded
// tables invalidates what it changed.
using EditMapper = Mapper<RecordingTables<detail::LiveTables>>;

// Maps [start, end) of the kernel image (link addresses) to where it was loaded.
RangeResult map_kernel_part(EditMapper& mapper, const u8* start, const u8* end, PageFlags flags) {
    return mapper.map_range(VirtAddr{addr(start)}, PhysAddr{kernel_phys(start)},
                            addr(end) - addr(start), flags, PageSize::Size4K);
}

void add_range(DirectMapRanges& ranges, PhysRange range, ktl::string_view what) {
    constexpr PhysAddr kLimit{kDirectMapMaxPhys};
    auto added = ranges.add(range, kLimit);
    if (!added && added.error() == DirectMapRanges::AddError::Full)
        kernel::panic("paging: too many disjoint physical ranges for the direct map (at {} {})",
                      what, range.base());
    if (!range.empty() && range.end() > kLimit)
        kernel::log::warn("paging: {} {:#x}+{:#x} lies (partly) above the direct map's {} TiB",
                          what, range.base(), range.size(), kDirectMapMaxPhys / kTiB);
}

PhysRange range_of(u64 base, u64 length) { return PhysRange::from_size(base, length); }

// What the direct map covers: memory, not devices. RAM and the ACPI types
// are mapped; "reserved", "bad" and unknown regions are not (they may be
// MMIO, such as PCIe configuration space or QEMU's 12 GiB hole below 1 TiB,
// which must never get a cacheable mapping; a driver maps what it needs).
// The first MiB is mapped whole: the BIOS data area, EBDA and ROM live there.
bool is_memory(boot::MemoryKind kind) {
    switch (kind) {
        case boot::MemoryKind::Usable:
        case boot::MemoryKind::AcpiReclaimable:
        case boot::MemoryKind::AcpiNvs:
            return true;
        case boot::MemoryKind::Reserved:
        case boot::MemoryKind::Bad:
            break;
    }
    return false;
}

void collect_direct_map_ranges(const boot::BootParams& info, DirectMapRanges& ranges) {
    if (info.memory_map_present) {
        for (const boot::MemoryRegion& r : info.memory_map())
            if (is_memory(r.kind)) add_range(ranges, r.range(), "memory-map region");
        add_range(ranges, kLowMemory, "the first MiB");
    } else {
        kernel::log::warn("paging: no memory map: the direct map covers 0..4 GiB");
        add_range(ranges, range_of(0, kEarlyIdentityLimit), "low memory");
    }
    for (const boot::Module& m : info.module_list()) add_range(ranges, m.range(), "module");
    if (info.untracked_modules.count != 0)
        add_range(ranges, info.untracked_modules.range(), "modules");
    add_range(ranges, PhysRange::from_size(info.info_phys, info.info_size), "boot information");
    const boot::Framebuffer& fb = info.framebuffer;
    if (fb.present) add_range(ranges, fb.range(), "framebuffer");
    add_range(ranges,
              PhysRange{PhysAddr{image::boot_phys(__kernel_physical_start)},
                        PhysAddr{image::boot_phys(__kernel_physical_end)}},
              "kernel image");
    // The symbol tables GRUB loaded: backtraces read them after the switch.
    kernel::debug::SymbolMemory symbols = kernel::debug::symbol_memory();
    add_range(ranges, range_of(symbols.symtab_phys, symbols.symtab_size), "kernel symbols");
    add_range(ranges, range_of(symbols.strtab_phys, symbols.strtab_size), "kernel symbols");
}

// Maps every range at kDirectMapBase + phys; returns the page counts. It
// uses 4 KiB pages below kMinSmallPagesBelow and across the 2 MiB pages the
// kernel image touches (wherever the loader put it), so that the image's
// code can be made read-only there; larger pages elsewhere.
PageCounts map_direct(EditMapper& mapper, const DirectMapRanges& ranges, PageFlags flags) {
    const PhysAddr low_end{kMinSmallPagesBelow};
    const PhysRange image = PhysRange{PhysAddr{image::boot_phys(__kernel_physical_start)},
                                      PhysAddr{image::boot_phys(__kernel_physical_end)}}
                                .align_outward(LARGE_PAGE_SIZE);
    const PhysRange small_low{PhysAddr{0}, low_end};
    auto later = [](PhysAddr a, PhysAddr b) { return a < b ? b : a; };
    const PhysRange large_mid{low_end, later(low_end, image.base())};
    const PhysRange small_image = image;
    const PhysRange large_high{later(low_end, image.end()), PhysAddr{PhysAddr::kMax}};
    PageCounts total{{0, 0, 0}};
    struct Part {
        PhysRange range;
        PageSize largest = PageSize::Size4K;
    };
    for (const PhysRange& r : ranges.view()) {
        const Part parts[] = {{r.intersect(small_low), PageSize::Size4K},
                              {r.intersect(large_mid), PageSize::Size1G},
                              {r.intersect(small_image), PageSize::Size4K},
                              {r.intersect(large_high), PageSize::Size1G}};
        for (const Part& part : parts) {
            if (part.range.empty()) continue;
            const PhysAddr base = part.range.base();
            total.add(check(mapper.map_range(VirtAddr{kDirectMapBase + base.value()}, base,
                                             part.range.size(), flags, part.largest),
                            "the direct map"));
        }
    }
    return total;
}

// Unmaps each registered guard page that `mapper` still maps; with
// `loaded` (the tables are in CR3) each unmapped page is invalidated.
void unmap_guards(EditMapper& mapper, bool loaded) {
    for (const kernel::mm::KernelStack& stack : kernel::mm::kernel_stacks().stacks()) {
        if (stack.guard == 0 || !mapper.translate(VirtAddr{stack.guard}).has_value()) continue;
        MapResult s = mapper.unmap(VirtAddr{stack.guard}, PageSize::Size4K);
        if (!s)
            kernel::panic("paging: cannot unmap the {} guard page at {:#x}: {}",
                          kernel::mm::label(stack).view(), stack.guard, describe(s.error()));
        if (loaded) invlpg(stack.guard);
    }
}

// One line: what is on, then what the CPU lacks, e.g.
//   protections: W^X, NX, WP, SMEP, SMAP, UMIP, global pages, null page unmapped, stack guard
//   protections: W^X, NX, WP, global pages, null page unmapped, stack guard
//   protections off (CPU lacks them): SMEP, SMAP, UMIP
void report_protections(const Features& cpu) {
    struct Feature {
        bool on;
        const char* name;
    };
    const Feature features[] = {{cpu.nx, "W^X"},          {cpu.nx, "NX"},     {true, "WP"},
                                {cpu.smep, "SMEP"},       {cpu.smap, "SMAP"}, {cpu.umip, "UMIP"},
                                {cpu.pge, "global pages"}};
    kfmt::Buffer<160> on;
    kfmt::Buffer<160> off;
    for (const Feature& f : features) kfmt::format_to(f.on ? on : off, "{}, ", f.name);
    kfmt::format_to(on, "null page unmapped, stack guard");
    if (off.size() == 0) {
        kernel::log::info("protections: {}", on.view());
    } else {
        ktl::string_view lacking = off.view().substr(0, off.size() - 2);  // drop the last ", "
        kernel::log::info("protections: {}", on.view());
        kernel::log::info("protections off (CPU lacks them): {}", lacking);
    }
}

}  // namespace

// ---- detail ----

// Mapper calls its Tables policy through an instance (the host tests' fake
// keeps state), so these stay members although the live tables need none.
// NOLINTNEXTLINE(readability-convert-member-functions-to-static): Tables policy
u64* detail::LiveTables::table(PhysAddr phys) { return phys_to_virt<u64>(phys); }

// Zeroed here, whoever gave the frame: through the boot tables' identity
// map before the switch (the boot carver hands out frames below 4 GiB), the
// direct map after it.
// NOLINTNEXTLINE(readability-convert-member-functions-to-static): Tables policy
ktl::optional<PhysAddr> detail::LiveTables::allocate_table() {
    if (g_tables == nullptr) return {};
    ktl::optional<PhysAddr> frame = g_tables();
    if (!frame) return {};
    __builtin_memset(phys_to_virt(*frame), 0, kPageSize);
    ++g_table_pages;
    return frame;
}

void detail::LiveTables::flush(VirtAddr virt) { invlpg(virt.value()); }

Mapper<detail::LiveTables> detail::live_mapper() {
    MapperConfig config = g_config;
    if (!g_initialized) config.nx = (rdmsr(MSR_EFER) & EFER_NXE) != 0;
    return Mapper<LiveTables>{g_live, PhysAddr{read_cr3() & Entry::kAddressMask}, config};
}

// ---- public ----

bool initialized() { return g_initialized; }
u64 physical_limit() { return g_physical_limit; }
void set_table_source(TableSource tables) { g_tables = tables; }
u64 table_pages() { return g_table_pages; }
const Protections& protections() { return g_protections; }

ktl::optional<Translation> lookup(u64 virt) {
    return detail::live_mapper().translate(VirtAddr{virt});
}

void unmap_guard_pages() {
    const Mapper<detail::LiveTables> live = detail::live_mapper();
    RecordingTables<detail::LiveTables> tables{&g_live};
    EditMapper mapper{tables, live.root(), live.config()};
    unmap_guards(mapper, true);
}

void init(const boot::BootParams& info, TableSource tables, void (*after_switch)()) {
    if (g_initialized) kernel::panic("paging: init called twice");
    g_tables = tables;
    Features cpu = detect_features();
    g_config = MapperConfig{cpu.nx, cpu.pages_1g};
    g_physical_limit = u64{1} << cpu.physical_bits;
    // Before any entry could select PAT entry 4 (kernel_space.hpp).
    (void)program_pat();
    PageFlags global = cpu.pge ? PageFlags::Global : PageFlags::None;

    const ktl::optional<PhysAddr> root_frame = g_live.allocate_table();
    if (!root_frame) kernel::panic("paging: no free frame for the kernel's PML4");
    const PhysAddr root = *root_frame;
    // Until write_cr3 below these tables are not in use: nothing to flush
    // (the flushes are recorded, never done). QEMU's TCG empties its whole
    // software TLB for an INVLPG inside the span of the large pages it has
    // seen, and init rewrites some 250 entries: the direct map's read-only
    // alias of the kernel image.
    RecordingTables<detail::LiveTables> building{&g_live};
    EditMapper mapper{building, root, g_config};

    // The kernel image, section by section (the linker script aligns each
    // to 4 KiB). Nothing is both writable and executable.
    check(map_kernel_part(mapper, __text_start, __rodata_start, PageFlags::Executable | global),
          "kernel .text");
    check(map_kernel_part(mapper, __rodata_start, __data_start, global), "kernel .rodata");
    check(map_kernel_part(mapper, __data_start, __kernel_virtual_end, PageFlags::Writable | global),
          "kernel .data/.bss");

    collect_direct_map_ranges(info, g_direct_map);
    PageCounts direct = map_direct(mapper, g_direct_map, PageFlags::Writable | global);
    // The direct map's alias of .text and .rodata is read-only (and NX): a
    // writable alias would let a stray write change the kernel's code and
    // undo W^X. (.data/.bss stay writable there, like all RAM.)
    const PhysRange code =
        PhysRange{PhysAddr{kernel_phys(__text_start)}, PhysAddr{kernel_phys(__rodata_end)}}
            .align_outward(kPageSize);
    check(mapper.map_range(VirtAddr{kDirectMapBase + code.base().value()}, code.base(), code.size(),
                           global, PageSize::Size4K, Overwrite::Yes),
          "the direct map's read-only alias of the kernel image");

    // No identity map: the lower half stays empty (page 0 included). The
    // boot console, which drew through the boot tables' identity map, moves
    // to the direct map right after the switch, before anything is logged.

    // The guard pages of the stacks registered so far (the boot stack's and
    // the IST stacks', by init_cpu_tables).
    unmap_guards(mapper, false);

    // Switch. The code, stack and data in use are at the same virtual
    // addresses in both tables.
    u64 cr0 = read_cr0();
    if ((cr0 & CR0_WP) == 0) write_cr0(cr0 | CR0_WP);
    write_cr3(root.value());
    activate_direct_map(g_direct_map.view().data(), g_direct_map.size());
    if (after_switch != nullptr) after_switch();
    u64 cr4 = read_cr4();
    if (cpu.pge) cr4 |= CR4_PGE;
    if (cpu.smep) cr4 |= CR4_SMEP;
    if (cpu.smap) cr4 |= CR4_SMAP;
    if (cpu.umip) cr4 |= CR4_UMIP;
    write_cr4(cr4);
    g_initialized = true;
    g_protections = {cpu.nx, true, cpu.smep, cpu.smap, cpu.umip, cpu.pge, cpu.pages_1g};

    PageFlags x = cpu.nx ? PageFlags::None : PageFlags::Executable;
    // Short lines: the VGA console is 80 columns wide; details go to debug.
    kernel::log::info("paging: kernel .text R-X, .rodata {}, .data/.bss {} (4 KiB pages)", rwx(x),
                      rwx(PageFlags::Writable | x));
    kernel::log::debug("paging: kernel image {:#x}-{:#x}", addr(__text_start),
                       addr(__kernel_virtual_end));
    kernel::log::info("paging: direct map of {} MiB at {:#x}, {}",
                      g_direct_map.total_bytes() / kMiB, kDirectMapBase,
                      rwx(PageFlags::Writable | x));
    kernel::log::debug("paging: direct map pages 1G/2M/4K: {}/{}/{}", direct.pages[2],
                       direct.pages[1], direct.pages[0]);
    kernel::log::info(
        "paging: lower half empty (no identity map); console moved to the direct map");
    for (const kernel::mm::KernelStack& stack : kernel::mm::kernel_stacks().stacks())
        if (stack.guard != 0)
            kernel::log::debug("paging: {} guard page at {:#x}", kernel::mm::label(stack).view(),
                               stack.guard);
    kernel::log::info("paging: {} table pages, {} guard pages, CR3 {:#x}", g_table_pages,
                      kernel::mm::kernel_stacks().guard_count(), root.value());
    report_protections(cpu);
    log_pat();
}

}  // namespace arch::paging

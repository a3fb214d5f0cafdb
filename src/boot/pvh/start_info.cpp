#include "boot/pvh/start_info.hpp"

#include "boot/pvh/protocol.h"

namespace boot::pvh {

namespace {

// Field offsets in hvm_start_info and its tables (Xen's start_info.h).
constexpr usize kMagic = 0, kVersion = PVH_INFO_VERSION, kNrModules = 12, kModlist = 16,
                kCmdline = 24, kRsdp = 32, kMemmap = PVH_INFO_MEMMAP_PADDR,
                kMemmapEntries = PVH_INFO_MEMMAP_ENTRIES;
constexpr usize kModPaddr = 0, kModSize = 8, kModCmdline = 16;
constexpr usize kMapAddr = PVH_MEMMAP_ADDR, kMapSize = PVH_MEMMAP_SIZE, kMapType = PVH_MEMMAP_TYPE;

// Little-endian loads from bytes with no alignment promise.
template <typename T>
T load(const u8* bytes, usize offset) {
    T value;
    __builtin_memcpy(&value, bytes + offset, sizeof value);
    return value;
}

MemoryKind kind_of(u32 type) {
    switch (type) {
        case PVH_MEMMAP_RAM:
            return MemoryKind::Usable;
        case PVH_MEMMAP_ACPI:
            return MemoryKind::AcpiReclaimable;
        case PVH_MEMMAP_NVS:
            return MemoryKind::AcpiNvs;
        case PVH_MEMMAP_UNUSABLE:
            return MemoryKind::Bad;
        default:
            // RESERVED, DISABLED, PMEM (not RAM to allocate from) and
            // anything newer: the kernel keeps its hands off.
            return MemoryKind::Reserved;
    }
}

// The NUL-terminated string at `phys`, read one byte at a time so the
// search never asks for memory past its terminator.
struct StringRead {
    bool readable{};
    bool terminated{};
    ktl::string_view text;
};

StringRead read_string(u64 phys, PhysReader read) {
    const u8* first = read(phys, 1);
    if (first == nullptr) return {false, false, {}};
    for (u64 n = 0; n < kMaxStringBytes; ++n) {
        if (phys + n < phys) return {false, false, {}};
        const u8* byte = read(phys + n, 1);
        if (byte == nullptr) return {false, false, {}};
        if (*byte == 0) {
            // The whole string is reachable byte by byte; ask for it in one
            // piece so the view is contiguous in the reader's terms too.
            const u8* text = read(phys, n + 1);
            if (text == nullptr) return {false, false, {}};
            return {true, true, {reinterpret_cast<const char*>(text), static_cast<usize>(n)}};
        }
    }
    return {true, false, {}};
}

DecodeResult fail(Error error, u64 address = 0, u32 entry = DecodeResult::kNoEntry) {
    return {error, entry, address};
}

DecodeResult decode_modules(const u8* info, PhysReader read, BootParams& out) {
    const u32 count = load<u32>(info, kNrModules);
    const u64 list_phys = load<u64>(info, kModlist);
    if (count == 0) return {};
    if (count > kMaxModules) return fail(Error::TooManyModules);
    if (list_phys == 0) return fail(Error::ModuleListMissing);
    const u8* list = read(list_phys, u64{count} * PVH_MODLIST_ENTRY_SIZE);
    if (list == nullptr) return fail(Error::ModuleListUnreadable, list_phys);
    for (u32 i = 0; i < count; ++i) {
        const u8* entry = list + usize{i} * PVH_MODLIST_ENTRY_SIZE;
        const u64 start = load<u64>(entry, kModPaddr);
        const u64 size = load<u64>(entry, kModSize);
        const u64 name_phys = load<u64>(entry, kModCmdline);
        if (start == 0) return fail(Error::ModuleAtZero, 0, i);
        u64 end = 0;
        if (__builtin_add_overflow(start, size, &end)) return fail(Error::ModuleWraps, start, i);
        ktl::string_view name;
        if (name_phys != 0) {
            const StringRead s = read_string(name_phys, read);
            if (!s.readable) return fail(Error::ModuleNameUnreadable, name_phys, i);
            if (!s.terminated) return fail(Error::ModuleNameUnterminated, name_phys, i);
            name = s.text;
        }
        if (out.module_count < BootParams::kMaxModules) {
            Module& kept = out.modules[out.module_count++];
            kept.start = PhysAddr{start};
            kept.end = PhysAddr{end};
            kept.name.assign(name);
            continue;
        }
        UntrackedModules& extra = out.untracked_modules;
        if (extra.count == 0 || PhysAddr{start} < extra.start) extra.start = PhysAddr{start};
        if (extra.count == 0 || PhysAddr{end} > extra.end) extra.end = PhysAddr{end};
        ++extra.count;
        extra.append_name(name);
    }
    return {};
}

DecodeResult decode_memory_map(const u8* info, u32 version, PhysReader read, BootParams& out) {
    if (version < 1) return {};  // version 0 has no memory map
    const u64 map_phys = load<u64>(info, kMemmap);
    const u32 count = load<u32>(info, kMemmapEntries);
    if (count == 0) return {};
    if (count > kMaxMemoryEntries) return fail(Error::TooManyMemoryRegions);
    if (map_phys == 0) return fail(Error::MemoryMapMissing);
    const u8* map = read(map_phys, u64{count} * PVH_MEMMAP_ENTRY_SIZE);
    if (map == nullptr) return fail(Error::MemoryMapUnreadable, map_phys);
    out.memory_map_present = true;
    for (u32 i = 0; i < count; ++i) {
        const u8* entry = map + usize{i} * PVH_MEMMAP_ENTRY_SIZE;
        const u64 base = load<u64>(entry, kMapAddr);
        const u64 length = load<u64>(entry, kMapSize);
        // base + length may reach 2^64 exactly (the last byte is 2^64 - 1).
        if (length != 0 && base + (length - 1) < base)
            return fail(Error::MemoryRegionWraps, base, i);
        if (out.memory_count == BootParams::kMaxMemoryRegions) {
            ++out.memory_dropped;
            continue;
        }
        out.memory[out.memory_count++] = {PhysAddr{base}, length,
                                          kind_of(load<u32>(entry, kMapType))};
    }
    return {};
}

// ACPI spec 5.2.5.3: signature 0..7, OEM ID 9..14, revision 15.
DecodeResult decode_rsdp(const u8* info, PhysReader read, BootParams& out) {
    constexpr u64 kRsdpV1Size = 20;
    const u64 phys = load<u64>(info, kRsdp);
    if (phys == 0) return {};
    const u8* rsdp = read(phys, kRsdpV1Size);
    if (rsdp == nullptr) return fail(Error::RsdpUnreadable, phys);
    if (__builtin_memcmp(rsdp, "RSD PTR ", 8) != 0) return fail(Error::RsdpBadSignature, phys);
    out.rsdp.present = true;
    out.rsdp.revision = rsdp[15];
    __builtin_memcpy(out.rsdp.oem_id, rsdp + 9, 6);
    out.rsdp.oem_id[6] = '\0';
    out.rsdp.phys = PhysAddr{phys};
    out.rsdp.origin = "hvm_start_info";
    return {};
}

}  // namespace

DecodeResult decode(u64 phys, PhysReader read, BootParams& out) {
    out.clear();
    out.protocol = "PVH";
    out.info_phys = PhysAddr{phys};
    const u8* head = read(phys, PVH_INFO_SIZE_V0);
    if (head == nullptr) return fail(Error::InfoUnreadable, phys);
    if (load<u32>(head, kMagic) != PVH_START_MAGIC) return fail(Error::BadMagic, phys);
    const u32 version = load<u32>(head, kVersion);
    const u32 size = version >= 1 ? PVH_INFO_SIZE_V1 : PVH_INFO_SIZE_V0;
    const u8* info = read(phys, size);
    if (info == nullptr) return fail(Error::InfoUnreadable, phys);
    out.info_size = size;
    // PVH names no loader: the protocol (and its structure's version) is
    // all there is to report.
    char name[] = "PVH (hvm_start_info version 0)";
    if (version <= 9) name[sizeof name - 3] = static_cast<char>('0' + version);
    out.loader_name.assign(version <= 9 ? ktl::string_view{name, sizeof name - 1}
                                        : ktl::string_view{"PVH (hvm_start_info version > 9)"});

    const u64 cmdline = load<u64>(info, kCmdline);
    if (cmdline != 0) {
        const StringRead s = read_string(cmdline, read);
        if (!s.readable) return fail(Error::CmdlineUnreadable, cmdline);
        if (!s.terminated) return fail(Error::CmdlineUnterminated, cmdline);
        out.cmdline.assign(s.text);
    }
    if (DecodeResult r = decode_memory_map(info, version, read, out); !r.ok()) return r;
    if (DecodeResult r = decode_modules(info, read, out); !r.ok()) return r;
    return decode_rsdp(info, read, out);
}

}  // namespace boot::pvh

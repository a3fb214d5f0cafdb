// The vocabulary of virtual memory that portable code shares with the
// architecture: how a mapping is cached, and why a mapping request failed.
// The x86 encodings live in src/arch/x86_64/paging/ (docs/virtual-memory.md).
#pragma once

#include "lib/ktl/types.hpp"

// The memory type of a mapping. Portable code asks for WriteBack (RAM,
// firmware tables), WriteCombining (framebuffers) or Uncached (device
// registers); WriteThrough and UncachedMinus exist because translation
// reports what an entry says, whoever wrote it.
enum class CacheType : u8 {
    WriteBack,
    WriteThrough,
    UncachedMinus,  // UC-: uncached, but an MTRR saying WC wins
    Uncached,
    WriteCombining,
};

[[nodiscard]] constexpr const char* cache_type_name(CacheType type) {
    switch (type) {
        case CacheType::WriteBack:
            return "write-back";
        case CacheType::WriteThrough:
            return "write-through";
        case CacheType::UncachedMinus:
            return "uncached-minus";
        case CacheType::Uncached:
            return "uncached";
        case CacheType::WriteCombining:
            return "write-combining";
    }
    return "?";
}

// Why an address-space operation failed. Every operation either does all
// of what it was asked or nothing (out of memory included: what was mapped
// is undone).
enum class VmError : u8 {
    AlreadyMapped,     // map: some page of the range is mapped already
    NotMapped,         // unmap/protect/translate: some page of the range is not mapped
    OutOfMemory,       // no frame for a page table, or no virtual space left
    Misaligned,        // an address or length is not a multiple of 4 KiB, or is 0
    NonCanonical,      // the range leaves the canonical half it starts in
    PhysOutOfRange,    // the physical range reaches past the CPU's address width (2^52 at most)
    PartialLargePage,  // the range covers part of a 2 MiB/1 GiB page (never split)
    BadPermissions,    // permissions other than write/execute/user/global asked for
    NotReady,          // the kernel's page tables do not exist yet
    AvailableRam,      // map_mmio: the memory map lists part of the range as available RAM
    InterruptRange,    // map_mmio: part of the range is the local APIC's interrupt-message range
};

[[nodiscard]] constexpr const char* describe(VmError error) {
    switch (error) {
        case VmError::AlreadyMapped:
            return "part of the range is already mapped";
        case VmError::NotMapped:
            return "part of the range is not mapped";
        case VmError::OutOfMemory:
            return "out of memory for page tables or virtual space";
        case VmError::Misaligned:
            return "an address or length is not a non-zero multiple of 4 KiB";
        case VmError::NonCanonical:
            return "the range is not canonical";
        case VmError::PhysOutOfRange:
            return "the physical range reaches past the CPU's physical address width";
        case VmError::PartialLargePage:
            return "the range covers only part of a large page";
        case VmError::BadPermissions:
            return "only write, execute, user and global may be asked for";
        case VmError::NotReady:
            return "the kernel's page tables are not set up yet";
        case VmError::AvailableRam:
            return "it lies in available RAM (the memory map says so)";
        case VmError::InterruptRange:
            return "it lies in the local APIC's range 0xfee00000-0xfeefffff, where a write is "
                   "an interrupt message";
    }
    return "unknown error";
}

// The PVH decoder: the hvm_start_info a PVH loader (QEMU's -kernel, Xen)
// hands over in EBX, with the module list, command line, memory map and
// RSDP it points at, turned into the kernel's neutral BootParams.
//
// Every address in it is untrusted: each range is read through the
// PhysReader, which refuses what is not reachable, and every count is
// bounded before it is used, so hostile input ends in an Error, never in a
// read out of bounds or an endless loop.
#pragma once

#include "boot/loader.hpp"  // PhysReader
#include "boot/params.hpp"
#include "boot/pvh/error.hpp"

namespace boot::pvh {

// Limits past which a count is corrupt, not real: QEMU passes one module
// and a few dozen memory map entries; Xen's own limits are far lower.
constexpr u32 kMaxModules = 4096;
constexpr u32 kMaxMemoryEntries = 65536;
// How far a command line is searched for its NUL.
constexpr u64 kMaxStringBytes = u64{64} * 1024;

// Decodes the hvm_start_info at `phys` into `out` (cleared first). On
// failure `out` holds what was decoded before the error and must not be
// trusted.
[[nodiscard]] DecodeResult decode(u64 phys, PhysReader read, BootParams& out);

}  // namespace boot::pvh

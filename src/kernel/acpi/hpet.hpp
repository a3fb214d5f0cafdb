// The HPET description table (IA-PC HPET specification 1.0a §3.2.4): where
// the first High Precision Event Timer block is.
#pragma once

#include "kernel/acpi/bytes.hpp"
#include "kernel/acpi/error.hpp"
#include "kernel/acpi/gas.hpp"
#include "lib/result.hpp"

namespace kernel::acpi {

inline constexpr u32 kHpetLength = 56;
// The event timer block's size (IA-PC HPET specification, 2.3): the
// registers of up to 32 comparators.
inline constexpr u64 kHpetRegisterBytes = 1024;

struct Hpet {
    u32 event_timer_block_id{};  // hardware revision, comparator count, vendor
    GenericAddress base;         // memory space on every PC
    u8 number{};                 // HPET sequence number
    u16 min_tick{};              // minimum clock ticks in periodic mode
    u8 page_protection{};

    [[nodiscard]] u8 comparators() const {
        return static_cast<u8>(((event_timer_block_id >> 8) & 0x1f) + 1);
    }
    [[nodiscard]] u16 vendor() const { return static_cast<u16>(event_timer_block_id >> 16); }
};

Result<Hpet, TableError> parse_hpet(Bytes table);

}  // namespace kernel::acpi

#include "drivers/hpet/capabilities.hpp"

namespace drivers::hpet {

Result<Capabilities, ktl::string_view> decode_capabilities(u64 value) {
    Capabilities c{};
    c.period_fs = static_cast<u32>(value >> 32);
    c.vendor = static_cast<u16>(value >> 16);
    c.legacy = (value & (1U << 15)) != 0;
    c.wide = (value & (1U << 13)) != 0;
    c.timers = static_cast<u8>(((value >> 8) & 0x1F) + 1);
    c.revision = static_cast<u8>(value);
    if (c.revision == 0) return ktl::string_view{"revision 0 (no HPET answers there)"};
    if (c.period_fs == 0 || c.period_fs > kMaxPeriodFs)
        return ktl::string_view{"its period is not 1 fs to 100 ns"};
    return c;
}

}  // namespace drivers::hpet

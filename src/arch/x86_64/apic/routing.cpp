#include "arch/x86_64/apic/routing.hpp"

namespace arch::apic {

namespace acpi = kernel::acpi;

ktl::optional<IsaRoute> route_isa(u8 irq, ktl::span<const acpi::InterruptOverride> overrides,
                                  Trigger default_trigger, Polarity default_polarity) {
    if (irq > 15) return ktl::nullopt;
    for (const acpi::InterruptOverride& o : overrides) {
        if (o.bus != 0 || o.irq != irq) continue;
        IsaRoute route{o.gsi, default_trigger, default_polarity, true};
        if (acpi::trigger(o.flags) == acpi::Trigger::Edge) route.trigger = Trigger::Edge;
        if (acpi::trigger(o.flags) == acpi::Trigger::Level) route.trigger = Trigger::Level;
        if (acpi::polarity(o.flags) == acpi::Polarity::High) route.polarity = Polarity::ActiveHigh;
        if (acpi::polarity(o.flags) == acpi::Polarity::Low) route.polarity = Polarity::ActiveLow;
        return route;
    }
    for (const acpi::InterruptOverride& o : overrides)
        if (o.bus == 0 && o.gsi == irq) return ktl::nullopt;
    return IsaRoute{irq, default_trigger, default_polarity, false};
}

ktl::optional<usize> io_apic_for(u32 gsi, ktl::span<const IoApicRange> ranges) {
    for (usize i = 0; i < ranges.size(); ++i)
        if (gsi >= ranges[i].gsi_base && gsi - ranges[i].gsi_base < ranges[i].inputs) return i;
    return ktl::nullopt;
}

bool gsis_overlap(u32 gsi_base, u32 inputs, ktl::span<const IoApicRange> taken) {
    const u64 start = gsi_base;
    const u64 end = start + inputs;
    for (const IoApicRange& r : taken) {
        const u64 r_start = r.gsi_base;
        const u64 r_end = r_start + r.inputs;
        if (start < r_end && r_start < end) return true;
    }
    return false;
}

ktl::string_view io_apic_address_problem(u64 address, ktl::span<const u64> mapped) {
    if (address % 16 != 0) return "its address is not 16-byte aligned, as its registers are";
    for (const u64 other : mapped)
        if (other != address && address < other + kIoApicRegisterBytes &&
            other < address + kIoApicRegisterBytes)
            return "its registers overlap another I/O APIC's";
    return "";
}

u64 encode(const Redirection& entry) {
    // Delivery mode 000 (fixed) unless NMI, destination mode 0 (physical).
    u64 value = entry.vector;
    if (entry.nmi) value |= kRedirectionNmi;
    if (entry.polarity == Polarity::ActiveLow) value |= kRedirectionActiveLow;
    if (entry.trigger == Trigger::Level) value |= kRedirectionLevel;
    if (entry.masked) value |= kRedirectionMasked;
    value |= static_cast<u64>(entry.destination) << 56;
    return value;
}

Redirection decode(u64 entry) {
    return {static_cast<u8>(entry & 0xFF),
            (entry & kRedirectionLevel) != 0 ? Trigger::Level : Trigger::Edge,
            (entry & kRedirectionActiveLow) != 0 ? Polarity::ActiveLow : Polarity::ActiveHigh,
            (entry & kRedirectionMasked) != 0,
            static_cast<u8>(entry >> 56),
            (entry & kRedirectionDeliveryMask) == kRedirectionNmi};
}

const char* trigger_name(Trigger trigger) { return trigger == Trigger::Level ? "level" : "edge"; }
const char* polarity_name(Polarity polarity) {
    return polarity == Polarity::ActiveLow ? "low" : "high";
}

}  // namespace arch::apic

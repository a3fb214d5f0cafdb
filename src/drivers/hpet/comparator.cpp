#include "drivers/hpet/comparator.hpp"

#include "drivers/hpet/hpet.hpp"
#include "drivers/hpet/timer_registers.hpp"
#include "kernel/log/log.hpp"
#include "kernel/sync/guard.hpp"
#include "kernel/sync/spinlock.hpp"
#include "kernel/time/clock.hpp"

namespace drivers::hpet::comparator {

namespace {

constexpr u8 kTimer = 0;

// g_owned: taken by claim() (an atomic exchange, so two claimers cannot
// both install), given back by release(). The rest is under g_lock.
bool g_owned = false;
kernel::Spinlock g_lock;
kernel::irq::Handle g_handle{};
bool g_legacy = false;
u8 g_route = 0;
TimerCaps g_caps{};
TimerMode g_mode = TimerMode::Off;
u32 g_isa_inputs = isa_inputs(nullptr, 0);  // by learn_isa_routes(), at boot
u64 g_fired = 0;                            // atomic: read without the lock
u64 g_last_ns = 0;                          // atomic
u64 g_last_cmp = 0;                         // atomic

void program(TimerMode mode) {
    const usize config = timer_config_offset(kTimer);
    write_register(config, encode_timer(read_register(config), mode, g_route));
    g_mode = mode;
}

void write_comparator(u64 value) { write_timer_comparator(kTimer, value, g_caps.wide); }

u64 comparator_now() { return read_timer_comparator(kTimer, g_caps.wide); }

void on_interrupt(void* /*context*/) {
    __atomic_store_n(&g_last_ns, kernel::time::now_ns(), __ATOMIC_RELAXED);
    __atomic_store_n(&g_last_cmp, comparator_now(), __ATOMIC_RELAXED);
    __atomic_fetch_add(&g_fired, 1, __ATOMIC_RELEASE);
    const kernel::SpinlockGuard guard(g_lock);
    // A 32-bit comparator would match again after the counter wraps.
    if (g_mode == TimerMode::OneShot) program(TimerMode::Off);
}

// IRQ 8 must be free before the legacy route takes it.
bool isa_irq_in_use(u8 irq) {
    kernel::irq::LineInfo info;
    for (usize slot = 0; slot < kernel::irq::line_slots(); ++slot)
        if (kernel::irq::line_info(slot, info) && info.isa_irq == irq) return true;
    return false;
}

Result<kernel::irq::Handle, ktl::string_view> install_route() {
    const u32 routes = free_routes(g_caps.route_cap, g_isa_inputs);
    for (u8 gsi = 0; gsi < 32; ++gsi) {
        if ((routes & (1U << gsi)) == 0) continue;
        const Result<kernel::irq::Handle, kernel::irq::IrqError> r =
            kernel::irq::install_gsi(gsi, kLineName, on_interrupt, nullptr,
                                     kernel::irq::Trigger::Edge, kernel::irq::Polarity::ActiveHigh);
        if (r) {
            g_route = gsi;
            return *r;
        }
    }
    if (!capabilities().legacy)
        return ktl::string_view{
            "timer 0 can drive no I/O APIC input free of ISA devices, and "
            "the HPET has no legacy route"};
    if (isa_irq_in_use(8))
        return ktl::string_view{"the legacy route would take IRQ 8, which is in use"};
    write_register(kConfigurationOffset, read_register(kConfigurationOffset) | kConfigLegacyRoute);
    const Result<kernel::irq::Handle, kernel::irq::IrqError> r =
        kernel::irq::install_isa(0, kLineName, on_interrupt, nullptr);
    if (!r) {
        write_register(kConfigurationOffset,
                       read_register(kConfigurationOffset) & ~kConfigLegacyRoute);
        return kernel::irq::describe(r.error());
    }
    g_legacy = true;
    g_route = 0;
    return *r;
}

Result<void, ktl::string_view> arm(TimerMode mode, u64 ns) {
    if (ns < kMinDelayNs) return ktl::string_view{"the delay is shorter than 10 us"};
    const kernel::IrqSaveSpinlockGuard guard(g_lock);
    if (!g_handle.valid()) return ktl::string_view{"timer 0 is not claimed"};
    if (mode == TimerMode::Periodic && !g_caps.periodic)
        return ktl::string_view{"timer 0 cannot be periodic"};
    const u64 ticks = ticks_for_ns(ns, capabilities().period_fs);
    if (!g_caps.wide && ticks > 0xFFFF'FFFFULL)
        return ktl::string_view{"the delay does not fit timer 0's 32-bit comparator"};
    // The comparator is written while the interrupt is off: an old value
    // the counter has passed must not fire at once.
    program(TimerMode::Off);
    write_comparator(read_counter() + ticks);
    if (mode == TimerMode::Periodic) {
        // With Tn_VAL_SET_CNF the first write sets the comparator, the
        // second the period it is reloaded with (§2.3.9.2.2).
        program(TimerMode::Periodic);
        write_comparator(read_counter() + ticks);
        write_comparator(ticks);
    } else {
        program(TimerMode::OneShot);
    }
    return {};
}

}  // namespace

void learn_isa_routes(const kernel::acpi::Madt& madt) {
    IsaOverride overrides[16]{};
    usize count = 0;
    for (usize i = 0; i < madt.override_count && count < 16; ++i) {
        const kernel::acpi::InterruptOverride& o = madt.overrides[i];
        if (o.bus == 0) overrides[count++] = {o.irq, o.gsi};
    }
    g_isa_inputs = isa_inputs(overrides, count);
}

u32 isa_input_mask() { return g_isa_inputs; }

Result<void, ktl::string_view> claim() {
    if (!present()) return ktl::string_view{"no HPET"};
    if (__atomic_exchange_n(&g_owned, true, __ATOMIC_ACQUIRE))
        return ktl::string_view{"timer 0 is already claimed"};
    g_caps = decode_timer(read_register(timer_config_offset(kTimer)));
    g_legacy = false;
    {
        const kernel::IrqSaveSpinlockGuard guard(g_lock);
        program(TimerMode::Off);  // the firmware may have left it on
    }
    const Result<kernel::irq::Handle, ktl::string_view> h = install_route();
    if (!h) {
        __atomic_store_n(&g_owned, false, __ATOMIC_RELEASE);
        return h.error();
    }
    __atomic_store_n(&g_fired, 0, __ATOMIC_RELAXED);
    {
        const kernel::IrqSaveSpinlockGuard guard(g_lock);
        g_handle = *h;
    }
    const ktl::string_view modes = g_caps.periodic ? "one-shot and periodic" : "one-shot only";
    if (g_legacy)
        kernel::log::info("hpet: timer 0 on the legacy route (IRQ 0, the PIT's), {}", modes);
    else
        kernel::log::info("hpet: timer 0 on GSI {} (edge, high), {}", g_route, modes);
    return {};
}

void release() {
    kernel::irq::Handle h{};
    {
        const kernel::IrqSaveSpinlockGuard guard(g_lock);
        if (!g_handle.valid()) return;
        program(TimerMode::Off);
        h = g_handle;
        g_handle = {};
    }
    (void)kernel::irq::remove(h);
    if (g_legacy)
        write_register(kConfigurationOffset,
                       read_register(kConfigurationOffset) & ~kConfigLegacyRoute);
    g_legacy = false;
    __atomic_store_n(&g_owned, false, __ATOMIC_RELEASE);
}

bool claimed() {
    const kernel::IrqSaveSpinlockGuard guard(g_lock);
    return g_handle.valid();
}

bool can_be_periodic() { return g_caps.periodic; }

kernel::irq::Handle handle() {
    const kernel::IrqSaveSpinlockGuard guard(g_lock);
    return g_handle;
}

Result<void, ktl::string_view> arm_oneshot(u64 ns) { return arm(TimerMode::OneShot, ns); }
Result<void, ktl::string_view> arm_periodic(u64 ns) { return arm(TimerMode::Periodic, ns); }

void stop() {
    const kernel::IrqSaveSpinlockGuard guard(g_lock);
    if (g_handle.valid()) program(TimerMode::Off);
}

u64 fired() { return __atomic_load_n(&g_fired, __ATOMIC_ACQUIRE); }
u64 last_fired_ns() { return __atomic_load_n(&g_last_ns, __ATOMIC_RELAXED); }
u64 last_fired_comparator() { return __atomic_load_n(&g_last_cmp, __ATOMIC_RELAXED); }

u64 read_comparator() {
    const kernel::IrqSaveSpinlockGuard guard(g_lock);
    return comparator_now();
}

}  // namespace drivers::hpet::comparator

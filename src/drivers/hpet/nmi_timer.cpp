#include "drivers/hpet/nmi_timer.hpp"

#include "drivers/hpet/comparator.hpp"
#include "drivers/hpet/hpet.hpp"
#include "drivers/hpet/timer_registers.hpp"
#include "kernel/irq/irq.hpp"

namespace drivers::hpet::nmi_timer {

namespace {

// Set by reserve() and run() on the boot CPU before the first NMI;
// g_last is the NMI handler's.
u8 g_timer = 0;
u8 g_route = 0;
u64 g_period_ticks = 0;
TimerCaps g_caps{};
u64 g_last = 0;
kernel::watchdog::NmiSource g_source{};

u64 comparator() { return read_timer_comparator(g_timer, g_caps.wide); }

void write_comparator(u64 value) { write_timer_comparator(g_timer, value, g_caps.wide); }

bool claim() {
    const u64 now = comparator();
    if (now == g_last) return false;
    g_last = now;
    return true;
}

void stop() {
    const usize config = timer_config_offset(g_timer);
    write_register(config, encode_timer(read_register(config), TimerMode::Off, g_route));
}

}  // namespace

Result<const kernel::watchdog::NmiSource*, ktl::string_view> reserve(u32 period_ms) {
    if (!present()) return ktl::string_view{"no HPET"};
    const u8 timers = capabilities().timers;
    if (timers < 2) return ktl::string_view{"the HPET has only timer 0"};
    bool periodic = false;
    for (u8 timer = timers - 1; timer >= 1; --timer) {
        const TimerCaps caps = decode_timer(read_register(timer_config_offset(timer)));
        if (!caps.periodic) continue;
        periodic = true;
        const u32 routes = free_routes(caps.route_cap, comparator::isa_input_mask());
        // From the top: the comparator driver takes the lowest free input
        // for timer 0 (its tests expect GSI 16 on q35).
        for (u8 gsi = 32; gsi-- > 0;) {
            if ((routes & (1U << gsi)) == 0) continue;
            if (!kernel::irq::install_nmi_gsi(gsi, "watchdog NMI (hpet)",
                                              kernel::irq::Polarity::ActiveHigh))
                continue;
            g_timer = timer;
            g_route = gsi;
            g_caps = caps;
            const u64 ticks = ticks_for_ns(u64{period_ms} * 1'000'000, capabilities().period_fs);
            g_period_ticks = caps.wide || ticks <= 0xFFFF'FFFFULL ? ticks : 0xFFFF'FFFFULL;
            const usize config = timer_config_offset(timer);
            write_register(config, encode_timer(read_register(config), TimerMode::Off, gsi));
            g_source = {"an HPET NMI", period_ms, claim, stop};
            return &g_source;
        }
    }
    return ktl::string_view{periodic
                                ? "no periodic HPET timer above 0 can drive a free I/O APIC input"
                                : "no HPET timer above 0 can be periodic"};
}

void run() {
    if (g_period_ticks == 0) return;
    // Whatever NMI comes while the timer is being set up is taken for its
    // own: enabling it may fire once on a comparator the firmware left
    // behind, before the writes below replace it, and its NMI arrives
    // later than the write that caused it.
    g_last = ~u64{0};
    const usize config = timer_config_offset(g_timer);
    // As the comparator driver arms its periodic mode: the comparator
    // written while the timer is off (an old value the counter has passed
    // must not fire at once), then with Tn_VAL_SET_CNF the first write sets
    // the comparator, the second the period.
    write_register(config, encode_timer(read_register(config), TimerMode::Off, g_route));
    write_comparator(read_counter() + g_period_ticks);
    write_register(config, encode_timer(read_register(config), TimerMode::Periodic, g_route));
    write_comparator(read_counter() + g_period_ticks);
    write_comparator(g_period_ticks);
}

}  // namespace drivers::hpet::nmi_timer

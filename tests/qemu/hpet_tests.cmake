# The HPET's timer 0 (drivers/hpet/comparator.hpp, docs/time.md): a one-shot
# and a periodic interrupt through the I/O APIC, timed by the TSC clock, on
# both routes the driver knows: the legacy replacement route on `pc` (whose
# timers can drive only the PIT's input) and a free route-capability input
# on `q35`. Included by tests/CMakeLists.txt (keel_boot_test()).

set(hpet_ktests --direct "${CMAKE_BINARY_DIR}/keel.elf" --cmdline test=irq_hpet --ktap --expect-exit 33
    --reject PANIC --reject [[hpet: timer 0 not claimed]]
    --expect [[^ok [0-9]+ irq_hpet_oneshot_fires_once_after_its_delay$]]
    --expect [[^ok [0-9]+ irq_hpet_periodic_keeps_its_period_and_stops$]]
    --expect [[^hpet: one-shot of 20000 us arrived after [0-9]+ us$]])
keel_boot_test(hpet.ktest.pc TIMEOUT 90
    ARGS ${hpet_ktests} --machine pc
         --expect [[^irq: IRQ 0 -> GSI 2 vector 0x[0-9a-f]+ \(edge, high\) for "hpet timer 0"$]]
         --expect [[^hpet: timer 0 on the legacy route \(IRQ 0, the PIT's\), one-shot and periodic$]])
keel_boot_test(hpet.ktest.q35 TIMEOUT 90
    ARGS ${hpet_ktests} --machine q35
         --expect [[^hpet: timer 0 on GSI 16 \(edge, high\), one-shot and periodic$]])

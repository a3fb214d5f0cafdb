# Interrupts (docs/interrupts.md): the controllers' boot report on each
# machine and firmware, the interrupt API's in-kernel tests on the real
# controllers, the tick and sleep against the TSC, a machine without I/O
# APIC, and a fault inside an interrupt handler. Included by
# tests/CMakeLists.txt, which defines keel_boot_test() (and, through
# crash_tests.cmake, keel_crash_test()).

set(irq_ready [[ready in [0-9]+ us]])

# The report on both machine types under SeaBIOS (irq_summary and irq_timer:
# tests/CMakeLists.txt; OVMF's: boot.uefi.ready in boot_paths_tests.cmake and
# power.button.uefi.q35 in power_tests.cmake);
# nothing unexpected arrives while the boot finishes.
foreach(machine IN ITEMS pc q35)
    keel_boot_test(interrupts.bios.${machine} TIMEOUT 60
        ARGS --iso "${KEEL_ISO}" --machine ${machine} --expect "${irq_ready}" --reject PANIC
             --expect "${irq_summary}" --expect "${irq_timer}" ${irq_quiet})
endforeach()

# The interrupt API on the real controllers (src/arch/x86_64/irq/irq_ktest.cpp):
# IRQ 0 (the PIT) routed through the MADT's override to GSI 2, counted,
# silent while masked; self-IPIs; a storm masked; stray vectors counted.
foreach(machine IN ITEMS pc q35)
    keel_boot_test(interrupts.ktest.${machine} TIMEOUT 90
        ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --machine ${machine} --cmdline test=irq_ --ktap
             --expect-exit 33 --reject PANIC
             --expect [[^irq: IRQ 0 -> GSI 2 vector 0x[3-9a-d][0-9a-f] \(edge, high\) for "ktest pit"$]]
             --expect [[^ok [0-9]+ irq_isa_line_counts_stops_when_masked_and_is_removed$]]
             --expect [[^error: irq: interrupt storm on GSI [0-9]+ \(vector 0x[0-9a-f]+\) "ktest storm": over 5000 interrupts in 100 ms; line masked$]]
             --expect [[^warning: interrupts: unexpected vector 0xdf \(no handler\) at 0x[0-9a-f]+; counted, reported once$]])
endforeach()

# The tick against the TSC (src/kernel/time/tick_ktest.cpp): 100 +/- 10
# ticks per second, each period as long as it was armed for, none while
# masked, a 100 ms sleep within 10 % by the TSC and by the HPET.
keel_boot_test(interrupts.ktest.timer TIMEOUT 90
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cmdline test=timer_ --ktap --expect-exit 33
         --reject PANIC
         --expect-range [[^timer: ([0-9]+) ticks in 1 s of TSC time]] 90 110
         --expect [[^timer: 0 tick interrupts in 100 ms masked, [0-9]+ in 100 ms unmasked$]]
         --expect-range [[^timer: sleep_us\(100000\) took ([0-9]+) us]] 100000 110000
         --expect-range [[^timer: sleep_us\(100000\) took ([0-9]+) us of HPET time$]] 100000 110000
         --expect [[^timer: [0-9]+ periods timed, each took [0-9.]+x \(smallest\)]])

# No ACPI, so no MADT: the PICs are still masked, the local APIC and its
# tick run, device interrupts are off, and the boot goes on. Label timing:
# the tick needs the TSC's rate, which without ACPI only PIT channel 2 can
# give, and only with a host core to itself (as time.no_acpi).
keel_boot_test(interrupts.no_ioapic LABELS timing
    ARGS --iso "${KEEL_ISO}" --qemu-arg=-machine --qemu-arg=acpi=off --expect "${irq_ready}"
         --reject PANIC
         --expect [[^interrupts: local APIC 0 \(xAPIC at 0xfee00000\), no I/O APIC, PIC masked$]]
         --expect [[interrupts: no I/O APIC in the ACPI tables; device interrupts off$]]
         --expect "${irq_timer}")

# A fault inside an interrupt handler: the report names the line.
if(COMMAND keel_crash_test)
    keel_crash_test(irq-handler FUNCTION irq_handler_fault
        EXPECT "^PANIC: Page Fault at 0x0000000000000000 \\(not-present read, kernel mode\\) inside the handler of GSI [0-9]+ \"crash test\" \\(vector 0x[0-9a-f]+\\)$")
    # The same inside the local APIC timer's handler (the tick hook): not a
    # device line, named by its vector's handler.
    keel_crash_test(tick-handler FUNCTION tick_hook_fault
        EXPECT "^PANIC: Page Fault at 0x0000000000000000 \\(not-present read, kernel mode\\) inside the handler of \"local APIC timer\" \\(vector 0x[0-9a-f]+\\)$")
    # An interrupt on an exception's vector (an I/O APIC entry or message
    # given one): named as what it is, not read as that exception.
    keel_crash_test(exception-vector-irq FUNCTION exception_vector_irq
        EXPECT "^PANIC: an interrupt arrived on vector 17, the #AC exception's, at 0x[0-9a-f]+ .*exception_vector_irq.*: a device, an I/O APIC entry or an interrupt message was given that vector$")
endif()

# A CPU without a local APIC (CPUID.01H:EDX.APIC clear): the boot says so,
# each device that wanted an interrupt says why it has none, in those
# words (not "the Interrupts phase has not run": it ran), and is polled:
# a command typed on COM1 still runs.
keel_boot_test(interrupts.no_local_apic
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cpu qemu64,-apic --reject PANIC
         --expect [[^warning: interrupts: no local APIC \(the CPU has no local APIC \(CPUID\.01H:EDX\.APIC = 0\)\); PIC masked, device interrupts off$]]
         --expect [[^warning: input: IRQ 1 for ps/2 keyboard not installed \(device interrupts are off: the CPU has no usable local APIC\): polled instead$]]
         --expect [[^warning: power: the SCI \(IRQ 9\) has no handler \(device interrupts are off: the CPU has no usable local APIC\); the idle loop polls the power button$]]
         --expect "${ready}"
         --type [[^keel> ]] [[echo polled\r]]
         --expect [[^keel> echo polled\npolled$]])

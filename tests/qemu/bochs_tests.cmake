# Bochs (label bochs): the platform and interrupt tests of issues 9 and 10
# on an emulator other than QEMU, through tests/bochs/run_bochs.py (a
# kernel command line by an ISO variant, COM1 as a socket that --type
# writes to, Bochs' own exit on the guest's ACPI soft-off: status 1 with
# the Bochs panic "ACPI control: soft power off", docs/power.md). Bochs
# has no isa-debug-exit, so a `test=` run ends by powering off too. Each
# run takes 20-40 s on an idle host. Included by tests/CMakeLists.txt.

if(KEEL_BOCHS_TESTS)
    # name, then the runner's arguments; every run rejects PANIC.
    function(keel_bochs_test name)
        add_test(NAME ${name}
            COMMAND "${Python3_EXECUTABLE}" "${KEEL_BOCHS_RUNNER}" --name ${name}
                    --log-dir "${KEEL_TEST_LOGS}/${name}" --timeout 120 --reject PANIC
                    ${ARGN})
        # Label timing (tests/CMakeLists.txt): Bochs keeps time by the host's
        # clock, and its in-kernel tests measure it.
        set_tests_properties(${name} PROPERTIES LABELS "bochs;timing" TIMEOUT 180 COST 10)
    endfunction()

    # The `poweroff` option ends Bochs, through the PM1a port of Bochs' FADT
    # (0xb004, not QEMU's 0x604). At loglevel=debug: Bochs' IRQ 0 override
    # (flags 0, so ISA's edge and high), and the power button set up on a
    # FADT without any GPE block (`.` for the line's `;`, which ARGN would
    # split).
    keel_bochs_test(bochs.poweroff
        --kernel "${KEEL_KERNEL_ELF}" --cmdline "loglevel=debug poweroff" --expect-exit 1
        --exit-within 5 [[^power: powering off]]
        --expect [[^debug: irq override: IRQ 0 -> GSI 2 \(edge, high\)$]]
        --expect [[^debug: power: every PM1 and GPE event disabled and cleared but the button \(no GPE0. no GPE1\)$]]
        --expect [[^power: power button enabled \(PM1 event block io 0xb000\)$]]
        --expect [[^power: soft-off through PM1a control io 0xb004, SLP_TYPa 0$]]
        --expect [[^power: powering off \(PM1a control io 0xb004, SLP_TYPa 0\)$]])

    # The interrupt API's in-kernel tests (test=irq_: the PIT through the
    # I/O APIC, self-IPIs, a storm, stray vectors, the HPET comparator),
    # then the tick, the 100 ms sleep and the deadline (timer_), in one
    # boot; the run ends by powering off.
    keel_bochs_test(bochs.ktest
        --kernel "${KEEL_KERNEL_ELF}" --cmdline test=irq_,timer_ --ktap --expect-exit 1
        --expect [[^irq: IRQ 0 -> GSI 2 vector 0x[3-9a-d][0-9a-f] \(edge, high\) for "ktest pit"$]]
        --expect [[^ok [0-9]+ irq_storm_is_masked_and_counted$]]
        --expect [[^ok [0-9]+ irq_hpet_oneshot_fires_once_after_its_delay$]]
        --expect [[^hpet: timer 0 on GSI 16 \(edge, high\), one-shot and periodic$]]
        --expect [[^timer: 0 tick interrupts in 100 ms masked, [0-9]+ in 100 ms unmasked$]]
        --expect [[^test: all passed. no isa-debug-exit device, so the tests end by powering off$]])  # . for ;: a CMake list separator

    # The ISO as users have it, through GRUB: the ACPI report from Bochs'
    # tables (an RSDT, one CPU, I/O APIC 1, the HPET), then typed on COM1
    # and answered there: `uptime` and `irq` twice. The tick's count grows
    # between the two listings (the timer ticks), COM1's too (it took the
    # typed lines).
    keel_bochs_test(boot.bochs
        --iso "${KEEL_ISO}" --expect "${ready}"
        --expect [[^acpi: RSDP revision 0 \(BOCHS \), RSDT at 0x]]
        --expect [[^cpus: 1 in the MADT \(APIC IDs 0\)$]]
        --expect [[^To turn the machine off: type poweroff at the shell\.$]]
        --expect [[^ioapic 1 at 0xfec00000, GSI 0-23$]] --expect [[^hpet at 0xfed00000$]]
        --type [[^keel> ]] [[irq\r]] --type [[^keel> ]] [[uptime\r]]
        --type [[^keel> ]] [[irq\r]] --type [[^keel> ]] [[echo bochs\r]]
        --expect [[^keel> uptime\nup 0:00:[0-9][0-9]\.[0-9]{3} \([1-9][0-9]+ us since boot\)$]]
        --expect [[^timer +- +- +- +local APIC timer, 100 Hz +[1-9][0-9]*$]]
        --expect [[^com1 +4 +4 +0x[0-9a-f]{2} +edge +active-high +[1-9][0-9]*$]]
        --expect [[^keel> echo bochs\nbochs$]])
endif()

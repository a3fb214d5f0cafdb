# Interrupts, time and input under UEFI and with two CPUs (the audit of
# issue 10; docs/interrupts.md, docs/time.md). Included by
# tests/CMakeLists.txt, which defines keel_boot_test().

# The tick, its masking, the 100 ms sleep and the CMOS date under OVMF, on
# both machine types (the BIOS ones are interrupts.ktest.timer and
# time.date*). One boot each: the date is in the boot log before the
# tests run, so each boot checks both; two boots of the CI's budget of three.
set(irqfix_timer_expects
    --expect-exit 33 --reject PANIC
    --expect-range [[^timer: ([0-9]+) ticks in 1 s of TSC time]] 90 110
    --expect [[^timer: [0-9]+ periods timed, each took [0-9.]+x \(smallest\)]]
    --expect [[^timer: 0 tick interrupts in 100 ms masked, [0-9]+ in 100 ms unmasked$]]
    --expect-range [[^timer: sleep_us\(100000\) took ([0-9]+) us]] 100000 110000
    --expect-range [[^timer: sleep_us\(100000\) took ([0-9]+) us of HPET time$]] 100000 110000
    --expect-range [[^timer: ([0-9]+) ticks in 1 s of HPET time]] 90 110
    --expect [[^ok [0-9]+ timer_sleep_100ms_lasts_100ms$]]
    --expect [[^ok [0-9]+ timer_tick_rate_against_the_hpet$]])
# On pc, every in-kernel test runs in the same boot (the UEFI memory map,
# a framebuffer, the write-combining PAT entry): boot.uefi.ktest.
keel_boot_test(boot.uefi.ktest TIMEOUT 240
    ARGS --kernel "${KEEL_KERNEL_ELF}" --firmware uefi --cmdline test --ktap
         --qemu-arg=-rtc --qemu-arg=base=2031-05-06T07:08:09
         --expect [[^date: 2031-05-06 07:0[89]:[0-9]{2} UTC$]]
         --expect [[^ok [0-9]+ vm_write_combining_entry_carries_the_layouts_pat_bits]]
         ${irqfix_timer_expects})
# On q35 too: every in-kernel test (the frame allocator's and the heap's
# on this memory map among them) in one boot.
keel_boot_test(boot.uefi.q35.ktest TIMEOUT 240
    ARGS --kernel "${KEEL_KERNEL_ELF}" --firmware uefi --machine q35 --cmdline test --ktap
         --expect [[^ok [0-9]+ mm_frames_every_frame_once$]]
         --expect [[^ok [0-9]+ mm_heap_random_100k$]]
         --qemu-arg=-rtc --qemu-arg=base=1999-12-31T23:59:30
         --expect [[^date: (1999-12-31 23:59:[3-5][0-9]|2000-01-01 00:0[0-2]:[0-5][0-9]) UTC$]]
         ${irqfix_timer_expects})

# remove() of a line whose handler runs on another CPU waits for it
# (src/arch/x86_64/irq/irq_ktest.cpp): CPU 1 runs a 200 ms handler while
# the boot CPU removes the line.
keel_boot_test(interrupts.ktest.remove_smp TIMEOUT 120
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 2
         --cmdline test=irq_remove_waits --ktap --expect-exit 33 --reject PANIC
         --reject [[one CPU online]]
         --expect [[^irq test: remove\(\) returned after the handler on CPU 1 \(waited [0-9]+ us\)$]]
         --expect [[^ok 1 irq_remove_waits_for_a_handler_on_another_cpu$]])

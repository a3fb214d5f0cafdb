# The shell's commands that show or drive interrupts, time, input, power and
# SMP (issue 11, docs/shell.md): typed on COM1 (keel_qemu.py --type), the
# answers read back on COM1. Included by tests/CMakeLists.txt, which defines
# keel_boot_test(); shell_prompt comes from tests/qemu/shell_tests.cmake.

# irq: the tick, the keyboard, COM1 (which just took the typed line, so its
# count is not 0) and the ACPI SCI, then the counters; a wrong argument
# prints the usage.
keel_boot_test(shell.cmd.irq TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --reject PANIC
         --type "${shell_prompt}" [[irq\r]]
         --type "${shell_prompt}" [[irq x\r]]
         --expect [[^keel> irq\nline +isa +gsi +vector +trigger +polarity +count$]]
         --expect [[^timer +- +- +- +local APIC timer, 100 Hz +[1-9][0-9]*$]]
         --expect [[^ps/2 keyboard +1 +1 +0x[0-9a-f]{2} +edge +active-high +[0-9]+$]]
         --expect [[^com1 +4 +4 +0x[0-9a-f]{2} +edge +active-high +[1-9][0-9]*$]]
         --expect [[^acpi-sci +9 +9 +0x[0-9a-f]{2} +level +active-high +[0-9]+$]]
         --expect [[^unexpected [0-9]+, APIC spurious [0-9]+, PIC spurious [0-9]+, APIC errors 0, storms 0$]]
         --expect [[^keel> irq x\nusage: irq$]])

# date: the CMOS clock QEMU was given, advanced since boot.
keel_boot_test(shell.cmd.date TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --qemu-arg=-rtc --qemu-arg=base=2031-05-06T07:08:09 --reject PANIC
         --type "${shell_prompt}" [[date\r]]
         --expect [[^keel> date\n2031-05-06 07:0[89]:[0-5][0-9] UTC$]])

# keymap: set, then shown; Tab completes a name; an unknown one lists them.
keel_boot_test(shell.cmd.keymap TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --reject PANIC
         --type "${shell_prompt}" [[keymap\r]]
         --type "${shell_prompt}" [[keymap d\t\r]]
         --type "${shell_prompt}" [[keymap\r]]
         --type "${shell_prompt}" [[keymap xx\r]]
         --expect [[^keel> keymap\nkeymap: us \(known: [a-z, ]*de[a-z, ]*\)$]]
         --expect [[^keel> keymap de \nkeymap: de$]]
         --expect [[^keel> keymap\nkeymap: de \(known: ]]
         --expect [[^keymap: unknown keymap 'xx'\nusage: keymap \[name\]\n  one of: .*de]])

# cpus: both CPUs QEMU gives, with their APIC IDs, each ticking.
keel_boot_test(shell.cmd.cpus TIMEOUT 90
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --smp 2 --reject PANIC
         --type "${shell_prompt}" [[cpus\r]]
         --expect [[^keel> cpus\ncpus: 2 online\ncpu +apic id +calls run +wakeups +ticks\n0 +0 +[0-9]+ +[0-9]+ +[1-9][0-9]* +\(this one\)\n1 +1 +[0-9]+ +[0-9]+ +[1-9][0-9]*$]])

# uptime: the monotonic clock.
keel_boot_test(shell.cmd.uptime TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --reject PANIC
         --type "${shell_prompt}" [[uptime\r]]
         --expect [[^keel> uptime\nup 0:00:[0-9][0-9]\.[0-9]{3} \([1-9][0-9]+ us since boot\)$]])

# poweroff ends QEMU without isa-debug-exit and without -no-reboot: only a
# real power-off ends it in time.
keel_boot_test(shell.cmd.poweroff TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --no-debug-exit --allow-reboot --expect-exit 0 --reject PANIC
         --reject [[still on 5 s after]]
         --type "${shell_prompt}" [[poweroff\r]]
         --exit-within 5 [[^keel> poweroff$]]
         --expect [[^power: powering off \(]])

# reboot ends QEMU under -no-reboot; with a method, from that method on;
# an unknown method prints the usage and the shell stays.
keel_boot_test(shell.cmd.reboot TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --expect-exit 0 --reject PANIC
         --reject [[still running 500 ms after]]
         --type "${shell_prompt}" [[reboot nosuch\r]]
         --type "${shell_prompt}" [[reboot kbd\r]]
         --expect [[^reboot: unknown method 'nosuch'\nusage: reboot \[acpi\|cf9\|kbd\|triple\]\n  one of: acpi cf9 kbd triple$]]
         --expect [[^power: rebooting through the 8042 reset line$]]
         --exit-within 5 [[^keel> reboot kbd$]])
keel_boot_test(shell.cmd.reboot_default TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --expect-exit 0 --reject PANIC
         --type "${shell_prompt}" [[reboot\r]]
         --expect [[^power: rebooting]]
         --exit-within 5 [[^keel> reboot$]])

# Without ACPI nothing says how to power off: poweroff answers so and the
# shell stays (power_off() itself would halt).
keel_boot_test(shell.cmd.poweroff_without_acpi TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --qemu-arg=-no-acpi --reject PANIC
         --type "${shell_prompt}" [[poweroff\r]]
         --type "${shell_prompt}" [[echo still here\r]]
         --expect [[^keel> poweroff\npoweroff: this machine cannot be powered off \(see 'log' for why\)$]]
         --expect [[^still here$]])

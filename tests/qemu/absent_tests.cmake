# Absent input devices (docs/input.md): the boot says which of COM1 and the
# PS/2 keyboard answered, and the shell's first line names only those, or
# warns that nothing can type at it. A machine without COM1 is watched
# through QEMU's debug console (keel_qemu.py --no-com1).
# Included by tests/CMakeLists.txt, which defines keel_boot_test().

set(absent_elf "${CMAKE_BINARY_DIR}/keel.elf")
keel_boot_test(input.absent.com1 ARGS --direct "${absent_elf}" --no-com1 --reject PANIC
    --expect [[^serial: no COM1 \(its scratch register does not answer\): no serial input$]]
    --expect [[^shell: [0-9]+ commands, type help \(on the keyboard\)$]]
    --expect [[^In QEMU: close the window, or type poweroff at the shell\.$]]
    --reject [[Ctrl-A then X on the serial terminal]])
keel_boot_test(input.absent.ps2 ARGS --direct "${absent_elf}" --machine "q35,i8042=off"
    --reject PANIC --expect [[^shell: [0-9]+ commands, type help \(on COM1\)$]])
keel_boot_test(input.absent.both ARGS --direct "${absent_elf}" --no-com1
    --machine "q35,i8042=off" --reject PANIC
    --expect [[^warning: shell: [0-9]+ commands, but no PS/2 keyboard and no COM1 to type them on$]])
unset(absent_elf)

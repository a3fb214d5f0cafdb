# VGA text scrolling by the CRTC start address (docs/console.md): more lines
# than the 32 KiB text window holds (204 rows), so the start address goes
# round the window at least once, then the screen, the cursor and the
# scrollback checked. The runner reads the screen from the start address on
# (keel_qemu.py read_vga_text). Direct (PVH) boot under SeaBIOS: VGA text,
# no GRUB. Included by tests/CMakeLists.txt, which defines keel_boot_test().

# vga_keys(<var> <qcode>...): one QMP send-key per key, in order.
function(vga_keys var)
    set(sends)
    foreach(k IN LISTS ARGN)
        list(APPEND sends --send
             "qmp:{\"execute\":\"send-key\",\"arguments\":{\"keys\":[{\"type\":\"qcode\",\"data\":\"${k}\"}]}}")
    endforeach()
    set(${var} ${sends} PARENT_SCOPE)
endfunction()

vga_keys(vga_commands l o g ret l o g ret h e l p ret)
set(vga_page
    [[qmp:{"execute":"send-key","arguments":{"keys":[{"type":"qcode","data":"shift"},{"type":"qcode","data":"PAGE"}]}}]])
string(REPLACE PAGE pgup vga_shift_pgup "${vga_page}")
string(REPLACE PAGE pgdn vga_shift_pgdn "${vga_page}")

# A debug boot log (about 100 lines), `log` twice (the whole log each time)
# and `help`: some 330 lines. One page back shows the end of the second
# `log` (the scrollback's rows, drawn in place); one forward returns to
# `help`'s answer and the prompt, with the cursor right after `keel> `.
keel_boot_test(vga.scroll.window TIMEOUT 150
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cmdline "loglevel=debug" --timeout 140 --reject PANIC
         --send-after [[^shell: [0-9]+ commands]] ${vga_commands}
         --send [[screen:^keel> help\nacpi +the firmware.s ACPI tables]]
         --send "${vga_shift_pgup}"
         --send [[screen:^debug: boot phases: trampoline]]
         --send "${vga_shift_pgdn}"
         --expect-screen [[^keel> help\nacpi +the firmware.s ACPI tables]]
         --expect-screen [[^keel>$]]
         --expect-vga-cursor-after [[^keel> (?= *$)]])

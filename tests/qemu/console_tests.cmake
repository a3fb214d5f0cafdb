# The console (docs/console.md): the shell typed at on the PS/2 keyboard
# (QMP send-key) and read back on the screen: the VGA text buffer under BIOS,
# the framebuffer by glyph matching; and the
# scrollback: Shift+PgUp pages back to the first lines of the boot log (a
# `screen:` check between the keys), Shift+PgDn returns to the prompt.
# The keyboard's answers go to the screen only (the side that typed them),
# so these tests type on the keyboard rather than on COM1.
# Included by tests/CMakeLists.txt, which defines keel_boot_test() and
# qmp_keys().

set(console_shell_up [[^shell: [0-9]+ commands]])
# The framebuffer console's tests boot through SeaBIOS and GRUB with a VBE
# mode (make_iso.py --gfxpayload): the console is the subject, not the
# firmware, and OVMF costs about 4 s of TCG time before GRUB on every
# boot. 1024x768x32, the mode OVMF gives, so both see the same 128x48 grid;
# boot.uefi.ready reads the screen under UEFI (GOP).
set(console_fb --kernel "${KEEL_KERNEL_ELF}" --gfxpayload 1024x768x32)
qmp_keys(console_shift_pgup shift pgup)
qmp_keys(console_shift_pgdn shift pgdn)
set(console_help)
foreach(k h e l p ret)
    qmp_keys(key ${k})
    list(APPEND console_help --send "${key}")
endforeach()
set(console_pci)
foreach(k p c i ret)
    qmp_keys(key ${k})
    list(APPEND console_pci --send "${key}")
endforeach()
# Twelve pages back reach the oldest row kept (the whole boot log and help
# are under 250 rows); twelve forward return to the bottom.
set(console_page_back)
set(console_page_forward)
foreach(i RANGE 1 12)
    list(APPEND console_page_back --send "${console_shift_pgup}")
    list(APPEND console_page_forward --send "${console_shift_pgdn}")
endforeach()

# The framebuffer console answers the keyboard: `pci` typed, its first line
# read back from the framebuffer.
keel_boot_test(console.fb.shell TIMEOUT 120
    ARGS ${console_fb} --reject PANIC
         --expect [[^console: 1000 rows of scrollback \(Shift\+PgUp, Shift\+PgDn\)$]]
         --send-after "${console_shell_up}" ${console_pci}
         --expect-screen [[^keel> pci$]]
         --expect-screen [[^pci 00:00\.0 \x5b0600\x5d Host bridge]])

# Scrollback: after `help`, the boot log's first line on the screen
# (`Keel <version>`, written long before the heap and so the ring existed:
# the ring starts with the rows the screen had scrolled away by then) is far
# above the screen; Shift+PgUp shows it again; Shift+PgDn brings the prompt
# back (its last cell is the cursor, which the glyph matching may read as a
# character). On the framebuffer (VBE) and on VGA text (80x25).
foreach(screen fb vga)
    if(screen STREQUAL "fb")
        set(source ${console_fb})
    else()
        set(source --iso "${KEEL_ISO}")
    endif()
    keel_boot_test(console.${screen}.scrollback TIMEOUT 120
        ARGS ${source} --reject PANIC
             --send-after "${console_shell_up}" ${console_help}
             --send [[screen:^help +list the commands$]]
             ${console_page_back}
             --send [[screen:^Keel [0-9.]+ \(x86_64, ]]
             ${console_page_forward}
             --expect-screen [[^help +list the commands$]]
             --expect-screen [[^keel>( .)?$]])
endforeach()

# bench=console runs and reports its figures (the numbers are not judged).
keel_boot_test(console.bench TIMEOUT 240 LABELS bench
    ARGS ${console_fb} --cmdline "bench=console"
         --reject PANIC
         --expect [[^bench console: [0-9]+ lines/s \(1024x768 framebuffer\)$]]
         --expect [[^bench console: [0-9]+ lines/s, every cell redrawn \(baseline\)$]]
         --expect [[^bench console: [0-9]+\.[0-9][0-9]x the baseline, 500 lines of 128 columns$]]
         --expect [[^bench console: [0-9]+ lines/s, presented on every write \(before batching\)$]]
         --expect [[^bench console: [0-9]+ lines/s, batched without a shadow \(a scroll redraws the cells\)$]]
         --reject [[the screen has no shadow]]
         --expect [[^bench console: a full screen \(48 lines\) scrolled in [0-9]+ us \(batched\)$]]
         --expect [[^bench console: [0-9]+ presents in [0-9]+ ms for 500 lines \(batched\)$]])
# Without a framebuffer it says why in words.
keel_boot_test(console.bench.vga
    ARGS --kernel "${KEEL_KERNEL_ELF}" --cmdline "bench=console" --reject PANIC
         --expect "${ready}"
         --expect [[^warning: bench: console: the screen is not the framebuffer console]])

# Batched presents (docs/console.md, "Presenting"): `log` answers with the
# whole boot log, more lines than the screen holds, in one burst that the
# framebuffer draws a few frames at a time. Once the shell waits again the
# screen must show the burst's end and the new prompt on the last row, with
# `keel> log` itself scrolled away: a tail left undrawn would fail this.
set(console_log)
foreach(k l o g ret)
    qmp_keys(key ${k})
    list(APPEND console_log --send "${key}")
endforeach()
keel_boot_test(console.fb.burst TIMEOUT 120
    ARGS ${console_fb} --reject PANIC
         --send-after "${console_shell_up}" ${console_log}
         --expect-screen [[(?s)\A(?!.*^keel> log).*^shell: [0-9]+ commands[^\n]*\nkeel>( .)?\s*\Z]])

# A panic on the framebuffer: the report goes out line by line with a
# present after each (the CPU halts with interrupts off, so no tick would
# draw a tail), and its last line is on the screen.
keel_boot_test(console.fb.panic TIMEOUT 120
    ARGS ${console_fb} --cmdline "crash=panic"
         --expect [[^System halted\.$]] --expect-halt
         --expect-screen [[^PANIC: crash test: an explicit kernel::panic\(\)$]]
         --expect-screen [[^System halted\.$]])

# A 1080p framebuffer's pixel shadow (8040 KiB) is past the frame
# allocator's largest block (4 MiB): the heap maps pages for it alone
# (docs/memory-allocators.md, "Large blocks"). Before, the console drew
# straight to the framebuffer for want of a block.
keel_boot_test(console.fb.shadow_1080p
    ARGS --kernel "${KEEL_KERNEL_ELF}" --gfxpayload 1920x1080x32 --memory 1G --reject PANIC
         --expect [[^console: framebuffer at 0x[0-9a-f]+ is write-combining, drawn through a 8040 KiB shadow$]]
         --reject [[no room on the heap]] --expect "${ready}")

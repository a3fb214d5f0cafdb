# Input tests (docs/input.md): with `input=echo` the kernel logs every
# decoded input event on COM1; each test boots a variant ISO, waits for
# `input: echo on`, then types through QEMU (QMP send-key and
# input-send-event on the PS/2 keyboard and mouse, bytes into COM1's
# chardev socket) and expects the events a user would see.
# Included by tests/CMakeLists.txt, which defines keel_boot_test() and
# qmp_keys().

# qmp_events(<var> <event JSON>...): one QMP input-send-event.
function(qmp_events var)
    list(JOIN ARGN "," events)
    set(${var} "qmp:{\"execute\":\"input-send-event\",\"arguments\":{\"events\":[${events}]}}"
        PARENT_SCOPE)
endfunction()
function(qmp_key_event var key down)
    set(${var} "{\"type\":\"key\",\"data\":{\"down\":${down},\"key\":{\"type\":\"qcode\",\"data\":\"${key}\"}}}"
        PARENT_SCOPE)
endfunction()

set(input_echo_on [[^input: echo on$]])
set(input_common --reject PANIC --send-after "${input_echo_on}")

# Keyboard: letters, shift, caps lock (on and off again), an arrow, ctrl-c,
# the keypad without and with num lock; input-send-event for shift-x.
qmp_keys(k_h h)
qmp_keys(k_shift_a shift a)
qmp_keys(k_caps caps_lock)
qmp_keys(k_b b)
qmp_keys(k_left left)
qmp_keys(k_ctrl_c ctrl c)
qmp_keys(k_kp7 kp_7)
qmp_keys(k_numlock num_lock)
qmp_keys(k_kp_divide kp_divide)
qmp_key_event(shift_down shift true)
qmp_key_event(x_down x true)
qmp_key_event(x_up x false)
qmp_key_event(shift_up shift false)
qmp_events(e_shift_x_down "${shift_down}" "${x_down}")
qmp_events(e_shift_x_up "${x_up}" "${shift_up}")
set(input_keyboard_args
    --send "${k_h}" --send "${k_shift_a}" --send "${k_caps}" --send "${k_b}"
    --send "${k_caps}" --send "${k_left}" --send "${k_ctrl_c}" --send "${e_shift_x_down}"
    --send "sleep:0.2" --send "${e_shift_x_up}" --send "${k_kp7}" --send "${k_numlock}"
    --send "${k_kp7}" --send "${k_kp_divide}"
    # Every machine booted here has ACPI and an I/O APIC: by interrupt,
    # never polled.
    --expect [[^ps/2: keyboard \(translated set 1\), mouse \(IntelliMouse wheel\)\x3b IRQ 1 and 12$]]
    --expect [[^key: press 'h'$]] --expect [[^key: release 'h'$]]
    --expect [[^key: press Shift shift$]] --expect [[^key: press 'A' shift$]]
    --expect [[^key: press CapsLock caps$]] --expect [[^key: press 'B' caps$]]
    --expect [[^key: press Left$]]
    --expect [[^key: press Ctrl ctrl$]] --expect [[^key: press 'c' ctrl$]]
    --expect [[^key: press 'X' shift$]] --expect [[^key: release 'X' shift$]]
    --expect [[^key: press Home$]]
    --expect [[^key: press NumLock num$]] --expect [[^key: press '7' num$]]
    --expect [[^key: press '/' num$]]
    --reject [[^key: press 'b']])
keel_boot_test(input.keyboard.bios TIMEOUT 90 ARGS --kernel "${KEEL_KERNEL_ELF}"
    --cmdline "input=echo" ${input_common} ${input_keyboard_args})
# Under OVMF on q35: platfix.uefi.acpi.q35_smp4_nohpet (acpi_uefi_tests.cmake).

# A second keymap: German keys swap y and z, and AltGr-q is @.
qmp_keys(k_y y)
qmp_keys(k_z z)
qmp_keys(k_altgr_q alt_r q)
keel_boot_test(input.keymap.de TIMEOUT 90 ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf"
    --cmdline "input=echo keymap=de" ${input_common}
    --send "${k_y}" --send "${k_z}" --send "${k_altgr_q}"
    --expect [[^keymap: de \(known: us, de, fr, uk\)$]]
    --expect [[^key: press 'z'$]] --expect [[^key: press 'y'$]]
    --expect [[^key: press '@' altgr$]])

# An unknown keymap is refused in words, naming the known ones; boot goes on.
keel_boot_test(input.keymap.unknown TIMEOUT 90 ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf"
    --cmdline "keymap=dvorak-klingon" --reject PANIC --expect "${ready}"
    --expect [[^warning: keymap: unknown keymap 'dvorak-klingon' \(known: us, de, fr, uk\); keeping 'us'$]])

# Mouse: movement (QEMU's y grows downwards, PS/2's upwards), buttons, wheel.
qmp_events(m_move [[{"type":"rel","data":{"axis":"x","value":5}}]]
    [[{"type":"rel","data":{"axis":"y","value":3}}]])
qmp_events(m_left_down [[{"type":"btn","data":{"down":true,"button":"left"}}]])
qmp_events(m_left_up [[{"type":"btn","data":{"down":false,"button":"left"}}]])
qmp_events(m_right_down [[{"type":"btn","data":{"down":true,"button":"right"}}]])
qmp_events(m_wheel_down [[{"type":"btn","data":{"down":true,"button":"wheel-down"}}]]
    [[{"type":"btn","data":{"down":false,"button":"wheel-down"}}]])
keel_boot_test(input.mouse TIMEOUT 90 ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf"
    --cmdline "input=echo" ${input_common}
    --send "${m_move}" --send "sleep:0.3" --send "${m_left_down}" --send "sleep:0.3"
    --send "${m_left_up}" --send "sleep:0.3" --send "${m_right_down}" --send "sleep:0.3"
    --send "${m_wheel_down}"
    --expect [[^mouse: dx=5 dy=-3 buttons=none wheel=0$]]
    --expect [[^mouse: dx=0 dy=0 buttons=left wheel=0$]]
    --expect [[^mouse: dx=0 dy=0 buttons=right wheel=0$]]
    --expect [[^mouse: dx=0 dy=0 buttons=right wheel=1$]])

# Serial: characters, Enter, arrows and Home/End/Delete in their several
# encodings, Ctrl-C, a broken sequence dropped, and a bare Escape last.
# '[' is written \x5b: an unbalanced [ in a CMake list argument would hide
# the ';' separators after it (and with them every --expect).
set(serial_bytes [[serial:hi\r\x1b\x5bA\x1bOD\x1b\x5b1~\x1b\x5bH\x1bOF\x1b\x5b4~\x1b\x5b3~]])
string(APPEND serial_bytes [[\x1b\x5b5~\x03\x1b\x5bZq\x1b]])
keel_boot_test(input.serial TIMEOUT 90 ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf"
    --cmdline "input=echo" ${input_common}
    --send "${serial_bytes}"
    --expect [[^serial: COM1 input \(IRQ 4\)$]]
    # Every key in order, one line each: each encoding is checked, not
    # only one of those that give the same key.
    --expect [[^serial: press 'h'\nserial: press 'i'\nserial: press Enter\nserial: press Up\nserial: press Left\nserial: press Home\nserial: press Home\nserial: press End\nserial: press End\nserial: press Delete\nserial: press PageUp\nserial: press 'c' ctrl\nserial: press 'q'\nserial: press Escape$]]
    --reject [[^serial: press 'Z']])

# No 8042 at all (q35 without it): said in words, and boot completes.
keel_boot_test(input.no_controller TIMEOUT 90 ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf"
    --machine "q35,i8042=off" --cmdline "input=echo" --reject PANIC --expect "${ready}"
    --expect [[^ps/2: no controller]] --expect "${input_echo_on}")

# The shell on the screen, typed at on the PS/2 keyboard: `pc` Tab Enter
# runs `pci` (completion), and the answer appears on the VGA screen only
# (the keyboard's side), not on COM1. Then the mouse moves and `irq`
# shows that the keys and the movement came by IRQ 1 and 12, not polled.
qmp_keys(key_p p)
qmp_keys(key_c c)
qmp_keys(key_tab tab)
qmp_keys(key_ret ret)
qmp_keys(key_i i)
qmp_keys(key_r r)
qmp_keys(key_q q)
keel_boot_test(shell.keyboard TIMEOUT 60
    ARGS --iso "${KEEL_ISO}" --reject PANIC
         --send-after [[^shell: [0-9]+ commands]]
         --send "${key_p}" --send "${key_c}" --send "${key_tab}" --send "${key_ret}"
         --send sleep:1
         --send "${m_move}" --send sleep:0.3
         --send "${key_i}" --send "${key_r}" --send "${key_q}" --send "${key_ret}"
         --send sleep:1
         --expect-screen [[^keel> pci$]]
         --expect-screen [[^pci 00:00\.0 \x5b0600\x5d Host bridge]]
         --expect-screen [[^keel> irq$]]
         --expect-screen [[^ps/2 keyboard +1 +1 +0x[0-9a-f]{2} +edge +active-high +[1-9][0-9]*$]]
         --expect-screen [[^ps/2 mouse +12 +12 +0x[0-9a-f]{2} +edge +active-high +[1-9][0-9]*$]]
         --reject [[^keel> pci]])

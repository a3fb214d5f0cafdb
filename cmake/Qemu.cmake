# `run`, `run-uefi` and `debug`: boot the ISO in QEMU with COM1 on the terminal.
find_program(KEEL_QEMU qemu-system-x86_64)
set(KEEL_QEMU_MEMORY 256M CACHE STRING "Guest RAM for run targets")
set(KEEL_OVMF_CODE /usr/share/OVMF/OVMF_CODE.fd CACHE FILEPATH "OVMF firmware for run-uefi")

# -nic none: no network card, so no iPXE option ROM slowing every boot.
set(qemu_common -m ${KEEL_QEMU_MEMORY} -no-reboot -serial stdio -nic none
    -device isa-debug-exit,iobase=0xf4,iosize=0x04)
if(KEEL_QEMU)
    add_custom_target(run
        COMMAND "${KEEL_QEMU}" -cdrom "${KEEL_ISO}" ${qemu_common}
        DEPENDS iso USES_TERMINAL VERBATIM
        COMMENT "Booting keel.iso in QEMU (BIOS); close the window or press Ctrl-C to stop")
    add_custom_target(run-uefi
        COMMAND "${KEEL_QEMU}" -cdrom "${KEEL_ISO}" ${qemu_common}
            -drive if=pflash,format=raw,readonly=on,file=${KEEL_OVMF_CODE}
        DEPENDS iso USES_TERMINAL VERBATIM
        COMMENT "Booting keel.iso in QEMU with OVMF (UEFI)")
    configure_file("${PROJECT_SOURCE_DIR}/tools/gdbinit.in" "${CMAKE_BINARY_DIR}/gdbinit" @ONLY)
    add_custom_target(debug
        COMMAND "${CMAKE_COMMAND}" -E echo
            "QEMU is waiting for GDB on :1234. In another terminal: gdb -x ${CMAKE_BINARY_DIR}/gdbinit"
        COMMAND "${KEEL_QEMU}" -cdrom "${KEEL_ISO}" ${qemu_common} -s -S
        DEPENDS iso USES_TERMINAL VERBATIM)
else()
    message(WARNING "qemu-system-x86_64 not found: the run targets are unavailable "
        "(sudo apt-get install qemu-system-x86)")
endif()

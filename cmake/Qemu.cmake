# `run`, `run-uefi` and `debug`: boot the ISO (`run-direct`: the ELF, PVH) in QEMU the way tools/run does
# without a display: COM1 and QEMU's monitor multiplexed on the terminal
# (-nographic: Ctrl-A X quits, Ctrl-A C is the monitor), -boot d, no NIC.
# They call tools/run with --no-build (the targets depend on `iso`) and
# --no-window, so there is one place that knows how to start QEMU.
#
# A command line for one boot, without touching the CMake cache:
#   KEEL_CMDLINE="test=paging" cmake --build build --target run
# (tools/run then boots a second ISO, build/run/keel.iso; keel.iso keeps the
# line baked in with -DKEEL_CMDLINE.)
find_program(KEEL_QEMU qemu-system-x86_64)
set(KEEL_QEMU_MEMORY 256M CACHE STRING "Guest RAM for run targets")
set(KEEL_OVMF_CODE /usr/share/OVMF/OVMF_CODE.fd CACHE FILEPATH "OVMF firmware for run-uefi")

if(KEEL_QEMU)
    set(keel_run "${PROJECT_SOURCE_DIR}/tools/run" --no-build --no-window
        --build-dir "${CMAKE_BINARY_DIR}" --qemu "${KEEL_QEMU}" --memory "${KEEL_QEMU_MEMORY}"
        --ovmf "${KEEL_OVMF_CODE}")
    add_custom_target(run
        COMMAND ${keel_run}
        DEPENDS iso USES_TERMINAL VERBATIM
        COMMENT "Booting keel.iso in QEMU (BIOS); Ctrl-A then X quits")
    add_custom_target(run-uefi
        COMMAND ${keel_run} --uefi
        DEPENDS iso USES_TERMINAL VERBATIM
        COMMENT "Booting keel.iso in QEMU with OVMF (UEFI); Ctrl-A then X quits")
    # keel.elf booted by QEMU itself through its PVH note (tools/run --direct).
    add_custom_target(run-direct
        COMMAND ${keel_run} --direct
        DEPENDS kernel USES_TERMINAL VERBATIM
        COMMENT "Booting keel.elf directly (QEMU -kernel, PVH); Ctrl-A then X quits")
    configure_file("${PROJECT_SOURCE_DIR}/tools/gdbinit.in" "${CMAKE_BINARY_DIR}/gdbinit" @ONLY)
    add_custom_target(debug
        COMMAND ${keel_run} --debug
        DEPENDS iso USES_TERMINAL VERBATIM
        COMMENT "Booting keel.iso in QEMU, halted for GDB; Ctrl-A then X quits")
else()
    message(WARNING "qemu-system-x86_64 not found: the run targets are unavailable "
        "(sudo apt-get install qemu-system-x86)")
endif()

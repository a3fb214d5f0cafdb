# What a newcomer types (README "Two commands", "Plain CMake", "Debugging
# with GDB"): the documented GDB workflow, the `run` target and tools/run
# --menu. Included by tests/CMakeLists.txt, which defines keel_boot_test();
# keel_run_noise, set here, is used by pvh_tests.cmake, included after
# this file.

# The documented GDB workflow: QEMU's GDB stub plus build/gdbinit stop in
# kernel_main with symbols and the real source text, `bt` ends at
# kernel_entry64, and in a Debug build no value is <optimized out>.
# (Decided here, not by a $<CONFIG> expression: an empty one would still be
# passed as an empty argument.)
set(gdb_unoptimized)
if(CMAKE_BUILD_TYPE STREQUAL "Debug")
    set(gdb_unoptimized --unoptimized)
endif()
add_test(NAME debug.gdb
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/qemu/gdb_attach.py"
            --iso "${KEEL_ISO}" --gdbinit "${CMAKE_BINARY_DIR}/gdbinit" --qemu "${KEEL_QEMU}"
            ${gdb_unoptimized})
set_tests_properties(debug.gdb PROPERTIES LABELS qemu TIMEOUT 90)

# What a newcomer types first (README "Two commands", "Plain CMake"): the
# `run` target boots like tools/run without a display, with a command line
# for this boot only (KEEL_CMDLINE in the environment, not the cache), and
# nothing that looks like a failure before GRUB; tools/run --menu shows
# GRUB's menu on COM1 too. The run target builds `iso` first, so it must not
# run beside another build of this folder.
set(keel_run_noise --reject "Boot failed" --reject "iPXE" --reject "qemu-system-gui"
    --reject "PANIC")
add_test(NAME run.target.cmdline
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/qemu/run_tool_test.py"
            --env "KEEL_CMDLINE=test=format_in_kernel" --expect-status 0
            --expect "^command line: test=format_in_kernel$" --expect "^ok 1 format_in_kernel"
            ${keel_run_noise}
            -- "${CMAKE_COMMAND}" --build "${CMAKE_BINARY_DIR}" --target run)
set_tests_properties(run.target.cmdline PROPERTIES LABELS qemu TIMEOUT 120
    RESOURCE_LOCK keel_build_folder)
add_test(NAME run.tool.menu
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/qemu/run_tool_test.py"
            --unset KEEL_CMDLINE --expect-status 0
            --expect "GNU GRUB" --expect "^command line: test=format_in_kernel$"
            --expect "^ok 1 format_in_kernel" ${keel_run_noise}
            -- "${PROJECT_SOURCE_DIR}/tools/run" --no-build --no-window
               --build-dir "${CMAKE_BINARY_DIR}" --qemu "${KEEL_QEMU}"
               --menu --cmdline test=format_in_kernel)
# Both tests write build/run/keel.iso (the per-boot ISO): never at once.
set_tests_properties(run.tool.menu PROPERTIES LABELS qemu TIMEOUT 90
    RESOURCE_LOCK keel_build_folder)

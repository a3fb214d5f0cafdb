# Tests of the boot tests' runner, tests/qemu/keel_qemu.py.
# Included by tests/CMakeLists.txt, which defines keel_boot_test().

# The runner itself: its parsers (KTAP, PPM, glyph OCR) without QEMU, and a
# boot of the null kernel (bench/null_kernel), which tells a broken runner or
# QEMU setup from a broken kernel.
add_test(NAME runner.selftest
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/qemu/test_keel_qemu.py"
            --font "${KERNEL_FONT}")
set_tests_properties(runner.selftest PROPERTIES LABELS host TIMEOUT 60)
keel_boot_test(runner.null_kernel
    ARGS --null-kernel --expect "^ready$" --expect-screen "^ready" --expect-halt)

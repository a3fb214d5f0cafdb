# Build options the default build never turns off (cmake/KernelFlags.cmake):
# the kernel without its debug lock and allocator checks, as a release would
# ship. It must compile (a member used only under KEEL_DEBUG_LOCKS broke it
# once, unnoticed) and its in-kernel tests must pass, those of the checks
# skipping themselves. Included by tests/CMakeLists.txt, which defines
# keel_boot_test(). Label slow: the quick loop leaves it out.
set(keel_variant_dir "${CMAKE_BINARY_DIR}/variant-no-debug-checks")
add_test(NAME build.no_debug_checks
    COMMAND "${CMAKE_COMMAND}" "-DSOURCE=${PROJECT_SOURCE_DIR}" "-DBINARY=${keel_variant_dir}"
            "-DOPTIONS=-DKEEL_DEBUG_LOCKS=OFF;-DKEEL_DEBUG_ALLOC=OFF"
            -P "${CMAKE_CURRENT_SOURCE_DIR}/build/build_variant.cmake")
# Its own folder, but the same compilers and cores: started early (COST),
# two cores' worth of compiling beside the boots.
set_tests_properties(build.no_debug_checks PROPERTIES LABELS "slow" TIMEOUT 600 COST 20
    FIXTURES_SETUP keel_variant_built)

keel_boot_test(build.no_debug_checks.ktest TIMEOUT 90 LABELS slow
    ARGS --direct "${keel_variant_dir}/keel.elf" --machine q35 --smp 2
         --cmdline test --ktap --expect-exit 33 --reject PANIC)
set_tests_properties(build.no_debug_checks.ktest PROPERTIES FIXTURES_REQUIRED keel_variant_built)
unset(keel_variant_dir)

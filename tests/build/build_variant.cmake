# Configures and builds the kernel ELF in another configuration, for the
# build.* tests (tests/qemu/variant_tests.cmake): an option combination the
# default build never compiles must still compile, and boot.
#
#   cmake -DSOURCE=<repository> -DBINARY=<folder> -DOPTIONS=<-Dx=y;...> -P build_variant.cmake
#
# The folder is kept between runs, so a second run only rebuilds what
# changed. Fails with the build's own output.
foreach(var SOURCE BINARY)
    if(NOT ${var})
        message(FATAL_ERROR "build_variant.cmake: -D${var}=... is required")
    endif()
endforeach()
execute_process(
    COMMAND "${CMAKE_COMMAND}" -S "${SOURCE}" -B "${BINARY}" ${OPTIONS}
            -DKEEL_HOST_TESTS=OFF -DKEEL_FUZZ_TESTS=OFF -DKEEL_BOCHS_TESTS=OFF
    RESULT_VARIABLE configured)
if(NOT configured EQUAL 0)
    message(FATAL_ERROR "build_variant.cmake: configuring ${BINARY} with ${OPTIONS} failed")
endif()
execute_process(
    COMMAND "${CMAKE_COMMAND}" --build "${BINARY}" --target kernel
    RESULT_VARIABLE built)
if(NOT built EQUAL 0)
    message(FATAL_ERROR "build_variant.cmake: building the kernel with ${OPTIONS} failed")
endif()
message(STATUS "build_variant.cmake: ${BINARY}/keel.elf built with ${OPTIONS}")

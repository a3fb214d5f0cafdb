# Runs one compile-fail (or compile-pass) check; registered with CTest by
# tests/host/CMakeLists.txt. A fail case passes only if the compiler rejects
# the file AND its output contains the text on the file's "// expect: " line,
# so a broken include path cannot make a fail case pass.
#
#   cmake -DCOMPILER=<c++> -DSRC_ROOT=<src> -DSOURCE=<file> -DMODE=fail|pass
#         [-DFLAGS="<extra flags>"] -P run.cmake
separate_arguments(extra_flags UNIX_COMMAND "${FLAGS}")
execute_process(
    COMMAND "${COMPILER}" -std=c++20 -fsyntax-only -Wall -Wextra -Werror ${extra_flags}
            "-I${SRC_ROOT}" "${SOURCE}"
    RESULT_VARIABLE result
    OUTPUT_VARIABLE output
    ERROR_VARIABLE output)

if(MODE STREQUAL "pass")
    if(NOT result EQUAL 0)
        message(FATAL_ERROR "${SOURCE} should compile but did not:\n${output}")
    endif()
    return()
endif()

file(STRINGS "${SOURCE}" expect_lines REGEX "^// expect: ")
list(LENGTH expect_lines expect_count)
if(NOT expect_count EQUAL 1)
    message(FATAL_ERROR "${SOURCE} needs exactly one '// expect: <text>' line")
endif()
string(REPLACE "// expect: " "" expected "${expect_lines}")

if(result EQUAL 0)
    message(FATAL_ERROR "${SOURCE} compiled, but it should fail with: ${expected}")
endif()
# GCC prints the reason as a C string literal, escaping its quotes.
string(REPLACE "\\'" "'" unescaped "${output}")
string(FIND "${unescaped}" "${expected}" position)
if(position EQUAL -1)
    message(FATAL_ERROR
        "${SOURCE} failed to compile, but not with \"${expected}\":\n${output}")
endif()

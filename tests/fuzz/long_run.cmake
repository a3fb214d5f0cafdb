# The allocator fuzzers' long run: fuzz_buddy or fuzz_heap in rounds of
# ROUND_RUNS inputs (each round one libFuzzer process that ends normally and
# prints how many operations it checked, operation_count.hpp) until the
# rounds add up to OPERATIONS (10^7 by default). Any broken invariant aborts
# the round, and the run fails with libFuzzer's report and the crashing
# input. Not part of CTest: it takes minutes. Run through the build target:
#
#   cmake --build build/fuzz --target fuzz-mm-long
#
#   cmake -DFUZZER=<binary> -DCORPUS=<dir> [-DOPERATIONS=N] [-DROUND_RUNS=N]
#         [-DMAX_LEN=N] -P long_run.cmake
cmake_minimum_required(VERSION 3.25)
if(NOT OPERATIONS)
    set(OPERATIONS 10000000)
endif()
if(NOT ROUND_RUNS)
    set(ROUND_RUNS 20000)
endif()
if(NOT MAX_LEN)
    set(MAX_LEN 4096)
endif()
get_filename_component(name "${FUZZER}" NAME)
file(MAKE_DIRECTORY "${CORPUS}")
set(total 0)
set(round 0)
while(total LESS OPERATIONS)
    math(EXPR round "${round} + 1")
    # -len_control=0: inputs of up to MAX_LEN from the start, so each input
    # is thousands of operations rather than a handful.
    execute_process(COMMAND "${FUZZER}" -runs=${ROUND_RUNS} -max_len=${MAX_LEN} -len_control=0
                            -seed=${round}
                            "${CORPUS}"
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "${name}: round ${round} failed after ${total} operations:\n${err}")
    endif()
    if(NOT out MATCHES "${name}: ([0-9]+) operations checked")
        message(FATAL_ERROR "${name}: round ${round} did not say how many operations it checked")
    endif()
    math(EXPR total "${total} + ${CMAKE_MATCH_1}")
    message(STATUS "${name}: round ${round}: ${CMAKE_MATCH_1} operations, ${total} in all")
endwhile()
message(STATUS "${name}: ${total} operations in ${round} rounds, every one checked: passed")

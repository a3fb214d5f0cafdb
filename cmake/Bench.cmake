# `cmake --build <build> --target bench-heap`: builds bench/heap with the host
# compiler (Release) and runs it, printing Google Benchmark's table and the
# ratios of Keel's heap to glibc, mimalloc and jemalloc. Not part of the
# default build or of CTest: timings belong to a quiet machine, not to CI.
include(ExternalProject)
set(keel_bench_heap_build "${CMAKE_BINARY_DIR}/bench-heap")
ExternalProject_Add(bench_heap_build
    SOURCE_DIR "${PROJECT_SOURCE_DIR}/bench/heap"
    BINARY_DIR "${keel_bench_heap_build}"
    CMAKE_ARGS "-DCMAKE_CXX_COMPILER=g++" -DCMAKE_BUILD_TYPE=Release
    BUILD_ALWAYS ON
    INSTALL_COMMAND ""
    EXCLUDE_FROM_ALL ON)
add_custom_target(bench-heap
    COMMAND "${keel_bench_heap_build}/heap_bench"
    DEPENDS bench_heap_build
    USES_TERMINAL
    COMMENT "Keel's heap against glibc, mimalloc and jemalloc")

# The kernel's compile and link flags, applied to the kernel target only
# (host tests build the same sources with host flags and sanitizers).

# UBSan in the kernel (runtime: src/kernel/debug/ubsan.cpp, which reports and
# panics). On by default in Debug builds only.
if(CMAKE_BUILD_TYPE STREQUAL "Debug")
    set(keel_ubsan_default ON)
else()
    set(keel_ubsan_default OFF)
endif()
option(KEEL_UBSAN "Build the kernel with -fsanitize=undefined" ${keel_ubsan_default})
# Every report panics, so no check needs to recover (the _abort handlers).
set(KEEL_UBSAN_FLAGS -fsanitize=undefined -fno-sanitize-recover=undefined)

# The allocators' debug checks (src/kernel/mm/alloc_debug.hpp): heap red
# zones and poison, poisoned freed frames. On in every kernel build for now:
# they cost a few percent of an allocation, and the crash tests heap-overflow,
# double-free and use-after-free need them in the kernel the tests boot
# (docs/memory-allocators.md, "In the kernel").
option(KEEL_DEBUG_ALLOC "Build the kernel's allocators with their debug checks" ON)

# The spinlock's watch (src/kernel/sync/lock_debug.hpp): each lock records
# its holder, and a wait longer than 5 s panics naming holder and waiter
# instead of hanging. Two more words per lock and a counter in the spin;
# on in every kernel build for now, as the crash test lock-held needs it.
option(KEEL_DEBUG_LOCKS "Build the kernel's spinlocks with the held-too-long report" ON)

# linker/kernel.ld goes through the C preprocessor with the arch layer's
# view (src/CMakeLists.txt), so it takes addresses and sizes from bits.h.
set(KEEL_LINKER_SCRIPT "${CMAKE_BINARY_DIR}/kernel.ld")

function(keel_kernel_flags target)
    set_target_properties(${target} PROPERTIES
        CXX_STANDARD 20
        CXX_STANDARD_REQUIRED ON
        CXX_EXTENSIONS OFF)
    if(KEEL_DEBUG_ALLOC)
        target_compile_definitions(${target} PRIVATE KEEL_DEBUG_ALLOC=1)
    endif()
    if(KEEL_DEBUG_LOCKS)
        target_compile_definitions(${target} PRIVATE KEEL_DEBUG_LOCKS=1)
    endif()
    target_compile_options(${target} PRIVATE
        $<$<COMPILE_LANGUAGE:CXX>:
            -ffreestanding -nostdinc++          # only the compiler's own C headers
            -fno-exceptions -fno-rtti
            -fno-threadsafe-statics             # no __cxa_guard_*: one CPU, explicit init order
            -fno-use-cxa-atexit                 # global destructors never run in a kernel
            -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor -Wcast-align
            # Canaries in every function with arrays or address-taken locals.
            # The guard is the global __stack_chk_guard, not %fs:40 / %gs:40
            # (TLS, which the kernel does not have); stack_protector.cpp
            # seeds it. main.cpp and that file are built without (src/).
            -fstack-protector-strong -mstack-protector-guard=global
            $<$<BOOL:${KEEL_UBSAN}>:${KEEL_UBSAN_FLAGS}>
        >
        -mno-red-zone                           # interrupts would clobber the 128 bytes below RSP
        -mno-sse -mno-sse2 -mno-mmx -mno-80387  # no FPU/SIMD state to save on traps
        -mcmodel=kernel                         # code and data in the top 2 GiB
        -fno-pic -fno-pie
        -fno-omit-frame-pointer                 # backtraces walk RBP chains
        # Panics and UBSan reports name src/..., not the build machine's
        # path: only __FILE__ is rewritten. The DWARF keeps absolute paths,
        # so GDB finds the sources as they are (a -ffile-prefix-map also
        # rewrote DW_AT_comp_dir to build/src, and GDB then looked for
        # build/src/src/...); the ISO's copy is stripped of DWARF anyway.
        -fmacro-prefix-map=${PROJECT_SOURCE_DIR}/=
        -g
        # Optimisation by configuration, after CMake's CMAKE_CXX_FLAGS_<CONFIG>
        # so these win: Debug is really unoptimised, for GDB (no
        # <optimized out> arguments, one line at a time); the release-like
        # configurations are what the tests boot by default.
        $<$<CONFIG:Debug>:-O0>
        $<$<CONFIG:Release,RelWithDebInfo>:-O2>
        $<$<CONFIG:MinSizeRel>:-Os>)
    # No partial or runtime unrolling (Clang does both at -O2; GCC neither):
    # a loop unrolled by 8 with a remainder loop is some six blocks where
    # the loop is three, and most of the kernel's loops run a handful of
    # times, at boot. Under QEMU's TCG each distinct block costs ~13 us to
    # translate on its first run (docs/time.md, "Instructions and blocks"):
    # 74 fewer before `ready`. Loops with a known small trip count are
    # still unrolled whole (a lower full-unroll threshold costs blocks).
    if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        target_compile_options(${target} PRIVATE
            "$<$<COMPILE_LANGUAGE:CXX>:SHELL:-mllvm -unroll-runtime=false>"
            "$<$<COMPILE_LANGUAGE:CXX>:SHELL:-mllvm -unroll-allow-partial=false>")
    endif()
    target_link_options(${target} PRIVATE
        ${KEEL_LINKER_FLAGS}
        -nostdlib -static
        -Wl,-z,max-page-size=0x1000
        -Wl,--build-id=none
        -T "${KEEL_LINKER_SCRIPT}")
    set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${KEEL_LINKER_SCRIPT}")
    # Include paths are per layer: cmake/Layers.cmake.
endfunction()

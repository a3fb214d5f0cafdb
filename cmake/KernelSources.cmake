# The kernel's hardware-independent sources, relative to src/, in one place
# for every build that compiles them: the kernel image (src/CMakeLists.txt),
# the host unit tests (tests/host) and the fuzzers (tests/fuzz). A file is
# thus never tested on the host yet missing from the kernel, or the reverse.
set(KEEL_MULTIBOOT2_SOURCES
    kernel/boot/multiboot2/boot_info.cpp
    kernel/boot/multiboot2/decode_simple.cpp
    kernel/boot/multiboot2/decode_tables.cpp
    kernel/boot/multiboot2/error.cpp
    kernel/boot/multiboot2/memory_map.cpp
    kernel/boot/multiboot2/parse.cpp
    kernel/boot/multiboot2/tag_walker.cpp)
set(KEEL_CMDLINE_SOURCES
    kernel/boot/cmdline.cpp
    kernel/boot/kernel_options.cpp)
set(KEEL_PORTABLE_SOURCES
    ${KEEL_MULTIBOOT2_SOURCES}
    ${KEEL_CMDLINE_SOURCES}
    arch/x86_64/interrupts/exception_info.cpp  # decoding only: no CPU access
    kernel/console/framebuffer_console.cpp
    kernel/console/text_grid.cpp
    kernel/debug/backtrace.cpp
    kernel/debug/demangle.cpp
    kernel/debug/symbols.cpp
    kernel/lib/format/format.cpp
    kernel/mm/physical_regions.cpp)

# keel_sources(<out> <root> <list>...): the lists' files as absolute paths.
function(keel_sources out root)
    set(files ${ARGN})
    list(TRANSFORM files PREPEND "${root}/")
    set(${out} ${files} PARENT_SCOPE)
endfunction()

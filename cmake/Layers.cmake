# The kernel's layers (docs/ARCHITECTURE.md, "Layers") and the include
# paths that make their dependency rules true.
#
# Every include is spelled from a layer's name ("lib/...", "boot/...",
# "kernel/...", "arch/...", "drivers/...", "init/..."). Each layer compiles
# with one include root only: a generated "view" folder in the build tree
# holding links to exactly what that layer may see. A header outside the
# view does not exist for that layer's compiler, so a wrong-way include is a
# build error ("file not found"), not a review comment. tests/layering
# proves it with files that include across a forbidden edge.
#
#   layer     may include
#   lib       lib
#   boot      lib, boot
#   kernel    lib, boot/params.hpp, kernel, arch/arch.hpp
#   arch      lib, boot/params.hpp, boot/multiboot2/protocol.h,
#             boot/pvh/protocol.h, kernel, arch (all of it)
#   drivers   lib, kernel, arch/arch.hpp, arch/io.hpp, arch/pc.h, drivers
#   init      lib, boot/params.hpp, boot/loader.hpp, kernel,
#             arch/arch.hpp, arch/setup.hpp, arch/pc.h, drivers, init

set(KEEL_ARCH_API "arch/x86_64/include/arch")

# keel_layer_entries(<layer> <out-var>): "<include path>=<path under src/>".
function(keel_layer_entries layer out)
    set(lib "lib=lib")
    set(params "boot/params.hpp=boot/params.hpp")
    set(arch_api "arch/arch.hpp=${KEEL_ARCH_API}/arch.hpp")
    if(layer STREQUAL "lib")
        set(e ${lib})
    elseif(layer STREQUAL "boot")
        set(e ${lib} "boot=boot")
    elseif(layer STREQUAL "kernel")
        set(e ${lib} ${params} "kernel=kernel" ${arch_api})
    elseif(layer STREQUAL "arch")
        set(e ${lib} ${params} "boot/multiboot2/protocol.h=boot/multiboot2/protocol.h"
            "boot/pvh/protocol.h=boot/pvh/protocol.h" "kernel=kernel" ${arch_api} "arch/io.hpp=${KEEL_ARCH_API}/io.hpp"
            "arch/pc.h=${KEEL_ARCH_API}/pc.h" "arch/setup.hpp=${KEEL_ARCH_API}/setup.hpp"
            "arch/x86_64=arch/x86_64")
    elseif(layer STREQUAL "drivers")
        set(e ${lib} "kernel=kernel" ${arch_api} "arch/io.hpp=${KEEL_ARCH_API}/io.hpp"
            "arch/pc.h=${KEEL_ARCH_API}/pc.h" "drivers=drivers")
    elseif(layer STREQUAL "init")
        set(e ${lib} ${params} "boot/loader.hpp=boot/loader.hpp" "kernel=kernel" ${arch_api}
            "arch/setup.hpp=${KEEL_ARCH_API}/setup.hpp" "arch/pc.h=${KEEL_ARCH_API}/pc.h"
            "arch/io.hpp=${KEEL_ARCH_API}/io.hpp" "drivers=drivers" "init=init")
    else()
        message(FATAL_ERROR "unknown layer ${layer}")
    endif()
    set(${out} ${e} PARENT_SCOPE)
endfunction()

# keel_layer_view(<layer> <out-var>): makes the view folder (at configure
# time) and returns its path.
function(keel_layer_view layer out)
    set(root "${CMAKE_BINARY_DIR}/layers/${layer}")
    file(REMOVE_RECURSE "${root}")
    keel_layer_entries(${layer} entries)
    foreach(entry ${entries})
        string(REPLACE "=" ";" parts "${entry}")
        list(GET parts 0 link)
        list(GET parts 1 target)
        get_filename_component(parent "${root}/${link}" DIRECTORY)
        file(MAKE_DIRECTORY "${parent}")
        file(CREATE_LINK "${PROJECT_SOURCE_DIR}/src/${target}" "${root}/${link}" SYMBOLIC)
    endforeach()
    set(${out} "${root}" PARENT_SCOPE)
endfunction()

# The C++ standard library's header names, each an #error that says why
# there is none (-nostdinc++: the kernel is freestanding) and what to use.
# Searched after everything else (-idirafter), so they only ever replace a
# header that does not exist; tests/layering checks one of them.
set(KEEL_NO_STD_HEADERS "${CMAKE_BINARY_DIR}/no-std-headers")
set(keel_std_hints
    "vector=ktl::vector (lib/ktl/vector.hpp: on the kernel heap, its growth can fail and says so), or a fixed-size array and ktl::span"
    "string=ktl::string_view (lib/ktl/string_view.hpp) or ktl::FixedString (lib/ktl/fixed_string.hpp)"
    "string_view=ktl::string_view (lib/ktl/string_view.hpp)"
    "optional=ktl::optional (lib/ktl/optional.hpp)"
    "span=ktl::span (lib/ktl/span.hpp)"
    "array=ktl::array (lib/ktl/array.hpp)"
    "type_traits=lib/ktl/type_traits.hpp"
    "bit=lib/ktl/bit.hpp"
    "cstdint=lib/ktl/types.hpp (u8..u64, usize)"
    "cstddef=lib/ktl/types.hpp (usize)"
    "new=placement new from lib/ktl/new.hpp"
    "memory=ktl::unique_ptr (lib/ktl/unique_ptr.hpp)"
    "utility=lib/ktl/type_traits.hpp"
    "algorithm=a loop"
    "map=a sorted array or a fixed table"
    "unordered_map=a fixed table"
    "functional=a function pointer"
    "iostream=kernel::log (kernel/log/log.hpp)"
    "cstdio=kernel::log (kernel/log/log.hpp) or kfmt::format_to (lib/format/format.hpp)"
    "format=kfmt::format_to (lib/format/format.hpp)"
    "atomic=the compiler's __atomic builtins, as kernel/sync/spinlock.hpp does"
    "mutex=kernel::Spinlock (kernel/sync/spinlock.hpp)")
file(REMOVE_RECURSE "${KEEL_NO_STD_HEADERS}")
file(MAKE_DIRECTORY "${KEEL_NO_STD_HEADERS}")
foreach(hint ${keel_std_hints})
    string(FIND "${hint}" "=" eq)
    string(SUBSTRING "${hint}" 0 ${eq} name)
    math(EXPR rest "${eq} + 1")
    string(SUBSTRING "${hint}" ${rest} -1 use)
    file(WRITE "${KEEL_NO_STD_HEADERS}/${name}"
        "#error \"<${name}>: the kernel has no C++ standard library (it is freestanding: "
        "-nostdinc++, see docs/ktl.md). Use ${use}.\"\n")
endforeach()

# keel_layer(<layer> SOURCES...): an object library compiled with the
# kernel's flags and that layer's view only. Object libraries, not static
# ones: nothing may be dropped for being unreferenced (KTESTs and crash
# tests are found through linker sections, not by name).
function(keel_layer layer)
    keel_layer_view(${layer} view)
    add_library(keel_${layer} OBJECT ${ARGN})
    keel_kernel_flags(keel_${layer})
    target_include_directories(keel_${layer} PRIVATE "${view}")
    target_compile_options(keel_${layer} PRIVATE
        "$<$<COMPILE_LANGUAGE:CXX>:SHELL:-idirafter ${KEEL_NO_STD_HEADERS}>")
    # Paths through the view read as the source paths they link to: the
    # real file for GDB, src/... in panic messages (as KernelFlags.cmake
    # does for files compiled from the source tree).
    target_compile_options(keel_${layer} PRIVATE
        "-fdebug-prefix-map=${view}/=${PROJECT_SOURCE_DIR}/src/"
        "-fmacro-prefix-map=${view}/=src/")
    set_property(GLOBAL APPEND PROPERTY KEEL_LAYER_TARGETS keel_${layer})
endfunction()

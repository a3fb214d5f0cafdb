# The keyboard maps, converted from Debian's console keymaps (package
# console-data) to C++ at build time by tools/kmap2cpp.py. Used by the kernel
# build and by the host tests:
#
#   include(<repo>/cmake/Keymaps.cmake)
#   kernel_generate_keymaps(KEYMAP_SOURCE)   # then add ${KEYMAP_SOURCE} to a target

set(KERNEL_KEYMAP_ROOT "/usr/share/keymaps/i386"
    CACHE PATH "Debian console-data keymaps (loadkeys .kmap.gz files)")
# name=path[|fallback path], relative to KERNEL_KEYMAP_ROOT without .kmap.gz.
# The first is the default map.
set(KERNEL_KEYMAPS
    "us=qwerty/us"
    "de=qwertz/de-latin1|qwertz/de"
    "fr=azerty/fr-latin1|azerty/fr"
    "uk=qwerty/uk")

get_filename_component(KERNEL_KEYMAP_TOOL "${CMAKE_CURRENT_LIST_DIR}/../tools/kmap2cpp.py" ABSOLUTE)

function(kernel_generate_keymaps out_var)
    if(NOT EXISTS "${KERNEL_KEYMAP_ROOT}/qwerty/us.kmap.gz")
        message(FATAL_ERROR "Keymaps not found in ${KERNEL_KEYMAP_ROOT}: install the Debian "
                            "package console-data (tools/setup-deps), or set KERNEL_KEYMAP_ROOT.")
    endif()
    find_package(Python3 REQUIRED COMPONENTS Interpreter)
    set(out "${CMAKE_BINARY_DIR}/generated/keymaps.cpp")
    add_custom_command(
        OUTPUT "${out}"
        COMMAND "${CMAKE_COMMAND}" -E make_directory "${CMAKE_BINARY_DIR}/generated"
        COMMAND "${Python3_EXECUTABLE}" "${KERNEL_KEYMAP_TOOL}" "${KERNEL_KEYMAP_ROOT}" "${out}"
                ${KERNEL_KEYMAPS}
        DEPENDS "${KERNEL_KEYMAP_TOOL}"
        COMMENT "Converting keymaps from ${KERNEL_KEYMAP_ROOT}"
        VERBATIM)
    set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

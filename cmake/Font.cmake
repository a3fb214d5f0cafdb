# The console font, converted from a PSF file to C++ at build time by
# tools/psf2cpp.py. Used by the kernel build and by the host tests:
#
#   include(<repo>/cmake/Font.cmake)
#   kernel_generate_font(FONT_SOURCE)   # then add ${FONT_SOURCE} to a target
#
# The generated file includes "kernel/console/font.hpp", so the target needs
# src/ on its include path.

set(KERNEL_FONT "/usr/share/consolefonts/Uni2-Terminus16.psf.gz"
    CACHE FILEPATH "PSF1/PSF2 console font compiled into the kernel (Debian console-setup-linux)")

# Resolved now: inside the function CMAKE_CURRENT_LIST_DIR is the caller's.
get_filename_component(KERNEL_FONT_TOOL "${CMAKE_CURRENT_LIST_DIR}/../tools/psf2cpp.py" ABSOLUTE)

function(kernel_generate_font out_var)
    if(NOT EXISTS "${KERNEL_FONT}")
        message(FATAL_ERROR "Console font ${KERNEL_FONT} not found: install the Debian package "
                            "console-setup-linux, or set KERNEL_FONT to a PSF font.")
    endif()
    find_package(Python3 REQUIRED COMPONENTS Interpreter)
    set(out "${CMAKE_BINARY_DIR}/generated/font_terminus.cpp")
    add_custom_command(
        OUTPUT "${out}"
        COMMAND "${CMAKE_COMMAND}" -E make_directory "${CMAKE_BINARY_DIR}/generated"
        COMMAND "${Python3_EXECUTABLE}" "${KERNEL_FONT_TOOL}" "${KERNEL_FONT}" "${out}"
        DEPENDS "${KERNEL_FONT_TOOL}" "${KERNEL_FONT}"
        COMMENT "Converting console font ${KERNEL_FONT}"
        VERBATIM)
    set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

# The PCI name table, converted from Debian's pci.ids (package pci.ids) to
# C++ at build time by tools/pciids2cpp.py. Used by the kernel build and by
# the host tests:
#
#   include(<repo>/cmake/PciIds.cmake)
#   kernel_generate_pci_names(PCI_NAMES_SOURCE)   # then add it to a target
#
# The generated file includes "drivers/pci/name_table.hpp", so the target
# needs src/ (or the drivers layer's view) on its include path.
#
# Vendor, class and subclass names are all kept; device names only for
# KEEL_PCI_DEVICE_VENDORS (the whole table is about 256 KiB for the default
# list, its names written with 128 word tokens; 508 KiB for "all"): QEMU's,
# the PC chipset, graphics, network and storage vendors a PC usually holds.
# docs/pci.md has the measurements.

set(KEEL_PCI_IDS "/usr/share/misc/pci.ids"
    CACHE FILEPATH "pci.ids file the PCI names come from (Debian package pci.ids)")
set(KEEL_PCI_DEVICE_VENDORS
    "8086,1022,1af4,1b36,1234,1013,10ec,15ad,80ee,1002,10de,14e4,144d,1b21,104c,168c,1912,1c5c,1e0f,15b7,17cb,1987"
    CACHE STRING "Vendor IDs (hex, comma-separated) whose device names the kernel keeps, or all")

get_filename_component(KEEL_PCI_IDS_TOOL "${CMAKE_CURRENT_LIST_DIR}/../tools/pciids2cpp.py" ABSOLUTE)

function(kernel_generate_pci_names out_var)
    if(NOT EXISTS "${KEEL_PCI_IDS}")
        message(FATAL_ERROR "PCI ID list ${KEEL_PCI_IDS} not found: install the Debian package "
                            "pci.ids (tools/setup-deps does), or set KEEL_PCI_IDS to a pci.ids file.")
    endif()
    find_package(Python3 REQUIRED COMPONENTS Interpreter)
    set(out "${CMAKE_BINARY_DIR}/generated/pci_names.cpp")
    add_custom_command(
        OUTPUT "${out}"
        COMMAND "${CMAKE_COMMAND}" -E make_directory "${CMAKE_BINARY_DIR}/generated"
        COMMAND "${Python3_EXECUTABLE}" "${KEEL_PCI_IDS_TOOL}"
                --devices-of "${KEEL_PCI_DEVICE_VENDORS}" "${KEEL_PCI_IDS}" "${out}"
        DEPENDS "${KEEL_PCI_IDS_TOOL}" "${KEEL_PCI_IDS}"
        COMMENT "Converting PCI names from ${KEEL_PCI_IDS}"
        VERBATIM)
    set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

# `iso`: the bootable hybrid BIOS + UEFI image, built by grub-mkrescue.
foreach(tool grub-mkrescue xorriso mformat)
    string(MAKE_C_IDENTIFIER "KEEL_TOOL_${tool}" var)
    find_program(${var} ${tool})
    if(NOT ${var})
        message(FATAL_ERROR "${tool} not found. Install the ISO tools with:\n"
            "  sudo apt-get install grub-common grub-pc-bin grub-efi-amd64-bin xorriso mtools")
    endif()
endforeach()
if(NOT EXISTS /usr/lib/grub/i386-pc OR NOT EXISTS /usr/lib/grub/x86_64-efi)
    message(FATAL_ERROR "GRUB's BIOS or UEFI platform files are missing:\n"
        "  sudo apt-get install grub-pc-bin grub-efi-amd64-bin")
endif()

# The ISO carries the kernel without DWARF debug info (GRUB reads the whole
# file from the CD: debug info would triple the load time); the symbol table
# stays, for the kernel's own backtraces. GDB uses the full keel.elf.
set(KEEL_BOOT_ELF "${CMAKE_BINARY_DIR}/keel-boot.elf")
set(keel_objcopy "${CMAKE_OBJCOPY}")
if(NOT keel_objcopy)
    find_program(keel_objcopy NAMES objcopy llvm-objcopy REQUIRED)
endif()
add_custom_command(OUTPUT "${KEEL_BOOT_ELF}"
    COMMAND "${keel_objcopy}" --strip-debug "$<TARGET_FILE:kernel>" "${KEEL_BOOT_ELF}"
    DEPENDS kernel
    COMMENT "Stripping debug info for the ISO's keel.elf"
    VERBATIM)
add_custom_target(boot-elf DEPENDS "${KEEL_BOOT_ELF}")

set(KEEL_ISO "${CMAKE_BINARY_DIR}/keel.iso")
set(KEEL_CMDLINE "" CACHE STRING "Kernel command line baked into the ISO")
add_custom_command(OUTPUT "${KEEL_ISO}"
    COMMAND "${Python3_EXECUTABLE}" "${PROJECT_SOURCE_DIR}/tools/make_iso.py"
        --kernel "${KEEL_BOOT_ELF}" --output "${KEEL_ISO}" --cmdline "${KEEL_CMDLINE}"
    DEPENDS "${KEEL_BOOT_ELF}" "${PROJECT_SOURCE_DIR}/iso/grub.cfg" "${PROJECT_SOURCE_DIR}/tools/make_iso.py"
    COMMENT "Packaging keel.iso (BIOS + UEFI)"
    VERBATIM)
add_custom_target(iso ALL DEPENDS "${KEEL_ISO}")

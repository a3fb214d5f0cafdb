# Relocation tests (docs/boot.md, "Relocation"; docs/guide/20-relocation.md):
# the image's Multiboot2 relocatable tag lets GRUB place it anywhere from
# 2 MiB to 4 GiB on a 2 MiB boundary. The build's own header asks for the
# lowest place, so the usual boots load it at its link address (2 MiB); the
# tests below boot a copy whose tag asks for the highest place instead
# (tools/reloc_variant.py changes only that word), through GRUB on SeaBIOS
# and on OVMF, and check that the kernel runs there and knows where it is.
# Included by tests/CMakeLists.txt, which defines keel_boot_test().

set(keel_reloc_high_elf "${CMAKE_BINARY_DIR}/keel-reloc-high.elf")
add_custom_command(OUTPUT "${keel_reloc_high_elf}"
    COMMAND "${Python3_EXECUTABLE}" "${PROJECT_SOURCE_DIR}/tools/reloc_variant.py"
        --preference highest "${KEEL_BOOT_ELF}" "${keel_reloc_high_elf}"
    DEPENDS "${KEEL_BOOT_ELF}" "${PROJECT_SOURCE_DIR}/tools/reloc_variant.py"
            "${PROJECT_SOURCE_DIR}/src/boot/multiboot2/protocol.h"
    COMMENT "Making keel-reloc-high.elf (relocatable tag: load as high as possible)"
    VERBATIM)
add_custom_target(reloc-high-elf ALL DEPENDS "${keel_reloc_high_elf}")
# The boot ELF is made in another directory (cmake/Iso.cmake): order by target.
add_dependencies(reloc-high-elf boot-elf)

set(reloc_ready [[ready in [0-9]+ us]])
# At or above 128 MiB (0x8000000), below 4 GiB: far from the link address.
# With -m 256M GRUB puts the image in the last free 2 MiB-aligned space
# below the end of RAM (measured: 0xfc00000 under SeaBIOS, 0xe000000 under
# OVMF, whose own data sits at the top).
set(reloc_high_base [[0x(?:[89a-f][0-9a-f]{6}|[0-9a-f]{8})]])
set(reloc_high_line "^image load base ${reloc_high_base} \\(linked at 0x200000; in RAM by the loader's memory map\\)$")
# The memory reservation of the image starts where the kernel found itself.
set(reloc_high_reserved "^reserved: kernel image ${reloc_high_base}-0x[0-9a-f]+ \\([0-9]+ KiB\\)$")

# The default image stays at its link address, through GRUB and PVH.
keel_boot_test(reloc.bios.lowest
    ARGS --iso "${KEEL_ISO}" --expect "${reloc_ready}" --reject PANIC
         --expect [[^image load base 0x200000 \(linked at 0x200000; in RAM by the loader's memory map\)$]])
keel_boot_test(reloc.pvh.link_address
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --expect "${reloc_ready}" --reject PANIC
         --expect [[^image load base 0x200000 \(linked at 0x200000; in RAM by the loader's memory map\)$]])

# Loaded high, every in-kernel test passes: the page tables' W^X and direct
# map of the image, the memory reservations, the symbol tables, the APs'
# start (their trampoline's page tables), and the loader's own report of
# the base against the trampoline's (image_load_base_matches_the_loader).
keel_boot_test(reloc.bios.high.ktest TIMEOUT 120
    ARGS --kernel "${keel_reloc_high_elf}" --memory 256M --smp 2
         --cmdline test --ktap --expect-exit 33 --reject PANIC
         --expect "${reloc_high_line}" --expect "${reloc_high_reserved}"
         --expect [[^ok [0-9]+ image_load_base_matches_the_loader$]])

# Near the top of a 4 GiB machine's low RAM (SeaBIOS: 3 GiB below the PCI
# hole, so about 0xbfc00000): the top of the relocation window in practice.
keel_boot_test(reloc.bios.high.4G
    ARGS --kernel "${keel_reloc_high_elf}" --memory 4G --expect "${reloc_ready}" --reject PANIC
         --expect [[^image load base 0x[ab][0-9a-f]{7} \(linked at 0x200000; in RAM by the loader's memory map\)$]])

# A crash in the relocated kernel: the report and a symbolized backtrace
# (the symbol map is read at the image's link addresses, which the higher
# half keeps), then a halt (issue 13).
# (With several CPUs the report names the CPU: `PANIC on CPU 0: ...`.)
set(reloc_fault [[Page Fault at 0x0000000000000000 \(not-present read, kernel mode\)$]])
set(reloc_crash_expects
    --expect [[^  #[0-9]+ +0x[0-9a-f]{16}  kernel::crash::\(anonymous namespace\)::null_deref\(\)]]
    --expect [[^System halted\.$]]
    --expect-halt)
keel_boot_test(reloc.bios.high.crash LABELS crash TIMEOUT 60
    ARGS --kernel "${keel_reloc_high_elf}" --memory 256M --cmdline crash=null-deref
         --expect "${reloc_high_line}" --expect "^PANIC: ${reloc_fault}" ${reloc_crash_expects})
# Under OVMF both in one boot (each OVMF boot costs about 5 s before GRUB):
# `test` typed at the shell runs every in-kernel test, then `crash
# null-deref`. Label timing: the tick's tests run in it.
set(reloc_prompt [[^keel> ]])
keel_boot_test(reloc.uefi.high LABELS crash timing TIMEOUT 150
    ARGS --kernel "${keel_reloc_high_elf}" --firmware uefi --memory 256M --smp 2
         --expect "${reloc_high_line}" --expect "${reloc_high_reserved}"
         --type "${reloc_prompt}" [[test\r]]
         --expect [[^ok [0-9]+ image_load_base_matches_the_loader$]]
         --expect [[^test: [1-9][0-9]* passed, 0 failed$]]
         --type "${reloc_prompt}" [[crash null-deref\r]]
         --expect "^PANIC on CPU 0: ${reloc_fault}" ${reloc_crash_expects})

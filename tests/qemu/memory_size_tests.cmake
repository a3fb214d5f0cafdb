# Machines of every memory size (docs/memory.md, docs/memory-allocators.md):
# usable RAM and free memory as the boot reports them from 8 MiB to 1 TiB,
# the reservations, and too little memory refused in words.
# Included by tests/CMakeLists.txt, which defines keel_boot_test().

# Usable RAM = the type-1 (available) memory of the Multiboot2 memory map,
# in whole MiB (rounded down). -m 128M under SeaBIOS (measured): 639 KiB
# below the EBDA, then 1 MiB up to 128 MiB less the 128 KiB SeaBIOS keeps at
# the top (0x7fe0000, ACPI tables): 639 + 129920 KiB = 127.5 MiB -> 127.
# The VGA hole, option ROMs and the BIOS (640 KiB - 1 MiB) are never RAM.
keel_boot_test(boot.ram.128M
    ARGS --iso "${KEEL_ISO}" --memory 128M --expect "${ready}" --reject PANIC
         --expect-range [[usable RAM: ([0-9]+) MiB]] 120 128)

# -m 4G on i440FX (measured): 3 GiB below the PCI hole (1 MiB - 0xbffe0000,
# SeaBIOS keeps the top 128 KiB) and the remaining 1 GiB at 4 GiB
# (0x100000000 - 0x13fffffff): 639 + 3144576 + 1048576 KiB -> 4095 MiB. A
# kernel that ignored memory above 4 GiB would report 3071.
keel_boot_test(boot.ram.4G
    ARGS --iso "${KEEL_ISO}" --memory 4G --expect "${ready}" --reject PANIC
         --expect-range [[usable RAM: ([0-9]+) MiB]] 3900 4096)

# Free memory (docs/memory.md, "Physical memory"): the available regions
# less the first MiB, the kernel image, the boot information, modules and
# the symbol tables. The image sits at its link address, 2 MiB (it was 1 MiB
# before the image became relocatable: the relocation window is 2 MiB
# aligned, docs/boot.md "Relocation"). -m 128M under SeaBIOS: 127.5 MiB usable - 639 KiB below
# 1 MiB - about 0.95 MiB of image and symbols -> 125.
keel_boot_test(boot.reserved
    ARGS --kernel "${KEEL_KERNEL_ELF}" --memory 128M --generated-module alpha.bin:12345
         --expect "${ready}" --reject PANIC
         --expect [[^reserved: real-mode/BIOS area 0x0-0xfff \(4 KiB\)$]]
         --expect [[^reserved: real-mode/BIOS area 0x80000-0xfffff \(512 KiB\)$]]
         --expect [[^reserved: kernel image 0x200000-0x[0-9a-f]+ \([0-9]+ KiB\)$]]
         --expect [[^reserved: boot information 0x[0-9a-f]+-0x[0-9a-f]+ \([0-9]+ bytes\)$]]
         --expect [[^reserved: module 0x[0-9a-f]+-0x[0-9a-f]+ \(12345 bytes\)$]]
         --expect [[^reserved: kernel symbols 0x[0-9a-f]+-0x[0-9a-f]+ \([0-9]+ (bytes|KiB)\)$]]
         --expect-range [[^free memory: ([0-9]+) MiB in [0-9]+ ranges? \(after 8 reservations\)$]]
                        120 127)

# Too little memory (measured, SeaBIOS): at 4352K and below GRUB itself
# fails to load the image (out of memory); from 4608K to 6336K GRUB starts
# the kernel but leaves under 4 MiB free (-m 5632K: 3 MiB), which must end
# in the sentence and a halt; from 6400K on it boots. (The window moved
# down by about 1 MiB at GRUB's end and 0.5 MiB at the boot's when per-CPU
# state left .bss for per-CPU areas: docs/memory.md.) 5632K sits 1 MiB
# above GRUB's failure, where a larger image would move it first.
keel_boot_test(boot.lowmem
    ARGS --iso "${KEEL_ISO}" --memory 5632K
         --expect [[^PANIC: not enough memory: Keel needs at least 4 MiB of free RAM, this machine has [0-3] MiB$]]
         --expect [[^System halted\.$]]
         --expect-screen [[PANIC: not enough memory: Keel needs at least 4 MiB of free RAM]]
         --expect-halt)
keel_boot_test(boot.ram.8M
    ARGS --iso "${KEEL_ISO}" --memory 8M --expect "${ready}" --reject PANIC
         --expect-range [[^free memory: ([0-9]+) MiB]] 4 7)

# The frame allocator on small and large machines (docs/memory-allocators.md,
# "In the kernel"). Its page tables come from a boot-time carver, then from
# the allocator itself: any RAM size boots. The frames line counts what the
# buddy allocator holds: the free memory less its bookkeeping (one byte per
# frame) and the early page tables.
set(frames_line [[^frames: [0-9]+ MiB free \([0-9]+ KiB below 1 MiB, [0-9]+ MiB below 4 GiB\)$]])
# -m 16M: 14 MiB free, all of it below 4 GiB.
keel_boot_test(boot.ram.16M
    ARGS --iso "${KEEL_ISO}" --memory 16M --expect "${ready}" --reject PANIC
         --expect "${frames_line}"
         --expect-range [[^frames: ([0-9]+) MiB free]] 13 15
         --expect-range [[^frames: .*, ([0-9]+) MiB below 4 GiB]] 13 15)
# QEMU cannot reserve 64 GiB or 1 TiB of host memory up front: the RAM
# comes from a backend that reserves nothing (pages exist once touched).
# -m 64G on i440FX: 3 GiB below the PCI hole, 61 GiB above 4 GiB; the
# bookkeeping takes 16 MiB.
keel_boot_test(boot.ram.64G
    ARGS --iso "${KEEL_ISO}" --memory 64G --machine pc,memory-backend=m
         --qemu-arg=-object --qemu-arg=memory-backend-ram,id=m,size=64G,reserve=off
         --expect "${ready}" --reject PANIC --expect "${frames_line}"
         --expect-range [[^frames: ([0-9]+) MiB free]] 65400 65535
         --expect-range [[^frames: .*, ([0-9]+) MiB below 4 GiB]] 2900 3072)
# -m 1T needs 44 physical address bits. qemu64 has no 1 GiB pages: the
# direct map takes 1024 page directories (4 MiB of tables, which the old
# static pool of 256 pages could not hold); the bookkeeping 256 MiB. The
# same with 1 GiB pages (+pdpe1gb) needs a dozen tables.
foreach(variant IN ITEMS 2M 1G)
    set(cpu qemu64,phys-bits=44)
    set(tables [[^paging: ([0-9]+) table pages]] 1025 1100)
    if(variant STREQUAL "1G")
        set(cpu qemu64,phys-bits=44,+pdpe1gb)
        set(tables [[^paging: ([0-9]+) table pages]] 5 32)
    endif()
    keel_boot_test(boot.ram.1T.pages${variant} TIMEOUT 120
        ARGS --iso "${KEEL_ISO}" --memory 1T --cpu ${cpu} --machine pc,memory-backend=m
             --qemu-arg=-object --qemu-arg=memory-backend-ram,id=m,size=1T,reserve=off
             --expect "${ready}" --reject PANIC --expect "${frames_line}"
             --expect-range [[^frames: ([0-9]+) MiB free]] 1047000 1048575
             --expect-range ${tables})
endforeach()

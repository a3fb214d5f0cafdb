# The shell and the console (issue 11, docs/shell.md): commands typed on
# COM1 (keel_qemu.py --type: COM1 is a socket the runner writes to and logs
# from), their answers read back on COM1 with the colours removed; the
# colours themselves checked raw on COM1 (--expect-raw) and as VGA text
# attributes (--expect-text-attr). Each --type waits for its own prompt.
# A lone '[' is spelled \x5b: CMake does not split a list inside brackets.
# Included by tests/CMakeLists.txt, which defines keel_boot_test().

set(shell_prompt [[^keel> ]])

# help lists every command on one line; any command's --help shows its usage.
keel_boot_test(shell.help
    ARGS --iso "${KEEL_ISO}" --reject PANIC
         --type "${shell_prompt}" [[help\r]]
         --type "${shell_prompt}" [[pci --help\r]]
         --expect [[^help +list the commands$]]
         --expect [[^crash +provoke a fault to see the kernel catch it$]]
         --expect [[^log +the kernel log since boot]]
         --expect [[^pci - the PCI functions, like lspci; -v adds BARs and capabilities\nusage: pci \[-v\]\n  one of: -v$]])

# pci lists what the boot log listed (QEMU's i440FX host bridge first);
# -v adds the BARs (the PIIX3 IDE's legacy I/O BAR4).
keel_boot_test(shell.pci
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --reject PANIC
         --type "${shell_prompt}" [[pci\r]]
         --type "${shell_prompt}" [[pci -v\r]]
         --expect [[^keel> pci\npci 00:00\.0 \[0600\] Host bridge: Intel Corporation 440FX]]
         --expect [[^    BAR4 io 0xc000 size 0x10$]])

# Bad input: an unknown command, wrong arguments, garbage on the line.
keel_boot_test(shell.unknown
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --reject PANIC
         --type "${shell_prompt}" [[nosuch\r]]
         --type "${shell_prompt}" [[crash\r]]
         --type "${shell_prompt}" [[echo too many words x x x x x x x x x x x x x\r]]
         --expect [[^unknown command 'nosuch' \(try help\)$]]
         --expect [[^usage: crash <kind>\n  one of: null-deref write-rodata]]
         --expect [[^too many words: a command takes at most 15$]])
keel_boot_test(shell.garbage TIMEOUT 90
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --reject PANIC
         --type "${shell_prompt}" [[{garbage:10240}\x03\x03echo alive\r]]
         --expect [[^alive$]])

# What a terminal may send that is no text (found by a monkey test): an
# overlong UTF-8 CR (C0 8D) and Ctrl-C (C0 83) must not end or cancel the
# line; a private-mode sequence, an SGR mouse report, a title string (OSC)
# and Alt-x type nothing. The line is `echo abcdef`. (`;` and `]` are
# spelled \x3b and \x5d: a CMake list splits at the one and pairs the other.)
keel_boot_test(shell.terminal_junk
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --reject PANIC
         --type "${shell_prompt}" [[echo a\xc0\x8db\xc0\x83c\x1b\x5b?25hd\x1b\x5b<0\x3b1\x3b1Me\x1b\x5d0\x3btitle\x07\x1bxf\r]]
         --expect [[^abcdef$]])

# Line editing: `ecjo hi`, Left x4, Backspace, `h`, Enter runs `echo hi`;
# Up recalls it; Tab completes `pc` to `pci`.
keel_boot_test(shell.echo
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --reject PANIC
         --type "${shell_prompt}" [[ecjo hi\x1b\x5bD\x1b\x5bD\x1b\x5bD\x1b\x5bD\x7fh\r]]
         --type "${shell_prompt}" [[\x1b\x5bA\r]]
         --type "${shell_prompt}" [[pc\t\r]]
         --expect [[^hi\n(.*\n)*hi$]]
         --expect [[^keel> pci \npci 00:00\.0]]
         --reject [[unknown command]])

# log shows the boot log again from its history; log -f follows until Ctrl-C
# and the shell answers afterwards.
keel_boot_test(shell.log
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --reject PANIC
         --type "${shell_prompt}" [[log\r]]
         --type "${shell_prompt}" [[log -f\r]]
         --type [[^\[following the log; Ctrl-C stops\]$]] [[\x03]]
         --type "${shell_prompt}" [[echo after\r]]
         --expect [[^keel> log\nKeel [0-9.]+ \(x86_64, [^\n]*\n(.*\n)*ready in [0-9]+ us\n(.*\n)*shell: [0-9]+ commands[^\n]*\nkeel> log -f$]]
         --expect [[^\^C\nkeel> ]]
         --expect [[^after$]])

# crash <Tab> lists the kinds; a kind typed at the prompt is caught like
# crash= on the command line.
keel_boot_test(shell.crash
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf"
         --type "${shell_prompt}" [[crash \t]]
         --type [[^keel> crash $]] [[divide-by-zero\r]]
         --expect [[^null-deref  write-rodata  write-text  exec-data]]
         --expect [[^crash: running 'divide-by-zero', expect: Divide Error$]]
         --expect [[^PANIC: Divide Error \(#DE, vector 0\)]]
         --expect [[^System halted\.$]]
         --expect-halt)

# The other commands' first lines, each from what the kernel knows.
keel_boot_test(shell.commands TIMEOUT 60
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --reject PANIC
         --type "${shell_prompt}" [[version\r]]
         --type "${shell_prompt}" [[mem\r]]
         --type "${shell_prompt}" [[heap\r]]
         --type "${shell_prompt}" [[uptime\r]]
         --type "${shell_prompt}" [[acpi\r]]
         --type "${shell_prompt}" [[cpu\r]]
         --type "${shell_prompt}" [[vm\r]]
         --type "${shell_prompt}" [[test debug_symbol\r]]
         --type "${shell_prompt}" [[test pagign\r]]
         --type "${shell_prompt}" [[clear\r]]
         --expect [[^keel> version\nKeel [0-9]+\.[0-9]+\.[0-9]+ \(x86_64, ]]
         --expect [[^DMA32 +[0-9]+ +[0-9]+  [0-9]+ KiB$]]
         --expect [[^heap: [0-9]+ bytes in use, high water [0-9]+ bytes, [0-9]+ KiB held$]]
         --expect [[^up 0:00:[0-9][0-9]\.[0-9]{3} \([0-9]+ us since boot\)$]]
         --expect [[^keel> acpi\nacpi: RSDP revision 0 \(BOCHS \)(.*\n)*cpus: 1 in the MADT(.*\n)*ioapic 0 at 0xfec00000, GSI 0-23\n]]
         --expect [[^protections: NX on, WP on, ]]
         --expect [[^0xffffffff80[0-9a-f]+-0xffffffff80[0-9a-f]+ +[0-9]+ KiB R-X write-back global 4 KiB pages]]
         --expect [[^test: [1-9][0-9]* passed, 0 failed$]]
         --expect [[^# did you mean test paging_]]
         --expect-raw [[keel> \x1b\x5b0m\x1b\x5b1mclear\x1b\x5b0m\n\x1b\x5b2J\x1b\x5bH]])

# Colours: ready green and the prompt cyan on COM1 (ANSI) and on the VGA
# text screen (attributes 0x0a, 0x0b); a warning yellow (0x0e); none of it on
# COM1 with color=off.
keel_boot_test(shell.colors
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --reject PANIC
         --expect-raw [[\x1b\x5b92mready in [0-9]+ us\x1b\x5b0m]]
         --expect-raw [[\x1b\x5b96mkeel> ]]
         --expect-screen [[^keel>]]
         --expect-text-attr [[ready in [0-9]+ us]] 0x0a
         --expect-text-attr [[^keel>]] 0x0b)
keel_boot_test(shell.colors.warning
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cmdline "loglevel=warn nosuchoption" --reject PANIC
         --expect-raw [[\x1b\x5b93mwarning: kernel command line: unknown option 'nosuchoption']]
         --expect-screen [[^keel>]]
         --expect-text-attr [[warning: kernel command line: unknown option 'nosuchoption']] 0x0e)
keel_boot_test(shell.colors.off
    ARGS --direct "${CMAKE_BINARY_DIR}/keel.elf" --cmdline "color=off loglevel=warn nosuchoption"
         --reject PANIC
         --type "${shell_prompt}" [[echo plain\r]]
         --expect [[^warning: kernel command line: unknown option 'nosuchoption'$]]
         --expect [[^plain$]]
         --reject-raw [[\x1b]])

/*
 * Fixed addresses of the IBM PC compatible platform, shared by the boot
 * trampoline (assembly: its CPU-check messages) and the drivers. Plain
 * #defines: assembly reads them.
 */
#ifndef KEEL_ARCH_PC_H
#define KEEL_ARCH_PC_H

#define COM1_PORT 0x3F8          /* the first 16550 UART */
#define VGA_TEXT_ADDRESS 0xB8000 /* colour text mode's character cells */
#define DEBUGCON_PORT 0xE9       /* Bochs' and QEMU's debug console */

#endif

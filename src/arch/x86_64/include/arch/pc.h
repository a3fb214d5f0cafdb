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

/* The 8254 PIT (Intel 8254 datasheet): the drivers' stopwatch (channel 2),
   and the count the stack protector reads before any driver exists
   (channel 0, which the firmware leaves running). */
#define PIT_CHANNEL0_PORT 0x40
#define PIT_CHANNEL2_PORT 0x42
#define PIT_COMMAND_PORT 0x43
#define PC_SYSTEM_CONTROL_PORT 0x61 /* port B: channel 2's gate and output */

#endif

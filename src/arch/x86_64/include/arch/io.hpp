// Port I/O: one tiny header, typed by width, with a strong port type so a
// port number cannot be passed where a value is expected.
#pragma once

#include "lib/ktl/types.hpp"

namespace arch {

struct Port {
    u16 number;
};

inline void out8(Port port, u8 value) {
    asm volatile("outb %0, %1" : : "a"(value), "Nd"(port.number));
}
inline void out16(Port port, u16 value) {
    asm volatile("outw %0, %1" : : "a"(value), "Nd"(port.number));
}
inline void out32(Port port, u32 value) {
    asm volatile("outl %0, %1" : : "a"(value), "Nd"(port.number));
}

inline u8 in8(Port port) {
    u8 value = 0;
    asm volatile("inb %1, %0" : "=a"(value) : "Nd"(port.number));
    return value;
}
inline u16 in16(Port port) {
    u16 value = 0;
    asm volatile("inw %1, %0" : "=a"(value) : "Nd"(port.number));
    return value;
}
inline u32 in32(Port port) {
    u32 value = 0;
    asm volatile("inl %1, %0" : "=a"(value) : "Nd"(port.number));
    return value;
}

// A write to the POST code port (0x80), which nothing uses once the
// firmware is done: about 1 us on real hardware (an ISA bus cycle). The
// customary short delay, and the only one without a clock.
inline void io_delay() { out8(Port{0x80}, 0); }

}  // namespace arch

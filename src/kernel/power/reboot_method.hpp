// The ways Keel can reset the machine, in the order it tries them (the
// boot option reboot=<method> starts from one; docs/power.md).
#pragma once

#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::power {

enum class RebootMethod : u8 {
    AcpiResetRegister,  // the FADT's RESET_REG, when its flags say it works
    Cf9,                // the chipset's reset control register, port 0xCF9
    Keyboard,           // the 8042 keyboard controller's reset line
    TripleFault,        // an empty IDT and an exception: the CPU resets itself
};
inline constexpr usize kRebootMethodCount = 4;

// The spelling of reboot=<method>: "acpi", "cf9", "kbd", "triple".
[[nodiscard]] constexpr ktl::string_view option_name(RebootMethod method) {
    switch (method) {
        case RebootMethod::AcpiResetRegister:
            return "acpi";
        case RebootMethod::Cf9:
            return "cf9";
        case RebootMethod::Keyboard:
            return "kbd";
        case RebootMethod::TripleFault:
            return "triple";
    }
    return "unknown";
}

}  // namespace kernel::power

#include "kernel/acpi/gas.hpp"

namespace kernel::acpi {

GenericAddress GenericAddress::read(Bytes bytes, usize offset) {
    return {bytes.u8_at(offset), bytes.u8_at(offset + 1), bytes.u8_at(offset + 2),
            bytes.u8_at(offset + 3), bytes.u64_at(offset + 4)};
}

ktl::string_view space_name(u8 space) {
    switch (static_cast<AddressSpace>(space)) {
        case AddressSpace::Memory:
            return "memory";
        case AddressSpace::Io:
            return "io";
        case AddressSpace::PciConfig:
            return "pci config";
    }
    return "other space";
}

}  // namespace kernel::acpi

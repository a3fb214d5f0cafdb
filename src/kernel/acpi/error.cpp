#include "kernel/acpi/error.hpp"

namespace kernel::acpi {

ktl::string_view describe(Error error) {
    switch (error) {
        case Error::Unreadable:
            return "cannot be read";
        case Error::BadSignature:
            return "wrong signature";
        case Error::BadChecksum:
            return "bad checksum";
        case Error::TooShort:
            return "too short";
        case Error::TooLong:
            return "impossibly long";
        case Error::EntryTooShort:
            return "entry length below 2";
        case Error::EntryPastEnd:
            return "entry runs past the end of the table";
        case Error::ListsItself:
            return "root table lists itself";
        case Error::Duplicate:
            return "listed more than once";
        case Error::NoRootTable:
            return "no XSDT or RSDT address";
        case Error::PastModuleEnd:
            return "its length runs past the end of the module";
        case Error::ListFull:
            return "the table list is full";
    }
    return "unknown error";
}

}  // namespace kernel::acpi

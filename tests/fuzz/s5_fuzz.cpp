// libFuzzer target: one raw DSDT (or SSDT), header included, as acpidump
// and acpixtract write it, given to the \_S5_ byte scan
// (kernel/acpi/sleep_state.hpp). ASan and UBSan catch any read outside the
// input; the checks below catch a match the bytes do not support.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include "fuzz_check.hpp"

#include "kernel/acpi/sleep_state.hpp"

namespace acpi = kernel::acpi;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const acpi::Bytes table{ktl::span<const u8>{data, size}};
    const auto r = acpi::find_s5(table);
    if (!r) return 0;
    FUZZ_CHECK(size >= 36);
    FUZZ_CHECK(std::memcmp(data, "DSDT", 4) == 0 || std::memcmp(data, "SSDT", 4) == 0);
    FUZZ_CHECK(r->a <= 7 && r->b <= 7);
    // A NameOp, maybe the root prefix, then the name and PackageOp, all
    // inside the input.
    const size_t at = r->offset;
    FUZZ_CHECK(at >= 36 && at + 6 <= size);
    FUZZ_CHECK(data[at] == 0x08);
    const size_t name = data[at + 1] == '\\' ? at + 2 : at + 1;
    FUZZ_CHECK(name + 5 <= size);
    FUZZ_CHECK(std::memcmp(data + name, "_S5_", 4) == 0 && data[name + 4] == 0x12);
    return 0;
}

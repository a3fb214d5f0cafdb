// What each exception vector is and what its error code means, as text.
// Pure functions (host-tested in tests/host/exception_info_test.cpp).
#pragma once

#include "lib/format/buffer.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace arch {

// "Page Fault", "General Protection", ...; "Reserved" for reserved vectors
// and "Interrupt" above 31.
[[nodiscard]] ktl::string_view exception_name(u64 vector);
// "#PF", "#GP", ...; "NMI" for 2; "" where the manuals define none.
[[nodiscard]] ktl::string_view exception_mnemonic(u64 vector);
// Whether the CPU pushes an error code for this vector.
[[nodiscard]] bool exception_has_error_code(u64 vector);

using ErrorText = kfmt::Buffer<160>;

// A page-fault error code in words: "not-present read, kernel mode",
// "protection-violation instruction fetch, kernel mode, reserved bit set".
void describe_page_fault(u64 error_code, ErrorText& out);
// A selector error code (#TS, #NP, #SS, #GP): "GDT index 5 (selector
// 0x28)", "IDT vector 32, external"; "0 (not selector-related)" for zero.
void describe_selector_error(u64 error_code, ErrorText& out);
// The error code of any vector in words, with each defined bit named:
// page faults and selector errors as above, #CP by cause, others in hex.
void describe_error_code(u64 vector, u64 error_code, ErrorText& out);
// The set RFLAGS bits by name: "IF ZF", "IOPL=3 IF".
void describe_rflags(u64 rflags, ErrorText& out);

}  // namespace arch

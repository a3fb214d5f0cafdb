// The 36-byte header every ACPI description table starts with (ACPI 6.5
// §5.2.6), its checksum, and the limits Keel puts on what a header claims.
#pragma once

#include "kernel/acpi/bytes.hpp"
#include "kernel/acpi/error.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"
#include "lib/result.hpp"

namespace kernel::acpi {

inline constexpr usize kHeaderSize = 36;
// No real table comes near this (the largest seen, an EPYC HEST, is 1.5 MiB);
// a larger length is a corrupt header, and reading it would map gigabytes.
inline constexpr u32 kMaxTableLength = 16U << 20;

// Four signature bytes as found; text() replaces anything unprintable so a
// hostile signature cannot put control characters in the log.
struct Signature {
    char bytes[4] = {};

    static constexpr Signature of(const char (&text)[5]) {
        return Signature{{text[0], text[1], text[2], text[3]}};
    }
    static Signature from(Bytes table);
    // All four bytes compared at once, as one word: the defaulted
    // comparison stops at the first difference, a branch per byte at each of
    // the boot's signature checks, code that QEMU's TCG translates per copy.
    friend constexpr bool operator==(const Signature& a, const Signature& b) {
        return a.word() == b.word();
    }
    [[nodiscard]] constexpr u32 word() const {
        return static_cast<u32>(static_cast<u8>(bytes[0])) |
               static_cast<u32>(static_cast<u8>(bytes[1])) << 8 |
               static_cast<u32>(static_cast<u8>(bytes[2])) << 16 |
               static_cast<u32>(static_cast<u8>(bytes[3])) << 24;
    }

    struct Text {
        char chars[5];
        [[nodiscard]] ktl::string_view view() const { return {chars, 4}; }
    };
    [[nodiscard]] Text text() const;
};

struct Header {
    Signature signature;
    u32 length{};
    u8 revision{};
    char oem_id[6]{};
};

// The header's fields; fails only when fewer than 36 bytes are given.
Result<Header, Error> read_header(Bytes table);

// Whether the bytes sum to 0 modulo 256, as every table's (and the RSDP's)
// checksum byte makes them.
[[nodiscard]] bool checksum_ok(ktl::span<const u8> bytes);

// The table's own length checked against what a table can be: at least a
// header, at most kMaxTableLength, and no more than the bytes given.
Result<Header, Error> check_length(Bytes table);

}  // namespace kernel::acpi

// Bounds-checked iteration over the tags of a Multiboot2 boot information
// structure (Multiboot2 spec 3.6: an 8-byte header, then tags each padded to
// 8 bytes, ending with a type-0 tag of size 8).
#pragma once

#include "boot/multiboot2/bytes.hpp"
#include "boot/multiboot2/error.hpp"
#include "lib/ktl/optional.hpp"
#include "lib/ktl/types.hpp"

namespace boot::multiboot2 {

// The kernel reads total_size from the first 8 bytes before it knows how much
// to map; nullopt when fewer than 8 bytes are given. The value is untrusted:
// parse() validates it.
[[nodiscard]] ktl::optional<u32> peek_total_size(Bytes first8);

// Checks the fixed header: alignment of `mbi_phys`, 16 <= total_size <=
// mbi.size(). On success `info` is `mbi` cut to total_size bytes.
[[nodiscard]] ParseResult check_header(Bytes mbi, u64 mbi_phys, Bytes& info);

struct Tag {
    u32 type{};
    u32 size{};    // As declared (>= 8), without the padding.
    u32 offset{};  // From the start of the MBI; always a multiple of 8.
    Bytes bytes;   // Exactly `size` bytes, the 8-byte tag header included.
};

class TagWalker {
public:
    // `info` is exactly total_size bytes, as check_header() returns it.
    explicit TagWalker(Bytes info) : info_(info) {}

    // Yields the next tag before END. Returns false at END or at the first
    // malformed tag header; result() then tells which.
    [[nodiscard]] bool next(Tag& tag);

    // After next() returned false: ok() when the END tag was reached.
    [[nodiscard]] ParseResult result() const { return result_; }

private:
    bool fail(Error error, u32 type);

    Bytes info_;
    usize offset_ = sizeof(u64);  // The tags start after the 8-byte header.
    ParseResult result_{};
    bool done_ = false;
};

}  // namespace boot::multiboot2

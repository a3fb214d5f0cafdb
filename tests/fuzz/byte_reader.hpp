// The fuzz input read as a script of small numbers: the allocator fuzzers
// turn each byte (or pair of bytes) into an operation and its argument.
// Past the end every read is 0, so any input, however short, is a whole
// script and libFuzzer's mutations never fall off it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "lib/ktl/types.hpp"

namespace fuzz {

struct ByteReader {
    const std::uint8_t* data;
    std::size_t size;
    u32 byte() {
        if (size == 0) return 0;
        --size;
        return *data++;
    }
    u32 word() { return byte() | byte() << 8; }
};

}  // namespace fuzz

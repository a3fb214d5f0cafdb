// A type-erased output, so that the formatting code is compiled once rather
// than once per output type.
#pragma once

#include "lib/ktl/type_traits.hpp"
#include "lib/ktl/types.hpp"

namespace kfmt {

// Wraps any object with `void put(char)`, or better `void write(const char*,
// usize)`, which then receives whole runs of text rather than single chars.
// A Sink refers to its output; it does not own it.
class Sink {
public:
    template <typename Out>
    requires(!ktl::is_same_v<Out, Sink>) explicit Sink(Out& out)
        : out_(&out), write_(&write_to<Out>) {}

    Sink(const Sink&) = delete;
    Sink& operator=(const Sink&) = delete;
    ~Sink() = default;

    void write(const char* data, usize size) {
        if (size != 0) write_(out_, data, size);
    }
    void put(char c) { write_(out_, &c, 1); }

    // `count` copies of c, in runs so that padding is not a call per char.
    void fill(char c, usize count) {
        if (count == 0) return;
        constexpr usize chunk_size = 16;
        char chunk[chunk_size];
        for (char& slot : chunk) slot = c;
        while (count != 0) {
            const usize n = count < chunk_size ? count : chunk_size;
            write_(out_, chunk, n);
            count -= n;
        }
    }

private:
    template <typename Out>
    static void write_to(void* erased, const char* data, usize size) {
        Out& out = *static_cast<Out*>(erased);
        if constexpr (requires { out.write(data, size); }) {
            out.write(data, size);
        } else {
            for (usize i = 0; i < size; ++i) out.put(data[i]);
        }
    }

    void* out_;
    void (*write_)(void*, const char*, usize);
};

}  // namespace kfmt

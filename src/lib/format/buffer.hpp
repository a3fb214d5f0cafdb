// A fixed-capacity character buffer to format into, such as a log line on
// the stack. Output beyond the capacity is dropped, never overflowed.
#pragma once

#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kfmt {

namespace detail {
// Buffer<N>::write() for every N: appends what fits of [src, src + count)
// at data[size], terminates it and returns the new size. One copy, kept
// out of line (the linker keeps one copy of an inline function), rather than
// a copy loop per capacity: each copy that runs at boot is code QEMU's TCG
// translates anew.
[[gnu::noinline]] inline usize append(char* data, usize capacity, usize size, bool& truncated,
                                      const char* src, usize count) {
    const usize room = capacity - size;
    if (count > room) {
        truncated = true;
        count = room;
    }
    for (usize i = 0; i < count; ++i) data[size + i] = src[i];
    size += count;
    data[size] = '\0';
    return size;
}
}  // namespace detail

template <usize N>
class Buffer {
    static_assert(N > 0, "kfmt::Buffer needs room for at least one character");

public:
    Buffer() { data_[0] = '\0'; }
    // Not copyable: the unused tail is uninitialised, and views point inside.
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;
    ~Buffer() = default;

    void put(char c) { write(&c, 1); }
    void write(const char* data, usize size) {
        size_ = detail::append(data_, N, size_, truncated_, data, size);
    }
    void clear() {
        size_ = 0;
        truncated_ = false;
        data_[0] = '\0';
    }

    [[nodiscard]] ktl::string_view view() const { return {data_, size_}; }
    // Always NUL-terminated.
    [[nodiscard]] const char* c_str() const { return data_; }
    [[nodiscard]] usize size() const { return size_; }
    [[nodiscard]] static constexpr usize capacity() { return N; }
    // Whether any output has been dropped since construction or clear().
    [[nodiscard]] bool truncated() const { return truncated_; }

private:
    char data_[N + 1]{};  // + 1 for the terminator c_str() promises.
    usize size_ = 0;
    bool truncated_ = false;
};

}  // namespace kfmt

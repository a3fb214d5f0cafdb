// A non-owning view of characters: the kernel's only string type.
#pragma once

#include "lib/ktl/types.hpp"

namespace ktl {

class string_view {
public:
    constexpr string_view() = default;
    constexpr string_view(const char* data, usize size) : data_(data), size_(size) {}
    // NOLINTNEXTLINE(google-explicit-constructor): literals convert implicitly, as
    // std::string_view.
    constexpr string_view(const char* cstr) : data_(cstr), size_(length_of(cstr)) {}

    [[nodiscard]] constexpr const char* data() const { return data_; }
    [[nodiscard]] constexpr usize size() const { return size_; }
    [[nodiscard]] constexpr bool empty() const { return size_ == 0; }
    constexpr char operator[](usize i) const { return data_[i]; }
    [[nodiscard]] constexpr const char* begin() const { return data_; }
    [[nodiscard]] constexpr const char* end() const { return data_ + size_; }

    [[nodiscard]] constexpr string_view substr(usize pos, usize count = npos) const {
        if (pos > size_) pos = size_;
        if (count > size_ - pos) count = size_ - pos;
        return {data_ + pos, count};
    }
    [[nodiscard]] constexpr bool starts_with(string_view p) const {
        return p.size_ <= size_ && substr(0, p.size_) == p;
    }
    [[nodiscard]] constexpr usize find(char c, usize from = 0) const {
        for (usize i = from; i < size_; ++i)
            if (data_[i] == c) return i;
        return npos;
    }
    friend constexpr bool operator==(string_view a, string_view b) {
        if (a.size_ != b.size_) return false;
        for (usize i = 0; i < a.size_; ++i)
            if (a.data_[i] != b.data_[i]) return false;
        return true;
    }

    static constexpr usize npos = static_cast<usize>(-1);

private:
    static constexpr usize length_of(const char* s) {
        usize n = 0;
        while (s[n] != '\0') ++n;
        return n;
    }
    const char* data_ = "";
    usize size_ = 0;
};

}  // namespace ktl

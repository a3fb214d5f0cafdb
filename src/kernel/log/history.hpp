// The log's memory of itself: a byte ring over a caller's buffer that keeps
// the newest text and counts positions from boot, so a reader that fell
// behind learns how much it missed instead of reading overwritten bytes.
// Not locked: the log's lock guards the one instance (log.cpp).
#pragma once

#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::log {

class History {
public:
    explicit constexpr History(ktl::span<char> storage) : storage_(storage) {}

    void append(ktl::string_view text);
    // Copies from position `from` (clamped to the oldest byte kept) into
    // `out`. `dropped`: how many bytes from `from` on are gone.
    struct Read {
        usize size;
        u64 next;
        u64 dropped;
    };
    [[nodiscard]] Read read(u64 from, ktl::span<char> out) const;
    [[nodiscard]] u64 end() const { return end_; }
    [[nodiscard]] u64 oldest() const { return end_ > storage_.size() ? end_ - storage_.size() : 0; }

private:
    ktl::span<char> storage_;
    u64 end_ = 0;  // bytes ever appended
};

}  // namespace kernel::log

// The screen's history: the rows that scrolled off the top of a TextGrid,
// kept in a ring of whole rows (characters with their attributes) so
// Shift+PgUp can show them again. The newest row overwrites the oldest once
// the ring is full.
//
// The storage comes from the caller (the kernel's heap through
// make_scrollback(), a vector in the host tests). Owner: the TextGrid it is
// attached to, under whatever lock guards that grid (the log's).
#pragma once

#include "kernel/console/cell.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::console {

class Scrollback {
public:
    // Room for storage.size() / columns rows of `columns` cells each; no
    // columns or no room gives a ring that keeps nothing.
    Scrollback(ktl::span<Cell> storage, u32 columns);

    Scrollback(const Scrollback&) = delete;
    Scrollback& operator=(const Scrollback&) = delete;
    ~Scrollback() = default;

    [[nodiscard]] u32 columns() const { return columns_; }
    [[nodiscard]] u32 capacity() const { return capacity_; }
    // Rows kept now (at most capacity()).
    [[nodiscard]] u32 size() const { return size_; }

    // Appends one row as the newest; a row of another width is cut, or
    // padded with `pad`.
    void push(ktl::span<const Cell> row, Cell pad);
    // Row i of the history, 0 the oldest, size() - 1 the newest.
    [[nodiscard]] ktl::span<const Cell> row(u32 i) const;
    [[nodiscard]] ktl::span<Cell> storage() const { return cells_; }

private:
    ktl::span<Cell> cells_;
    u32 columns_;
    u32 capacity_;
    u32 next_ = 0;  // the slot the next push fills
    u32 size_ = 0;
};

// A scrollback of `rows` rows of `columns` cells on the heap; nullptr when
// the heap cannot hold it. The kernel's consoles keep theirs for good;
// destroy_scrollback() frees one (a console destroyed in the host tests).
[[nodiscard]] Scrollback* make_scrollback(u32 rows, u32 columns);
void destroy_scrollback(Scrollback* ring);

}  // namespace kernel::console

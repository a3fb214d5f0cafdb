#include "kernel/console/scrollback.hpp"

#include "lib/ktl/new.hpp"

namespace kernel::console {

Scrollback::Scrollback(ktl::span<Cell> storage, u32 columns)
    : cells_(storage),
      columns_(columns),
      capacity_(columns == 0 ? 0 : static_cast<u32>(storage.size() / columns)) {
    if (capacity_ == 0) columns_ = 0;
}

void Scrollback::push(ktl::span<const Cell> row, Cell pad) {
    if (capacity_ == 0) return;
    Cell* slot = cells_.data() + static_cast<usize>(next_) * columns_;
    for (u32 c = 0; c < columns_; ++c) slot[c] = c < row.size() ? row[c] : pad;
    next_ = next_ + 1 == capacity_ ? 0 : next_ + 1;
    if (size_ < capacity_) ++size_;
}

ktl::span<const Cell> Scrollback::row(u32 i) const {
    // The oldest row sits at next_ once the ring has wrapped, at 0 before.
    const u32 oldest = size_ < capacity_ ? 0 : next_;
    u32 slot = oldest + i;
    if (slot >= capacity_) slot -= capacity_;
    return {cells_.data() + static_cast<usize>(slot) * columns_, columns_};
}

Scrollback* make_scrollback(u32 rows, u32 columns) {
    const usize count = static_cast<usize>(rows) * columns;
    if (count == 0) return nullptr;
    auto* cells = new (std::nothrow) Cell[count]();
    if (cells == nullptr) return nullptr;
    auto* ring = new (std::nothrow) Scrollback(ktl::span<Cell>(cells, count), columns);
    if (ring == nullptr) delete[] cells;
    return ring;
}

void destroy_scrollback(Scrollback* ring) {
    if (ring == nullptr) return;
    delete[] ring->storage().data();
    delete ring;
}

}  // namespace kernel::console

#include "kernel/log/history.hpp"

namespace kernel::log {

void History::append(ktl::string_view text) {
    if (storage_.empty()) return;
    for (char c : text) storage_[end_++ % storage_.size()] = c;
}

History::Read History::read(u64 from, ktl::span<char> out) const {
    Read r{0, from, 0};
    if (from < oldest()) {
        r.dropped = oldest() - from;
        from = oldest();
    }
    while (from < end_ && r.size < out.size()) out[r.size++] = storage_[from++ % storage_.size()];
    r.next = from;
    return r;
}

}  // namespace kernel::log

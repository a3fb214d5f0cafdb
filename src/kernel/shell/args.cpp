#include "kernel/shell/args.hpp"

namespace kernel::shell {

bool Args::parse(ktl::string_view line) {
    count_ = 0;
    usize i = 0;
    while (i < line.size()) {
        while (i < line.size() && line[i] == ' ') ++i;
        if (i == line.size()) break;
        const usize start = i;
        while (i < line.size() && line[i] != ' ') ++i;
        if (count_ == kMaxWords) return false;
        words_[count_++] = line.substr(start, i - start);
    }
    return true;
}

bool Args::has(ktl::string_view flag) const {
    for (usize i = 1; i < count_; ++i)
        if (words_[i] == flag) return true;
    return false;
}

}  // namespace kernel::shell

// expect: cannot switch from manual to automatic argument indexing
#include "lib/format/format.hpp"

struct Out {
    void put(char) {}
};

void use(Out& out) { kfmt::format_to(out, "{0} {}", 1, 2); }

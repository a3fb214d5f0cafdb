// expect: invalid type for an integer
#include "lib/format/format.hpp"

struct Out {
    void put(char) {}
};

void use(Out& out) { kfmt::format_to(out, "{:s}", 42); }

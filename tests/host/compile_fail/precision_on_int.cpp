// expect: precision is only allowed for strings
#include "lib/format/format.hpp"

struct Out {
    void put(char) {}
};

void use(Out& out) { kfmt::format_to(out, "{:.2}", 42); }

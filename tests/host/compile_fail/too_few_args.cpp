// expect: more replacement fields than arguments
#include "lib/format/format.hpp"

struct Out {
    void put(char) {}
};

void use(Out& out) { kfmt::format_to(out, "{} {}", 1); }

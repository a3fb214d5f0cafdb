// expect: needs a signed argument
#include "lib/format/format.hpp"

struct Out {
    void put(char) {}
};

void use(Out& out, unsigned value) { kfmt::format_to(out, "{:+}", value); }

// expect: invalid type for a string
#include "lib/format/format.hpp"

struct Out {
    void put(char) {}
};

void use(Out& out, ktl::string_view name) { kfmt::format_to(out, "{:x}", name); }

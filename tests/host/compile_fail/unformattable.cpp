// expect: not formattable
#include "lib/format/format.hpp"

struct Out {
    void put(char) {}
};

enum class Colour { red };

void use(Out& out) { kfmt::format_to(out, "{}", Colour::red); }

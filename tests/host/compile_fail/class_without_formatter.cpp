// expect: needs a kfmt::Formatter specialisation
#include "lib/format/format.hpp"

struct Out {
    void put(char) {}
};

// A class type nobody made formattable.
struct Celsius {
    int degrees;
};

void use(Out& out) { kfmt::format_to(out, "{}", Celsius{21}); }

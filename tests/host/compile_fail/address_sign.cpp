// expect: a sign ('+', '-' or ' ') needs a signed argument
#include "lib/address.hpp"
#include "lib/format/format.hpp"

struct Out {
    void put(char) {}
};

// A custom type's own spec check runs at compile time: an address is unsigned.
void use(Out& out) { kfmt::format_to(out, "{:+}", PhysAddr{0x1000}); }

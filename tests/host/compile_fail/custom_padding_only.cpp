// expect: this type takes only fill, alignment and width
#include "lib/format/format.hpp"

struct Out {
    void put(char) {}
};

struct Tag {};

// A formatter without its own check accepts fill, alignment and width only.
template <>
struct kfmt::Formatter<Tag> {
    static void format(Sink& out, const Tag&, const FormatSpec&) { out.put('t'); }
};

void use(Out& out) { kfmt::format_to(out, "{:x}", Tag{}); }

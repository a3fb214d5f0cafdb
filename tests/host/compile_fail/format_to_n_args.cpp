// expect: more replacement fields than arguments
#include "lib/format/format.hpp"

usize use(char* buf, usize cap) { return kfmt::format_to_n(buf, cap, "{}{}", 1); }

// What a kernel writer puts into a kfmt::Sink, as a std::string: the host
// tests compare a report's words with what a user would read.
#pragma once

#include <string>

#include "lib/format/sink.hpp"

namespace host_test {

// Calls write(sink) with a sink that appends to the returned string.
template <typename Write>
std::string written(Write&& write) {
    std::string out;
    struct Out {
        std::string* s;
        void write(const char* d, usize n) { s->append(d, n); }
    } appender{&out};
    kfmt::Sink sink(appender);
    write(sink);
    return out;
}

}  // namespace host_test

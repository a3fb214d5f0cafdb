// Where log text goes: serial, the 0xE9 console, the screen.
#pragma once

#include "lib/ktl/string_view.hpp"

namespace kernel::log {

class Sink {
public:
    virtual void write(ktl::string_view text) = 0;
    // Called once when the kernel panics: a screen switches to panic colours.
    virtual void begin_panic() {}

protected:
    ~Sink() = default;  // sinks are static objects, never deleted through this
};

}  // namespace kernel::log

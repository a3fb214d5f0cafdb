// 16550 UART driver, polled transmit only: the boot log must get out even
// when interrupts are off or broken.
#pragma once

#include "arch/io.hpp"
#include "kernel/log/sink.hpp"

namespace drivers {

class Serial16550 final : public kernel::log::Sink {
public:
    explicit constexpr Serial16550(arch::Port base) : base_(base) {}

    // Programs 115200 8N1 with FIFOs. Returns false when no UART answers.
    // Bochs honours the line control register: an unprogrammed UART there
    // prints garbage, so this must run before the first byte.
    bool init();
    void write(ktl::string_view text) override;

private:
    void put(char c);
    [[nodiscard]] arch::Port reg(u16 offset) const {
        return arch::Port{static_cast<u16>(base_.number + offset)};
    }

    arch::Port base_;
    bool present_ = false;
};

}  // namespace drivers

#include "drivers/ps2/led_exchange.hpp"

namespace drivers::ps2 {

void LedExchange::request(u8 leds) {
    wanted_ = leds;
    if (step_ != Step::Idle) {
        again_ = true;
        return;
    }
    start();
}

void LedExchange::start() {
    step_ = Step::Command;
    byte_ = kSetLeds;
    pending_ = true;
    again_ = false;
    resends_ = 0;
    deadline_.restart(kTimeoutUs);
}

void LedExchange::end(Failure failure) {
    step_ = Step::Idle;
    pending_ = false;
    if (failure != Failure::None) {
        failure_ = failure;
        // A keyboard that failed this exchange is not sent another one
        // until the locks change again.
        again_ = false;
    }
}

bool LedExchange::answer(u8 byte) {
    // Before our byte went out, nothing can answer it.
    if (step_ == Step::Idle || pending_ || (byte != kAck && byte != kResend)) return false;
    if (byte == kResend) {
        if (resends_ == kMaxResends) {
            end(Failure::TooManyResends);
            return true;
        }
        ++resends_;
        pending_ = true;
        deadline_.restart(kTimeoutUs);
        return true;
    }
    if (step_ == Step::Command) {
        step_ = Step::Value;
        byte_ = wanted_;
        pending_ = true;
        resends_ = 0;
        deadline_.restart(kTimeoutUs);
        return true;
    }
    end(Failure::None);
    if (again_) start();
    return true;
}

void LedExchange::tick() {
    if (step_ != Step::Idle && deadline_.expired()) end(Failure::TimedOut);
}

bool LedExchange::byte_to_send(u8& byte) const {
    if (step_ == Step::Idle || !pending_) return false;
    byte = byte_;
    return true;
}

void LedExchange::sent() {
    pending_ = false;
    deadline_.restart(kTimeoutUs);
}

LedExchange::Failure LedExchange::take_failure() {
    const Failure f = failure_;
    failure_ = Failure::None;
    return f;
}

}  // namespace drivers::ps2

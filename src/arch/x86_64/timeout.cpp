// arch::Timeout (arch/arch.hpp): the counter each wait reads, chosen when
// the wait begins; the arithmetic is kernel/time/bounded_wait.cpp's.
#include "arch/arch.hpp"
#include "arch/io.hpp"
#include "arch/x86_64/tsc.hpp"
#include "kernel/time/reference.hpp"

namespace arch {

namespace {

using kernel::time::WaitClock;

kernel::time::WaitCounter current_counter() {
    const kernel::time::ReferenceCounter* reference = kernel::time::reference_counter();
    return kernel::time::choose_wait_counter({
        .timestamp_hz = tsc::hz(),
        .timestamp_readable = tsc::present(),
        .timestamp_max_hz = tsc::kMaxHz,
        .reference_hz = reference != nullptr ? reference->hz : 0,
        .reference_bits = reference != nullptr ? reference->bits : 0,
    });
}

u64 (*reader_for(WaitClock clock))() {
    switch (clock) {
        case WaitClock::Timestamp:
        case WaitClock::TimestampAssumed:
            return tsc::read;
        case WaitClock::Reference:
            return kernel::time::reference_counter()->read;
        case WaitClock::Steps:
            break;
    }
    return nullptr;
}

}  // namespace

void Timeout::restart(u64 microseconds) {
    const kernel::time::WaitCounter counter = current_counter();
    clock_ = counter.clock;
    read_ = reader_for(clock_);
    steps_ = 0;
    progress_ = {read_ != nullptr ? read_() : 0, kernel::time::wait_ticks(microseconds, counter.hz),
                 counter.mask};
}

bool Timeout::expired() {
    if (read_ != nullptr) return progress_.passed(read_());
    if (progress_.done()) return true;
    // No counter: this check's port write is the time that passes.
    io_delay();
    return progress_.passed(++steps_);
}

void spin_for_us(u64 microseconds) {
    Timeout timeout(microseconds);
    while (!timeout.expired()) pause();
}

kernel::time::WaitClock wait_clock() { return current_counter().clock; }

}  // namespace arch

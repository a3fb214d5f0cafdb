#include "arch/x86_64/irq/lines.hpp"

#include "kernel/sync/guard.hpp"

namespace arch::irq {

Result<Line*, kernel::irq::IrqError> LineTable::claim(u32 gsi, u8 isa_irq, ktl::string_view name,
                                                      kernel::irq::Handler handler, void* context,
                                                      kernel::irq::Trigger trigger,
                                                      kernel::irq::Polarity polarity) {
    const kernel::IrqSaveSpinlockGuard hold(lock_);
    Line* free = nullptr;
    for (Line& line : lines_) {
        if (__atomic_load_n(&line.in_use, __ATOMIC_ACQUIRE)) {
            if (line.gsi == gsi) return kernel::irq::IrqError::Busy;
        } else if (free == nullptr) {
            free = &line;
        }
    }
    if (free == nullptr) return kernel::irq::IrqError::NoVector;
    Line& line = *free;
    const usize n = name.size() < sizeof line.name ? name.size() : sizeof line.name - 1;
    for (usize i = 0; i < n; ++i) line.name[i] = name[i];
    line.name[n] = '\0';
    line.entry = InterruptHandler{line.name, nullptr, &line};
    line.handler = handler;
    line.context = context;
    line.gsi = gsi;
    line.isa_irq = isa_irq;
    line.vector = 0;
    line.trigger = trigger;
    line.polarity = polarity;
    __atomic_store_n(&line.count, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&line.masked, true, __ATOMIC_RELAXED);
    __atomic_store_n(&line.stormed, false, __ATOMIC_RELAXED);
    line.storm = StormDetector{};
    __atomic_store_n(&line.in_use, true, __ATOMIC_RELEASE);
    return &line;
}

void LineTable::release(Line& line) {
    const kernel::IrqSaveSpinlockGuard hold(lock_);
    __atomic_store_n(&line.in_use, false, __ATOMIC_RELEASE);
}

Line* LineTable::find(u16 id) {
    if (id >= kMaxLines) return nullptr;
    Line& line = lines_[id];
    return __atomic_load_n(&line.in_use, __ATOMIC_ACQUIRE) ? &line : nullptr;
}

usize LineTable::in_use() const {
    usize n = 0;
    for (const Line& line : lines_)
        if (__atomic_load_n(&line.in_use, __ATOMIC_ACQUIRE)) ++n;
    return n;
}

}  // namespace arch::irq

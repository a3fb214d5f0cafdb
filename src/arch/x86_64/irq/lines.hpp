// The interrupt lines drivers installed (kernel/irq/irq.hpp), as a table
// of slots: each slot is one line's handler, name, GSI, vector and counts,
// and the arch::InterruptHandler the vector's handler-table entry points
// at. Hardware-independent: host-tested in tests/host/irq_lines_test.cpp.
//
// Owner and locking: the table belongs to the interrupt API
// (arch/x86_64/irq/irq.cpp). claim() and release() take its lock, with
// interrupts off; the dispatch path never does. It reaches a line only
// through the handler table, whose entry is published (release) after the
// slot is filled and cleared before the slot is released, so a dispatch
// sees a whole line or none. The counters and flags a handler updates are
// atomics.
#pragma once

#include "arch/x86_64/interrupts/interrupt_table.hpp"
#include "kernel/irq/irq.hpp"
#include "kernel/sync/spinlock.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"
#include "lib/result.hpp"

namespace arch::irq {

inline constexpr u8 kNoIsaIrq = 0xFF;

// Says when a line fires too often to be a device doing its work: more
// than `limit` interrupts within `window` (in any unit of `now`) of the
// first one of the window. A level-triggered line whose device is never
// quietened re-fires at once after each EOI; this is what finds it.
class StormDetector {
public:
    [[nodiscard]] bool record(u64 now, u64 window, u32 limit) {
        if (count_ == 0 || now - start_ >= window) {
            start_ = now;
            count_ = 1;
            return false;
        }
        return ++count_ > limit;
    }

private:
    u64 start_ = 0;
    u32 count_ = 0;
};

struct Line {
    InterruptHandler entry{};  // context: this line
    kernel::irq::Handler handler = nullptr;
    void* context = nullptr;
    char name[32]{};
    u32 gsi = 0;
    u8 isa_irq = kNoIsaIrq;
    u8 vector = 0;
    kernel::irq::Trigger trigger{};
    kernel::irq::Polarity polarity{};
    // Written by the API and by the dispatch path: atomics.
    u64 count = 0;
    bool masked = false;
    bool stormed = false;  // masked for good by the storm detector
    // Only the CPU the line is delivered to touches it.
    StormDetector storm;
    bool in_use = false;

    [[nodiscard]] ktl::string_view name_view() const { return {name, __builtin_strlen(name)}; }
};

class LineTable {
public:
    static constexpr usize kMaxLines = 64;

    // A free slot for `gsi`, filled with the line's description (not yet
    // in the handler table); Busy when a line already has that GSI,
    // NoVector when every slot is taken.
    [[nodiscard]] Result<Line*, kernel::irq::IrqError> claim(
        u32 gsi, u8 isa_irq, ktl::string_view name, kernel::irq::Handler handler, void* context,
        kernel::irq::Trigger trigger, kernel::irq::Polarity polarity);
    void release(Line& line);

    // The slot a handle names while it is in use, else null. Lock-free.
    [[nodiscard]] Line* find(u16 id);
    [[nodiscard]] u16 id_of(const Line& line) const { return static_cast<u16>(&line - lines_); }
    // Slots in use now (a snapshot).
    [[nodiscard]] usize in_use() const;
    [[nodiscard]] Line& slot(usize index) { return lines_[index]; }

private:
    kernel::Spinlock lock_;
    Line lines_[kMaxLines];
};

}  // namespace arch::irq

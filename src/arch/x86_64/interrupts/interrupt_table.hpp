// The handler table: which code runs for each of the 256 vectors. Every
// vector's entry stub (entry.S) ends in interrupt_dispatch (dispatch.cpp),
// which counts the interrupt and calls the vector's handler, or reports a
// vector that has none.
//
// Vectors 0-31 are the CPU's exceptions (exceptions.cpp installs one
// handler on all of them); kFirstFreeVector and up are free for device
// interrupts and IPIs, given out by install() (a fixed vector) or
// allocate() (the first free one in a range).
//
// Installing and removing take a lock; dispatching does not (it runs in
// interrupt context, where it must not wait for a lock the interrupted code
// may hold): each vector's entry is one pointer to a handler that its owner
// keeps alive, published and cleared atomically. A handler removed on one
// CPU may still be running on another when remove() returns.
//
// Hardware-independent: host-tested in tests/host/interrupt_table_test.cpp.
#pragma once

#include "arch/x86_64/interrupts/frame.hpp"
#include "kernel/sync/spinlock.hpp"
#include "lib/ktl/optional.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"
#include "lib/result.hpp"

namespace arch {

inline constexpr usize kVectorCount = 256;
inline constexpr u8 kFirstFreeVector = 32;  // below: exceptions

// What runs for a vector. It gets the interrupted code's registers (which
// it may change: the interrupted code resumes with them) and `context`.
// Runs with interrupts off, on the interrupted stack or an IST stack: the
// rules for what it may do are in docs/interrupts.md.
struct InterruptHandler {
    const char* name;  // "page fault", "ps/2 keyboard": for reports
    void (*handle)(InterruptFrame& frame, void* context);
    void* context;
};

enum class VectorError : u8 {
    Busy,          // the vector already has a handler
    NotInstalled,  // remove(): this handler is not the vector's
    NoneFree,      // allocate(): every vector in the range has a handler
    BadRange,      // allocate(): an empty range, or one reaching below 32
};
[[nodiscard]] ktl::string_view describe(VectorError error);

class InterruptTable {
public:
    constexpr InterruptTable() = default;
    InterruptTable(const InterruptTable&) = delete;
    InterruptTable& operator=(const InterruptTable&) = delete;
    ~InterruptTable() = default;

    // `handler` must stay valid (static) until it is removed.
    [[nodiscard]] Result<void, VectorError> install(u8 vector, const InterruptHandler& handler);
    [[nodiscard]] Result<void, VectorError> remove(u8 vector, const InterruptHandler& handler);
    // Installs `handler` on the lowest free vector in [first, last], which
    // it returns.
    [[nodiscard]] Result<u8, VectorError> allocate(const InterruptHandler& handler,
                                                   u8 first = kFirstFreeVector, u8 last = 255);

    // The vector's handler now, or null.
    [[nodiscard]] const InterruptHandler* handler(u8 vector) const {
        return __atomic_load_n(&handlers_[vector], __ATOMIC_ACQUIRE);
    }
    // Interrupts on the vector so far, handled or not.
    [[nodiscard]] u64 count(u8 vector) const {
        return __atomic_load_n(&counts_[vector], __ATOMIC_RELAXED);
    }
    // Interrupts that found no handler, on any vector.
    [[nodiscard]] u64 unhandled() const { return __atomic_load_n(&unhandled_, __ATOMIC_RELAXED); }

    // The entry path's part: counts the interrupt on frame.vector and runs
    // its handler. Returns false, having counted it as unhandled, when the
    // vector has none (the caller reports it).
    [[nodiscard]] bool dispatch(InterruptFrame& frame);

private:
    kernel::Spinlock lock_;  // install/remove/allocate
    const InterruptHandler* handlers_[kVectorCount]{};
    u64 counts_[kVectorCount]{};
    u64 unhandled_ = 0;
};

// The kernel's one table, used by every CPU's IDT.
[[nodiscard]] InterruptTable& interrupt_table();

}  // namespace arch

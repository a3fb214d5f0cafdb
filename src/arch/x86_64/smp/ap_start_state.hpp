// Where one AP's start stands: a word that the boot CPU and the AP each
// move with a compare-exchange, so that exactly one of them decides. The
// boot CPU gives up on a CPU (Abandoned) only while it is Waiting or
// Entered; the AP goes on only from the state it expects, and halts when
// it finds itself given up on (docs/smp.md, "Start sequence", step 5).
//
// The word names the CPU it is for by APIC ID, which the AP reads from its
// own hardware (CPUID), not from memory the boot CPU rewrites: an index
// given back after a timeout serves the next CPU, and a late AP of the old
// start (its INIT lands asynchronously) must not move the new one's state,
// even if it read the new start's parameters. Each APIC ID starts once.
// Hardware-independent: host-tested (tests/host/ap_start_state_test.cpp).
#pragma once

#include "lib/ktl/types.hpp"

namespace arch {

enum class ApState : u8 {
    Waiting,    // INIT-SIPI-SIPI sent, not yet in the kernel
    Entered,    // in the kernel on its own stack and the kernel's tables
    Started,    // set up: it runs main(arg)
    Abandoned,  // the boot CPU gave up on it
};

class ApStartState {
public:
    // The boot CPU, before it sends INIT to `apic_id`.
    void begin(u32 apic_id) {
        __atomic_store_n(&word_, word(apic_id, ApState::Waiting), __ATOMIC_RELEASE);
    }
    // Either side: `from` to `to`, only if the word holds `apic_id`'s start
    // in state `from`. Acquire and release: what one side wrote before its
    // move is seen by the other after it sees the move.
    [[nodiscard]] bool advance(u32 apic_id, ApState from, ApState to) {
        u64 expected = word(apic_id, from);
        return __atomic_compare_exchange_n(&word_, &expected, word(apic_id, to), false,
                                           __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
    }
    [[nodiscard]] bool is(u32 apic_id, ApState state) const {
        return __atomic_load_n(&word_, __ATOMIC_ACQUIRE) == word(apic_id, state);
    }

private:
    static constexpr u64 word(u32 apic_id, ApState state) {
        return (u64{apic_id} << 8) | static_cast<u8>(state);
    }
    // No start yet: a state no begin() makes (an x2APIC ID fills 32 bits).
    u64 word_ = ~u64{0};
};

}  // namespace arch

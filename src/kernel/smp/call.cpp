#include "kernel/smp/call.hpp"

#include "kernel/panic/panic.hpp"
#include "kernel/sync/guard.hpp"

namespace kernel::smp {

namespace {

// While a CPU polls its own mailbox (waiting in take_mailbox or wait_done,
// interrupts off), posters skip the wake-up IPI: an interrupt left pending
// behind a cleared IF makes QEMU's TCG drop a spinning vCPU out of its
// translated code and into its global lock on every pause, so the calls
// crawl (measured under `test` at the shell: 30 to 100 calls from CPU 1 to
// a polling CPU 0 in 5 s with the IPIs, all 1000 without). Posters and
// pollers order their flag and mailbox accesses sequentially consistently:
// either the poster sees the flag down and sends the IPI, or the CPU that
// lowers the flag sees the call and runs it.
class [[nodiscard]] PollingMailbox {
public:
    PollingMailbox() : self_(this_cpu()), was_polling_(self_.polling) {
        __atomic_store_n(&self_.polling, true, __ATOMIC_SEQ_CST);
    }
    ~PollingMailbox() {
        if (was_polling_) return;
        __atomic_store_n(&self_.polling, false, __ATOMIC_SEQ_CST);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        (void)run_posted_call();
    }
    PollingMailbox(const PollingMailbox&) = delete;
    PollingMailbox& operator=(const PollingMailbox&) = delete;

private:
    Cpu& self_;
    bool was_polling_;
};

// A poll with interrupts off pauses once every kEvery spins, not on each:
// under QEMU's TCG each PAUSE leaves translated code, and with an
// interrupt pending behind the cleared IF (this CPU's tick, 10 ms into the
// wait) each exit also takes QEMU's global lock, contended by every vCPU:
// a CPU polling with PAUSE each spin answered 30 to 100 calls in 5 s
// (measured). The other spins are a load and a compare.
class RarePause {
public:
    void pause() {
        if ((++spins_ & (kEvery - 1)) == 0) arch::pause();
    }

private:
    static constexpr u32 kEvery = 64;
    u32 spins_ = 0;
};

// Takes target.post_lock (interrupts already off). A CPU waiting for a
// mailbox, or for its call to be done, runs the calls posted to it
// meanwhile: a CPU called back by the CPU it waits for (or two callers
// that call each other) then gets through instead of both waiting until
// the timeout. What cannot get through is a call to a CPU whose mailbox
// its caller holds (a call that calls back into a CPU which is itself
// running a call): that mailbox frees only when the call ends, so the
// wait is bounded by kCallTimeoutUs and then a panic names it.
void take_mailbox(Cpu& target) {
    const PollingMailbox polling;
    RarePause spin;
    arch::Timeout timeout(kCallTimeoutUs);
    while (!target.post_lock.try_lock()) {
        if (timeout.expired())
            panic(
                "smp: CPU {} could not post a cross-CPU call to CPU {} within {} ms (its "
                "mailbox stayed busy)",
                this_cpu().index, target.index, kCallTimeoutUs / 1000);
        if (!run_posted_call()) spin.pause();
    }
}

// Posts fn(arg) to `target`: the caller holds target.post_lock until
// wait_done() (one call in the mailbox at a time).
u32 post(Cpu& target, void (*fn)(void*), void* arg) {
    if (&target == &this_cpu()) panic("smp: a cross-CPU call from CPU {} to itself", target.index);
    take_mailbox(target);
    target.call = fn;
    target.call_arg = arg;
    const u32 ticket = target.posted + 1;
    __atomic_store_n(&target.posted, ticket, __ATOMIC_SEQ_CST);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (!__atomic_load_n(&target.polling, __ATOMIC_SEQ_CST)) arch::wake_cpu(target.apic_id);
    return ticket;
}

void wait_done(Cpu& target, u32 ticket) {
    const PollingMailbox polling;
    RarePause spin;
    arch::Timeout timeout(kCallTimeoutUs);
    while (__atomic_load_n(&target.done, __ATOMIC_ACQUIRE) != ticket) {
        if (timeout.expired())
            panic("smp: CPU {} (APIC ID {}) did not run a cross-CPU call within {} ms",
                  target.index, target.apic_id, kCallTimeoutUs / 1000);
        if (!run_posted_call()) spin.pause();
    }
    target.post_lock.unlock();
}

}  // namespace

void call_on(u32 index, void (*fn)(void*), void* arg) {
    if (index >= online_count())
        panic("smp: a cross-CPU call to CPU {}, which is not online", index);
    Cpu& target = cpu(index);
    // Interrupts off while this CPU holds a mailbox: the boot CPU runs the
    // calls posted to it in an interrupt handler, and such a call that
    // called the same target would wait for the mailbox this CPU holds.
    const InterruptSaveGuard interrupts_off;
    wait_done(target, post(target, fn, arg));
}

void call_on_all(void (*fn)(void*), void* arg) {
    // As in call_on; the caller's own share runs with interrupts off too,
    // as every application processor runs its calls.
    const InterruptSaveGuard interrupts_off;
    const u32 self = this_cpu().index;
    const u32 count = online_count();
    u32 tickets[arch::kMaxCpus]{};
    for (u32 i = 0; i < count; ++i)
        if (i != self) tickets[i] = post(cpu(i), fn, arg);
    fn(arg);
    for (u32 i = 0; i < count; ++i)
        if (i != self) wait_done(cpu(i), tickets[i]);
}

void call_with(u32 index, void (*fn)(void*), void* arg) {
    if (index >= online_count())
        panic("smp: a cross-CPU call to CPU {}, which is not online", index);
    // As in call_on_all.
    const InterruptSaveGuard interrupts_off;
    Cpu& target = cpu(index);
    const u32 ticket = post(target, fn, arg);
    fn(arg);
    wait_done(target, ticket);
}

bool run_posted_call() {
    Cpu& self = this_cpu();
    if (self.running_call) return false;
    const u32 posted = __atomic_load_n(&self.posted, __ATOMIC_ACQUIRE);
    if (posted == self.done) return false;
    self.running_call = true;
    self.call(self.call_arg);
    self.running_call = false;
    ++self.calls_run;
    __atomic_store_n(&self.done, posted, __ATOMIC_RELEASE);
    return true;
}

void release_caller() {
    Cpu& self = this_cpu();
    __atomic_store_n(&self.done, __atomic_load_n(&self.posted, __ATOMIC_ACQUIRE), __ATOMIC_RELEASE);
}

void ap_main(void* block) {
    Cpu& self = *static_cast<Cpu*>(block);
    mark_online(self);
    arch::disable_interrupts();
    for (;;) {
        if (run_posted_call()) continue;
        arch::halt_until_woken();
        ++self.wakeups;
    }
}

}  // namespace kernel::smp

#include "kernel/smp/call.hpp"

#include "kernel/panic/panic.hpp"

namespace kernel::smp {

namespace {

// Posts fn(arg) to `target`: the caller holds target.post_lock until
// wait_done() (one call in the mailbox at a time).
u32 post(Cpu& target, void (*fn)(void*), void* arg) {
    if (&target == &this_cpu()) panic("smp: a cross-CPU call from CPU {} to itself", target.index);
    target.post_lock.lock();
    target.call = fn;
    target.call_arg = arg;
    const u32 ticket = target.posted + 1;
    __atomic_store_n(&target.posted, ticket, __ATOMIC_RELEASE);
    arch::wake_cpu(target.apic_id);
    return ticket;
}

void wait_done(Cpu& target, u32 ticket) {
    // 0 while the clock's rate is unknown: then no timeout (no CPU starts
    // without the clock, so there is no target either).
    const u64 start = arch::microseconds_since_boot();
    while (__atomic_load_n(&target.done, __ATOMIC_ACQUIRE) != ticket) {
        if (start != 0 && arch::microseconds_since_boot() - start > kCallTimeoutUs)
            panic("smp: CPU {} (APIC ID {}) did not run a cross-CPU call within {} ms",
                  target.index, target.apic_id, kCallTimeoutUs / 1000);
        arch::pause();
    }
    target.post_lock.unlock();
}

}  // namespace

void call_on(u32 index, void (*fn)(void*), void* arg) {
    if (index >= online_count())
        panic("smp: a cross-CPU call to CPU {}, which is not online", index);
    Cpu& target = cpu(index);
    wait_done(target, post(target, fn, arg));
}

void call_on_all(void (*fn)(void*), void* arg) {
    const u32 self = this_cpu().index;
    const u32 count = online_count();
    u32 tickets[arch::kMaxCpus]{};
    for (u32 i = 0; i < count; ++i)
        if (i != self) tickets[i] = post(cpu(i), fn, arg);
    fn(arg);
    for (u32 i = 0; i < count; ++i)
        if (i != self) wait_done(cpu(i), tickets[i]);
}

bool run_posted_call() {
    Cpu& self = this_cpu();
    const u32 posted = __atomic_load_n(&self.posted, __ATOMIC_ACQUIRE);
    if (posted == self.done) return false;
    self.call(self.call_arg);
    ++self.calls_run;
    __atomic_store_n(&self.done, posted, __ATOMIC_RELEASE);
    return true;
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

#include "init/bench_alloc.hpp"

#include "arch/arch.hpp"
#include "arch/setup.hpp"
#include "kernel/bench/samples.hpp"
#include "kernel/log/log.hpp"
#include "kernel/mm/frame_allocator.hpp"
#include "kernel/smp/call.hpp"
#include "kernel/smp/cpu.hpp"
#include "lib/ktl/new.hpp"

namespace init {
namespace {

namespace log = kernel::log;
namespace mm = kernel::mm;

// Pairs per CPU, in rounds of kBatch allocations then kBatch frees: the
// allocator sees a working set, not one block going back and forth.
constexpr u64 kPairs = 20'000;
constexpr usize kBatch = 32;
constexpr usize kHeapBlock = 64;

enum class Subject : u8 { Frames, Heap };

// One CPU's run; what it measured, in ns per operation (0: it could not
// allocate, reported by the caller).
struct Run {
    Subject subject;
    u64 ns[arch::kMaxCpus];
};

u64 frames_cycles() {
    PhysAddr held[kBatch];
    u64 cycles = 0;
    for (u64 done = 0; done < kPairs; done += kBatch) {
        const u64 start = arch::read_timestamp();
        for (PhysAddr& frame : held) {
            const ktl::optional<PhysAddr> f = mm::allocate_frames(0);
            if (!f) return 0;
            frame = *f;
        }
        for (const PhysAddr& frame : held) mm::free_frames(frame, 0);
        cycles += arch::read_timestamp() - start;
    }
    return cycles;
}

u64 heap_cycles() {
    void* held[kBatch];
    u64 cycles = 0;
    for (u64 done = 0; done < kPairs; done += kBatch) {
        const u64 start = arch::read_timestamp();
        for (void*& block : held) {
            block = ::operator new(kHeapBlock, std::nothrow);
            if (block == nullptr) return 0;
        }
        for (void* block : held) ::operator delete(block);
        cycles += arch::read_timestamp() - start;
    }
    return cycles;
}

u64 ns_per_operation(u64 cycles) {
    const u64 operations = (kPairs + kBatch - 1) / kBatch * kBatch * 2;
    return cycles * 1'000'000'000 / arch::timestamp_rate() / operations;
}

void run_here(void* argument) {
    Run& run = *static_cast<Run*>(argument);
    const u64 cycles = run.subject == Subject::Frames ? frames_cycles() : heap_cycles();
    run.ns[kernel::smp::this_cpu().index] = cycles == 0 ? 0 : ns_per_operation(cycles);
}

const char* name(Subject subject) {
    return subject == Subject::Frames ? "frames (order 0)" : "heap (64 B)";
}

// Static: for 256 CPUs a Run and the samples (4 KiB) would crowd
// kernel_main's stack; one benchmark runs at a time.
Run g_run;
u64 g_samples[arch::kMaxCpus];

void clear(Run& run, Subject subject) {
    run.subject = subject;
    for (u64& ns : run.ns) ns = 0;
}

void bench(Subject subject) {
    Run& alone = g_run;
    clear(alone, subject);
    run_here(&alone);
    const u64 one = alone.ns[kernel::smp::this_cpu().index];
    if (one == 0) {
        log::warn("bench: alloc, {}: not measured: out of memory", name(subject));
        return;
    }
    log::info("bench: alloc, {}, 1 CPU: {} ns per operation ({} pairs)", name(subject), one,
              kPairs);
    const u32 cpus = kernel::smp::online_count();
    if (cpus < 2) return;
    Run& all = g_run;
    clear(all, subject);
    kernel::smp::call_on_all(run_here, &all);
    u64* const samples = g_samples;
    for (u32 i = 0; i < cpus; ++i) {
        if (all.ns[i] == 0) {
            log::warn("bench: alloc, {}: CPU {} ran out of memory", name(subject), i);
            return;
        }
        samples[i] = all.ns[i];
    }
    const kernel::bench::Spread s = kernel::bench::spread({samples, cpus});
    log::info(
        "bench: alloc, {}, {} CPUs at once: median {} ns, slowest {} ns per operation ({} pairs "
        "each)",
        name(subject), cpus, s.median, samples[cpus - 1], kPairs);
}

}  // namespace

void run_alloc_bench() {
    if (arch::timestamp_rate() == 0) {
        log::warn("bench: alloc not run: the TSC's rate is unknown, so nothing can be timed");
        return;
    }
    bench(Subject::Frames);
    bench(Subject::Heap);
    log::info("bench: alloc done ({} CPU{})", kernel::smp::online_count(),
              kernel::smp::online_count() == 1 ? "" : "s");
}

}  // namespace init

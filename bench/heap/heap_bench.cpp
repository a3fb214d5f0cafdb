// Keel's heap as the kernel runs it (release build): the per-CPU caches of
// src/kernel/mm/heap_cache.hpp in front of the locked core of
// src/kernel/mm/heap.cpp, against glibc malloc, mimalloc and jemalloc, on
// one thread: small alloc/free pairs,
// mixed sizes in a ring, and a producer/consumer queue. Prints Google
// Benchmark's table, then Keel's time divided by each other allocator's,
// all measured in this run (below 1: Keel is faster).
#include <benchmark/benchmark.h>
#include <dlfcn.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "kernel/mm/heap.hpp"
#include "kernel/mm/heap_cache.hpp"

namespace {

// The kernel's core lock is a spinlock taken with interrupts off; here a
// spinlock on its own (one thread: never contended, as on one CPU).
class SpinLock {
public:
    void lock() {
        while (__atomic_exchange_n(&held_, true, __ATOMIC_ACQUIRE))
            while (__atomic_load_n(&held_, __ATOMIC_RELAXED)) __builtin_ia32_pause();
    }
    void unlock() { __atomic_store_n(&held_, false, __ATOMIC_RELEASE); }

private:
    bool held_ = false;
};

// One thread, one CPU: slot 0, and no interrupts to turn off.
struct BenchCpu {
    struct InterruptGuard {};
    static inline kernel::mm::HeapCpuCache cache0;
    static u32 cpu_index() { return 0; }
    static u32 cpu_count() { return 1; }
    static kernel::mm::HeapCpuCache& cache(u32 /*cpu*/) { return cache0; }
};

using Heap = kernel::mm::CachedHeap<BenchCpu, SpinLock>;

// Pages for the heap from the host: only on slab creation, off the hot path.
class HostPages final : public kernel::mm::PageProvider {
public:
    void* allocate_pages(u32 order) override {
        const usize bytes = usize{4096} << order;
        return std::aligned_alloc(bytes, bytes);
    }
    void free_pages(void* pages, u32) override { std::free(pages); }
};

HostPages g_pages;
Heap g_heap;

void on_heap_error(const kernel::mm::HeapError&, void*) { std::abort(); }

struct Allocator {
    const char* name;
    void* (*alloc)(size_t);
    void (*release)(void*);
};

void* keel_alloc(size_t size) { return g_heap.allocate(size); }
void keel_free(void* p) { g_heap.free(p); }

// mimalloc and jemalloc from their shared libraries, kept local to the
// handle so that the process's malloc stays glibc's.
Allocator open_allocator(const char* name, const char* library, const char* alloc,
                         const char* release) {
    void* handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        std::fprintf(stderr, "heap_bench: %s: %s (apt-get install %s)\n", name, dlerror(),
                     name[0] == 'm' ? "libmimalloc-dev" : "libjemalloc-dev");
        std::exit(1);
    }
    return {name, reinterpret_cast<void* (*)(size_t)>(dlsym(handle, alloc)),
            reinterpret_cast<void (*)(void*)>(dlsym(handle, release))};
}

std::vector<Allocator> g_allocators;

void small_pairs(benchmark::State& state, const Allocator* a, size_t size) {
    for (auto _ : state) {
        void* p = a->alloc(size);
        benchmark::DoNotOptimize(p);
        a->release(p);
    }
}

// A ring of 4096 live blocks of 16 B to 2 KiB (mostly small); each step frees
// the oldest and allocates a new one.
void mixed_sizes(benchmark::State& state, const Allocator* a) {
    constexpr size_t kRing = 4096;
    std::vector<size_t> sizes(1 << 16);
    u64 x = 88172645463325252ULL;
    for (size_t& s : sizes) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        s = (x & 3) == 0 ? 16 + x % 2033 : 16 + x % 241;
    }
    std::vector<void*> ring(kRing, nullptr);
    size_t i = 0;
    for (auto _ : state) {
        void*& slot = ring[i % kRing];
        a->release(slot);
        slot = a->alloc(sizes[i % sizes.size()]);
        benchmark::DoNotOptimize(slot);
        ++i;
    }
    for (void* p : ring) a->release(p);
}

// A producer fills a queue of 1000 messages (64 or 192 B), a consumer frees
// them in arrival order: blocks are freed in the order they were made.
void producer_consumer(benchmark::State& state, const Allocator* a) {
    constexpr size_t kBatch = 1000;
    std::vector<void*> queue(kBatch);
    for (auto _ : state) {
        for (size_t i = 0; i < kBatch; ++i) {
            queue[i] = a->alloc(i % 4 == 0 ? 192 : 64);
            benchmark::DoNotOptimize(queue[i]);
        }
        for (size_t i = 0; i < kBatch; ++i) a->release(queue[i]);
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBatch));
}

// Collects each benchmark's time per iteration for the ratio table.
class Collector : public benchmark::ConsoleReporter {
public:
    std::map<std::string, double> ns;
    void ReportRuns(const std::vector<Run>& runs) override {
        for (const Run& r : runs)
            if (!r.error_occurred) ns[r.benchmark_name()] = r.GetAdjustedCPUTime();
        ConsoleReporter::ReportRuns(runs);
    }
};

}  // namespace

int main(int argc, char** argv) {
    // jemalloc keeps its thread state in initial-exec TLS, which dlopen can
    // only place in the static TLS surplus glibc reserves at start: ask for
    // more by starting over with the tunable set.
    if (std::getenv("KEEL_BENCH_TLS") == nullptr) {
        setenv("KEEL_BENCH_TLS", "1", 1);
        setenv("GLIBC_TUNABLES", "glibc.rtld.optional_static_tls=65536", 1);
        execv("/proc/self/exe", argv);
        std::perror("heap_bench: execv");
    }
    g_heap.init(g_pages, &on_heap_error);
    g_allocators = {{"keel", &keel_alloc, &keel_free},
                    {"glibc", &std::malloc, &std::free},
                    open_allocator("mimalloc", "libmimalloc.so.2", "mi_malloc", "mi_free"),
                    open_allocator("jemalloc", "libjemalloc.so.2", "malloc", "free")};
    std::vector<std::string> workloads;
    for (size_t size : {16, 64, 256, 1024}) {
        const std::string w = "pairs/" + std::to_string(size);
        workloads.push_back(w);
        for (const Allocator& a : g_allocators)
            benchmark::RegisterBenchmark((w + "/" + a.name).c_str(), small_pairs, &a, size);
    }
    workloads.push_back("mixed");
    for (const Allocator& a : g_allocators)
        benchmark::RegisterBenchmark((std::string("mixed/") + a.name).c_str(), mixed_sizes, &a);
    workloads.push_back("producer_consumer");
    for (const Allocator& a : g_allocators)
        benchmark::RegisterBenchmark((std::string("producer_consumer/") + a.name).c_str(),
                                     producer_consumer, &a);

    benchmark::Initialize(&argc, argv);
    Collector collector;
    benchmark::RunSpecifiedBenchmarks(&collector);

    std::printf("\nKeel's heap time / other allocator's time (below 1.00: Keel faster)\n");
    std::printf("%-20s %8s %9s %9s\n", "workload", "glibc", "mimalloc", "jemalloc");
    for (const std::string& w : workloads) {
        auto keel = collector.ns.find(w + "/keel");
        if (keel == collector.ns.end()) continue;
        std::printf("%-20s", w.c_str());
        for (const char* other : {"glibc", "mimalloc", "jemalloc"}) {
            auto it = collector.ns.find(w + "/" + other);
            if (it == collector.ns.end() || it->second == 0)
                std::printf(" %8s", "-");
            else
                std::printf(" %8.2f", keel->second / it->second);
        }
        std::printf("\n");
    }
    benchmark::Shutdown();
    return 0;
}

// The crash tests. Each provokes exactly one fault the kernel must catch.
// Built with -fno-sanitize=all (src/CMakeLists.txt): with UBSan on, its
// checks would catch some of these first (a null dereference, an
// out-of-bounds write) and report them instead of the fault under test.
//
// Every test is a separate, never-inlined function, so the backtrace shows
// it by name. Values the compiler must not see through (a null pointer, a
// zero divisor) pass through volatile variables.
#include "kernel/crash/crash.hpp"

#include "arch/arch.hpp"
#include "kernel/irq/irq.hpp"
#include "kernel/log/escape.hpp"
#include "kernel/log/log.hpp"
#include "kernel/panic/panic.hpp"
#include "kernel/smp/call.hpp"
#include "kernel/smp/cpu.hpp"
#include "kernel/sync/guard.hpp"
#include "kernel/time/tick.hpp"
#include "kernel/watchdog/watchdog.hpp"
#include "lib/ktl/new.hpp"

namespace kernel::crash {

namespace {

using Function = void (*)();

// Constant data: the page tables map .rodata read-only.
[[gnu::used]] const u64 kReadOnly = 0x600D'DA7A;
// Writable data holding a RET instruction: .data must not be executable.
[[gnu::used]] u8 g_data_code[16] = {0xC3};
volatile u64 g_dividend = 42;
volatile u64 g_zero = 0;
volatile u64 g_recursion_limit = ~u64{0};
volatile usize g_heap_block_size = 24;

[[gnu::noinline]] void null_deref() {
    u64* volatile pointer = nullptr;
    const u64 value = *pointer;  // NOLINT(clang-analyzer-core.NullDereference): the test
    log::error("crash: read {:#x} from address 0", value);
}

[[gnu::noinline]] void write_rodata() {
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-const-cast): the write to .rodata is the test
    u64* volatile pointer = const_cast<u64*>(&kReadOnly);
    *pointer = 0xBAD;
    log::error("crash: wrote to .rodata at {:#018x}", reinterpret_cast<uptr>(&kReadOnly));
}

[[gnu::noinline]] void text_target() { asm volatile(""); }

[[gnu::noinline]] void write_text() {
    u8* volatile pointer = reinterpret_cast<u8*>(reinterpret_cast<uptr>(&text_target));
    *pointer = 0xC3;  // RET: harmless if it ever ran
    log::error("crash: wrote to .text at {:#018x}", reinterpret_cast<uptr>(&text_target));
}

[[gnu::noinline]] void exec_data() {
    const auto volatile function = reinterpret_cast<Function>(reinterpret_cast<uptr>(g_data_code));
    function();
    log::error("crash: executed .data at {:#018x}", reinterpret_cast<uptr>(g_data_code));
}

[[gnu::noinline]] void exec_stack() {
    u8 code[16];
    volatile u8* bytes = code;
    bytes[0] = 0xC3;  // RET
    const auto volatile function = reinterpret_cast<Function>(reinterpret_cast<uptr>(code));
    function();
    log::error("crash: executed the stack at {:#018x}", reinterpret_cast<uptr>(code));
}

// Not a tail call (the result is used after the call) and with a volatile
// exit condition, so no compiler can turn it into a loop or drop it.
[[gnu::noinline]] u64 recurse(u64 depth) {
    volatile u8 frame[256];
    frame[depth % sizeof frame] = static_cast<u8>(depth);
    if (depth == g_recursion_limit) return 0;
    // NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult): any byte will do
    return recurse(depth + 1) + frame[(depth * 7) % sizeof frame];
}

[[gnu::noinline]] void stack_overflow() {
    const u64 result = recurse(0);
    log::error("crash: recursion returned {}", result);
}

[[gnu::noinline]] void divide_by_zero() {
    // Both operands unknown: compilers turn 1 / x into a comparison.
    const u64 result = g_dividend / g_zero;
    log::error("crash: 42 / 0 = {}", result);
}

[[gnu::noinline]] void invalid_opcode() {
    asm volatile("ud2");
    log::error("crash: ud2 did not fault");
}

[[gnu::noinline]] void general_protection() {
    // Bit 63 set, bits 62:47 clear: not canonical, so #GP(0) (not #PF).
    u64* volatile pointer = reinterpret_cast<u64*>(0x8000'0000'0000'0000ULL);
    const u64 value = *pointer;
    log::error("crash: read {:#x} from a non-canonical address", value);
}

// Fills the frame from the array up to (not including) the saved RBP: past
// the canary, which -fstack-protector-strong places between the arrays and
// the saved registers, but leaving the frame chain intact for the backtrace.
// The pointer goes through a volatile variable so the compiler cannot prove
// the writes out of bounds and drop them.
[[gnu::noinline]] void stack_smash() {
    char buffer[32];
    char* volatile escape = buffer;
    char* bytes = escape;
    const auto count = static_cast<usize>(static_cast<char*>(__builtin_frame_address(0)) - bytes);
    for (usize i = 0; i < count; ++i) bytes[i] = 'A';
    log::info("crash: wrote {} bytes into a {}-byte array", count, sizeof buffer);
}

// The heap's debug checks (on in every kernel build: KEEL_DEBUG_ALLOC,
// docs/memory-allocators.md). Pointers pass through volatile variables so
// that no compiler elides the new/delete pair or proves the write wrong.
[[gnu::noinline]] void heap_overflow() {
    u8* volatile block = new u8[24];
    // One byte past the end, into the rear red zone. The index is volatile
    // too: GCC drops a store it can see is out of the allocation's bounds.
    volatile u8* bytes = block;
    bytes[g_heap_block_size] = 0x42;
    delete[] block;
    log::error("crash: wrote past a 24-byte heap block");
}

[[gnu::noinline]] void double_free() {
    u64* volatile block = new u64{7};
    delete block;
    delete block;
    log::error("crash: freed a heap block twice");
}

[[gnu::noinline]] void use_after_free() {
    u64* volatile block = new u64[4];
    delete[] block;
    block[1] = 0xDEAD;  // found when the block is handed out again
    u64* volatile again = new u64[4];
    log::error("crash: wrote to a freed heap block ({:#x} reused at {:#x})",
               reinterpret_cast<uptr>(block), reinterpret_cast<uptr>(again));
}

// Runs as an interrupt handler: the fault's report must say so.
[[gnu::noinline]] void irq_handler_fault(void* /*context*/) {
    u64* volatile pointer = nullptr;
    const u64 value = *pointer;  // NOLINT(clang-analyzer-core.NullDereference): the test
    log::error("crash: read {:#x} from address 0 in an interrupt handler", value);
}

// Runs `handler` on a line of its own (the highest free GSI), made to fire
// by a self-IPI.
void raise_own_line(irq::Handler handler) {
    for (u32 gsi = 63;; --gsi) {
        const Result<irq::Handle, irq::IrqError> line = irq::install_gsi(
            gsi, "crash test", handler, nullptr, irq::Trigger::Edge, irq::Polarity::ActiveHigh);
        if (line) {
            const Result<void, irq::IrqError> raised = irq::raise(*line);
            if (!raised) log::error("crash: cannot raise the line: {}", describe(raised.error()));
            // The interrupt arrives at once; this is time to spare.
            time::sleep_us(100'000);
            return;
        }
        if (gsi == 0) {
            log::error("crash: no line for the test: {}", describe(line.error()));
            return;
        }
    }
}
[[gnu::noinline]] void irq_fault() { raise_own_line(irq_handler_fault); }

[[gnu::noinline]] void plain_panic() { panic("crash test: an explicit kernel::panic()"); }

// Runs on CPU 1, by a cross-CPU call: the panic there must stop the boot
// CPU (waiting for the call, interrupts off) and report once, naming CPU 1.
[[gnu::noinline]] void panic_on_this_cpu(void* /*unused*/) {
    panic("crash test: a panic on CPU {}", smp::this_cpu().index);
}
void ap_panic() {
    if (smp::online_count() < 2) {
        log::error("crash: 'ap-panic' needs a second CPU (boot with -smp 2 or more)");
        return;
    }
    smp::call_on(1, panic_on_this_cpu, nullptr);
}

// CPU 1 takes a lock and keeps it; the boot CPU then waits for it. The debug
// lock (KEEL_DEBUG_LOCKS) reports that wait with both sites instead of
// hanging; each site is a function of its own, so the report names it.
Spinlock g_kept_lock;
[[gnu::noinline]] void take_and_keep(void* /*unused*/) {
    g_kept_lock.lock();
    // Not a tail call: the lock's recorded site is then in this function.
    asm volatile("" ::: "memory");
}
[[gnu::noinline]] void wait_for_kept_lock() {
    g_kept_lock.lock();
    g_kept_lock.unlock();
}
// Both lock-held crashes: CPU 1 runs `keep` (takes the lock and returns
// holding it), then this CPU runs `wait` for the same lock.
void hold_on_cpu1_then_wait(const char* name, void (*keep)(void*), void (*wait)()) {
#if KEEL_DEBUG_LOCKS
    if (smp::online_count() < 2) {
        log::error("crash: '{}' needs a second CPU (boot with -smp 2 or more)", name);
        return;
    }
    smp::call_on(1, keep, nullptr);
    wait();
#else
    (void)keep;
    (void)wait;
    log::error("crash: '{}' needs a kernel built with KEEL_DEBUG_LOCKS", name);
#endif
}
void lock_held() { hold_on_cpu1_then_wait("lock-held", take_and_keep, wait_for_kept_lock); }

// The same through the guards, as most of the kernel takes its locks: the
// report must name the functions that declared the guards, never the
// guards' constructors (kernel/sync/guard.hpp; a Debug build, where
// nothing else is inlined, proves it). CPU 1's guard outlives the call
// that made it (allocated and never freed), so the lock stays held.
[[gnu::noinline]] void keep_through_guard(void* /*unused*/) {
    auto* kept = new SpinlockGuard(g_kept_lock);
    asm volatile("" : : "r"(kept) : "memory");
}
[[gnu::noinline]] void wait_through_guard() { const IrqSaveSpinlockGuard guard(g_kept_lock); }
void lock_held_guard() {
    hold_on_cpu1_then_wait("lock-held-guard", keep_through_guard, wait_through_guard);
}

// The interrupt rule (kernel/sync/irq_usage.hpp), broken without a
// deadlock: this CPU takes the lock with interrupts on and lets it go, then
// an interrupt handler waits for it while it is free. The debug lock reports
// the two uses together, naming both functions, the moment the handler
// waits. Then a CPU that takes a lock it holds: reported at once, with both
// sites, instead of after a 5 s spin as held too long.
#if KEEL_DEBUG_LOCKS
Spinlock g_irq_unsafe_lock;
[[gnu::noinline]] void take_with_interrupts_on() {
    g_irq_unsafe_lock.lock();
    asm volatile("" ::: "memory");
    g_irq_unsafe_lock.unlock();
}
[[gnu::noinline]] void wait_in_handler(void* /*context*/) {
    g_irq_unsafe_lock.lock();
    g_irq_unsafe_lock.unlock();
}
void irq_unsafe_lock() {
    if (!arch::interrupts_enabled()) {
        log::error("crash: 'irq-unsafe-lock' needs interrupts on, and they are off here");
        return;
    }
    take_with_interrupts_on();
    raise_own_line(wait_in_handler);
}

Spinlock g_recursive_lock;
[[gnu::noinline]] void take_once() {
    g_recursive_lock.lock();
    // Not a tail call: the lock's recorded site is then in this function.
    asm volatile("" ::: "memory");
}
[[gnu::noinline]] void take_again() {
    g_recursive_lock.lock();
    g_recursive_lock.unlock();
}
void lock_recursion() {
    take_once();
    take_again();
}

// Two locks taken in both orders, one after the other on this CPU: no
// deadlock happens (nothing else holds them), yet two CPUs doing the two at
// once would each wait for the other. Reported the moment the second order
// begins, naming both locks and the four sites.
Spinlock g_order_first;
Spinlock g_order_second;
[[gnu::noinline]] void take_in_order() {
    const SpinlockGuard first(g_order_first);
    const SpinlockGuard second(g_order_second);
}
[[gnu::noinline]] void take_in_reverse() {
    const SpinlockGuard second(g_order_second);
    const SpinlockGuard first(g_order_first);
}
void lock_order() {
    take_in_order();
    take_in_reverse();
}
#else
void irq_unsafe_lock() {
    log::error("crash: 'irq-unsafe-lock' needs a kernel built with KEEL_DEBUG_LOCKS");
}
void lock_recursion() {
    log::error("crash: 'lock-recursion' needs a kernel built with KEEL_DEBUG_LOCKS");
}
void lock_order() { log::error("crash: 'lock-order' needs a kernel built with KEEL_DEBUG_LOCKS"); }
#endif

// The same overflow on CPU 1's kernel stack, which (unlike the boot CPU's)
// comes from the kernel stack area through the address-space API: the
// report must still name it, from the stack registry.
[[gnu::noinline]] void recurse_on_this_cpu(void* /*unused*/) {
    const u64 result = recurse(0);
    log::error("crash: recursion on CPU {} returned {}", smp::this_cpu().index, result);
}
void ap_stack_overflow() {
    if (smp::online_count() < 2) {
        log::error("crash: 'ap-stack-overflow' needs a second CPU (boot with -smp 2 or more)");
        return;
    }
    smp::call_on(1, recurse_on_this_cpu, nullptr);
}

// Takes 64 KiB heap blocks (page-backed, from the frame allocator) and never
// gives them back: the plain `new` that finds no memory must panic, naming
// the request and what memory is left. Chained through their first word.
[[gnu::noinline]] void out_of_memory() {
    constexpr usize kBlockWords = usize{64} * 1024 / sizeof(void*);
    void* volatile chain = nullptr;
    for (u64 blocks = 0;; ++blocks) {
        auto** block = new void*[kBlockWords];
        block[0] = chain;
        chain = block;
        if (blocks == ~u64{0}) break;  // never: keeps the loop's exit visible
    }
    log::error("crash: the heap never ran out");
}

// A CPU that spins with interrupts off, not on a lock: only the hard-lockup
// watchdog (kernel/watchdog/watchdog.hpp) can report it. The loop has a
// side effect the compiler must keep, so the interrupted RIP is in here.
[[gnu::noinline]] void spin_with_interrupts_off() {
    arch::disable_interrupts();
    u64 volatile spins = 0;
    for (;;) spins = spins + 1;
}
void hang() {
    if (watchdog::threshold_seconds() == 0)
        log::warn("crash: 'hang' with the watchdog off (watchdog=off): this CPU hangs for good");
    spin_with_interrupts_off();
}

// The same on CPU 1. The call says it has run before it spins (the
// mailbox's `done`, as run_posted_call would after it returned): the boot
// CPU must go on with interrupts on, so its tick watches CPU 1.
[[gnu::noinline]] void hang_on_this_cpu(void* /*unused*/) {
    smp::Cpu& self = smp::this_cpu();
    __atomic_store_n(&self.done, __atomic_load_n(&self.posted, __ATOMIC_ACQUIRE), __ATOMIC_RELEASE);
    spin_with_interrupts_off();
}
void hang_ap() {
    if (smp::online_count() < 2) {
        log::error("crash: 'hang-ap' needs a second CPU (boot with -smp 2 or more)");
        return;
    }
    smp::call_on(1, hang_on_this_cpu, nullptr);
    // With interrupts on, so this CPU's tick does the watching: the report
    // comes within twice the threshold (the NMI's answer is waited for as
    // long); if it does not, the crash test returns and says so.
    const u32 seconds = watchdog::threshold_seconds();
    time::sleep_us((2 * u64{seconds} + 5) * 1'000'000);
}

constexpr CrashTest kTests[] = {
    {"null-deref", "Page Fault at 0x0 (not-present read)", null_deref},
    {"write-rodata", "Page Fault (protection-violation write) in .rodata", write_rodata},
    {"write-text", "Page Fault (protection-violation write) in .text", write_text},
    {"exec-data", "Page Fault (instruction fetch) in .data", exec_data},
    {"exec-stack", "Page Fault (instruction fetch) on the stack", exec_stack},
    {"stack-overflow", "Double Fault: kernel stack overflow", stack_overflow},
    {"divide-by-zero", "Divide Error", divide_by_zero},
    {"invalid-opcode", "Invalid Opcode", invalid_opcode},
    {"general-protection", "General Protection (non-canonical address)", general_protection},
    {"stack-smash", "stack smashing detected", stack_smash},
    {"ubsan", "UBSan: signed integer overflow", ubsan_signed_overflow},
    {"heap-overflow", "heap-overflow (a write past a heap block)", heap_overflow},
    {"double-free", "double-free (a heap block freed twice)", double_free},
    {"use-after-free", "use-after-free (a write to a freed heap block)", use_after_free},
    {"panic", "an explicit panic", plain_panic},
    {"irq-handler", "Page Fault inside the handler of an interrupt line", irq_fault},
    {"ap-panic", "a panic on CPU 1 that stops the others", ap_panic},
    {"lock-held", "a lock CPU 1 keeps, reported with its holder after 5 s", lock_held},
    {"lock-held-guard", "the same, both CPUs holding the lock through a guard", lock_held_guard},
    {"ap-stack-overflow", "Double Fault: kernel stack overflow on CPU 1", ap_stack_overflow},
    {"oom", "out of memory: a plain new that finds no memory", out_of_memory},
    {"irq-unsafe-lock", "a lock taken with interrupts on and waited for by a handler",
     irq_unsafe_lock},
    {"lock-recursion", "a CPU taking a lock it holds", lock_recursion},
    {"lock-order", "two locks taken in both orders, on one CPU", lock_order},
    {"hang", "a CPU spinning with interrupts off, reported by the watchdog", hang},
    {"hang-ap", "CPU 1 spinning with interrupts off, reported by the watchdog", hang_ap},
};

// Room for every name in the "valid names" list, ", " between them: a new
// kind that overflows it fails the build instead of cutting the list short.
constexpr usize kNamesCapacity = 512;
constexpr usize names_length() {
    usize length = 0;
    for (const CrashTest& test : kTests) length += ktl::string_view(test.name).size() + 2;
    return length;
}
static_assert(names_length() < kNamesCapacity);

}  // namespace

ktl::span<const CrashTest> crash_tests() { return {kTests, sizeof kTests / sizeof kTests[0]}; }

void run(ktl::string_view name) {
    for (const CrashTest& test : crash_tests()) {
        if (!(ktl::string_view(test.name) == name)) continue;
        log::info("crash: running '{}', expect: {}", test.name, test.expected);
        test.run();
        log::error("crash: '{}' returned: the kernel did not catch it", test.name);
        return;
    }
    kfmt::Buffer<kNamesCapacity> names;
    for (const CrashTest& test : crash_tests())
        kfmt::format_to(names, "{}{}", names.size() == 0 ? "" : ", ", test.name);
    char escaped[128];  // `name` is the loader's command line's
    log::error("crash: unknown crash test '{}'; valid names: {}",
               log::escape_unprintable(name, escaped), names.view());
}

}  // namespace kernel::crash

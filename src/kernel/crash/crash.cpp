// The crash tests. Each provokes exactly one fault the kernel must catch.
// Built with -fno-sanitize=all (src/CMakeLists.txt): with UBSan on, its
// checks would catch some of these first (a null dereference, an
// out-of-bounds write) and report them instead of the fault under test.
//
// Every test is a separate, never-inlined function, so the backtrace shows
// it by name. Values the compiler must not see through (a null pointer, a
// zero divisor) pass through volatile variables.
#include "kernel/crash/crash.hpp"
#include "kernel/crash/crash_cases.hpp"

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

[[gnu::noinline]] void irq_fault() { raise_own_line(irq_handler_fault); }

// Runs inside the local APIC timer's handler (the tick hook), which is no
// device line: the report must name that handler all the same.
[[gnu::noinline]] void tick_hook_fault() {
    u64* volatile pointer = nullptr;
    const u64 value = *pointer;  // NOLINT(clang-analyzer-core.NullDereference): the test
    log::error("crash: read {:#x} from address 0 in the tick's handler", value);
}

[[gnu::noinline]] void tick_fault() {
    if (time::tick_hz() == 0) {
        log::error("crash: 'tick-handler' needs the tick, and it did not start");
        return;
    }
    time::set_tick_hook(tick_hook_fault);
    time::sleep_us(1'000'000);
    log::error("crash: the tick's hook did not run within 1 s");
}

// An interrupt on #AC's vector, which the CPU raises with an error code:
// the report must say what arrived, not read a frame one word off as an
// alignment fault at address 0x8.
[[gnu::noinline]] void exception_vector_irq() {
    if (!arch::interrupt_on_exception_vector_for_crash_test()) {
        log::error("crash: 'exception-vector-irq' needs a local APIC");
        return;
    }
    for (int i = 0; i < 1000; ++i) arch::pause();
    log::error("crash: the interrupt on vector 17 did not arrive");
}

[[gnu::noinline]] void plain_panic() { panic("crash test: an explicit kernel::panic()"); }

// Runs on CPU 1, by a cross-CPU call: the panic there must stop the boot
// CPU (waiting for the call, interrupts off) and report once, naming CPU 1.
[[gnu::noinline]] void panic_on_this_cpu(void* /*unused*/) {
    panic("crash test: a panic on CPU {}", smp::this_cpu().index);
}
void ap_panic() {
    if (!second_cpu("ap-panic")) return;
    smp::call_on(1, panic_on_this_cpu, nullptr);
}

// The same overflow on CPU 1's kernel stack, which (unlike the boot CPU's)
// comes from the kernel stack area through the address-space API: the
// report must still name it, from the stack registry.
[[gnu::noinline]] void recurse_on_this_cpu(void* /*unused*/) {
    const u64 result = recurse(0);
    log::error("crash: recursion on CPU {} returned {}", smp::this_cpu().index, result);
}
void ap_stack_overflow() {
    if (!second_cpu("ap-stack-overflow")) return;
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

// The same on CPU 1. The call says it has run before it spins: the boot
// CPU must go on with interrupts on, so its tick watches CPU 1.
[[gnu::noinline]] void hang_on_this_cpu(void* /*unused*/) {
    smp::release_caller();
    spin_with_interrupts_off();
}
void hang_ap() {
    if (!second_cpu("hang-ap")) return;
    smp::call_on(1, hang_on_this_cpu, nullptr);
    // With interrupts on, so this CPU's tick does the watching: the report
    // comes within twice the threshold (the NMI's answer is waited for as
    // long); if it does not, the crash test returns and says so.
    const u32 seconds = watchdog::threshold_seconds();
    time::sleep_us((2 * u64{seconds} + 5) * 1'000'000);
}

// CPU 1 reset by an INIT while the kernel still counts it online: it waits
// for a SIPI, where it takes no interrupt and no NMI (SDM Vol. 3A, 9.4
// "MP initialization"). Its tick stops like a hung CPU's, but the
// watchdog's NMI that asks it to report itself is never taken: the
// watching CPU must report it. CPU 1 is idle in its call loop, holding no
// lock, when the INIT comes; the boot CPU goes on with interrupts on.
void init_ap() {
    if (!second_cpu("init-ap")) return;
    const u32 seconds = watchdog::threshold_seconds();
    if (seconds == 0) log::warn("crash: 'init-ap' with the watchdog off: CPU 1 is silently gone");
    if (!arch::park_cpu_for_crash_test(smp::cpu(1).apic_id)) {
        log::error("crash: 'init-ap': the INIT to CPU 1 was not sent");
        return;
    }
    // Quiet for the threshold, then as long again for the NMI's answer.
    time::sleep_us((2 * u64{seconds} + 5) * 1'000'000);
}

}  // namespace

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

bool second_cpu(const char* name) {
    if (smp::online_count() >= 2) return true;
    log::error("crash: '{}' needs a second CPU (boot with -smp 2 or more)", name);
    return false;
}

namespace {

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
    {"tick-handler", "Page Fault inside the local APIC timer's handler", tick_fault},
    {"exception-vector-irq", "an interrupt on #AC's vector, named as such", exception_vector_irq},
    {"ap-panic", "a panic on CPU 1 that stops the others", ap_panic},
    {"lock-held", "a lock CPU 1 keeps, reported with its holder after 5 s", lock_held},
    {"lock-held-guard", "the same, both CPUs holding the lock through a guard", lock_held_guard},
    {"ap-stack-overflow", "Double Fault: kernel stack overflow on CPU 1", ap_stack_overflow},
    {"oom", "out of memory: a plain new that finds no memory", out_of_memory},
    {"irq-unsafe-lock", "a lock taken with interrupts on and waited for by a handler",
     irq_unsafe_lock},
    {"irq-unsafe-class", "the same with two locks of one class, one each way", irq_unsafe_class},
    {"lock-recursion", "a CPU taking a lock it holds", lock_recursion},
    {"lock-order", "two locks taken in both orders, on one CPU", lock_order},
    {"lock-class-order", "two classes of lock in both orders, through other instances",
     lock_class_order},
    {"lock-class-nested", "two locks of one class held together", lock_class_nested},
    {"hang", "a CPU spinning with interrupts off, reported by the watchdog", hang},
    {"hang-ap", "CPU 1 spinning with interrupts off, reported by the watchdog", hang_ap},
    {"init-ap", "CPU 1 reset by an INIT, that cannot answer the watchdog's NMI", init_ap},
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

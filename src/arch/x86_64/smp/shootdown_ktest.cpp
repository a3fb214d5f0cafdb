// TLB shootdown on the live tables (`test=shootdown_` on 2+ CPUs,
// tests/qemu/shootdown_tests.cmake): a page another CPU has read (so its TLB
// holds the translation) faults there once this CPU unmapped it, and a
// write faults there once this CPU made it read-only; without the
// shootdown the other CPU would still use its stale translation.
#include "arch/arch.hpp"
#include "arch/x86_64/paging/kernel_space.hpp"
#include "arch/x86_64/smp/nmi_ipi.hpp"
#include "kernel/log/log.hpp"
#include "kernel/mm/frame_allocator.hpp"
#include "kernel/smp/call.hpp"
#include "kernel/smp/cpu.hpp"
#include "kernel/test/ktest.hpp"

namespace {

using namespace arch::paging;

// Page-fault error code bits (SDM Vol. 3A, 4.7).
constexpr u64 kPfPresent = 1 << 0;
constexpr u64 kPfWrite = 1 << 1;
constexpr u8 kMarker = 0x5a;

struct Probe {
    volatile u8* page;
    bool write;
    ProbeResult result;
    u8 value;
};

// Runs on the other CPU.
void probe_there(void* arg) {
    auto& p = *static_cast<Probe*>(arg);
    if (p.write) {
        p.result = probe_write(p.page, kMarker);
    } else {
        p.result = probe_read(p.page);
        if (!p.result.faulted) p.value = *p.page;
    }
}

ProbeResult probe_on_cpu1(Probe p, u8* value = nullptr) {
    kernel::smp::call_on(1, probe_there, &p);
    if (value != nullptr) *value = p.value;
    return p.result;
}

// A shootdown needs a second CPU; with one (a plain `test` boot) the test
// says it did not run. smp.ktest.shootdown boots two and rejects that line.
bool single_cpu() {
    if (kernel::smp::online_count() >= 2) return false;
    kernel::log::info("# shootdown: one CPU online: not tested (skipped)");
    return true;
}

// A fresh frame holding kMarker, mapped writable in the MMIO area (page
// null when no frame or mapping is left); give_back() returns both.
struct MarkedPage {
    volatile u8* page = nullptr;
    PhysAddr frame{};
};
MarkedPage map_marked_page() {
    const ktl::optional<PhysAddr> frame = kernel::mm::allocate_frames(0);
    if (!frame) return {nullptr, {}};
    __builtin_memset(arch::phys_to_virt(*frame), kMarker, kPageSize);
    auto mapped = map_unchecked(PhysRange::from_size(*frame, kPageSize), CacheType::WriteBack);
    if (!mapped) kernel::mm::free_frames(*frame, 0);
    return {mapped ? *mapped : nullptr, *frame};
}
// The mapping's range back to the MMIO area (unmapping it first when
// `still_mapped`), then the frame: a test run again leaks nothing.
void give_back(const MarkedPage& m, bool still_mapped) {
    if (still_mapped) (void)arch::unmap_mmio(m.page, kPageSize);
    kernel::mm::free_frames(m.frame, 0);
}

KTEST(shootdown_unmapped_page_faults_on_the_other_cpu) {
    if (single_cpu()) return;
    const MarkedPage marked = map_marked_page();
    volatile u8* page = marked.page;
    KEXPECT(page != nullptr);
    if (page == nullptr) return;
    u8 value = 0;
    // CPU 1 reads it first: its TLB now holds the translation.
    KEXPECT(!probe_on_cpu1({page, false, {}, 0}, &value).faulted);
    KEXPECT(value == kMarker);
    const u64 before = arch::smp::shootdown_count();
    // The MMIO area's own unmap: the pages and the range go back together.
    KEXPECT(arch::unmap_mmio(page, kPageSize).ok());
    KEXPECT(arch::smp::shootdown_count() > before);
    const ProbeResult r = probe_on_cpu1({page, false, {}, 0}, &value);
    KEXPECT(r.faulted);
    KEXPECT(r.error_code == 0);
    KEXPECT(r.address == reinterpret_cast<uptr>(page));
    give_back(marked, false);
}

KTEST(shootdown_read_only_page_faults_on_write_on_the_other_cpu) {
    if (single_cpu()) return;
    const MarkedPage marked = map_marked_page();
    volatile u8* page = marked.page;
    KEXPECT(page != nullptr);
    if (page == nullptr) return;
    // CPU 1 writes it first: its TLB holds a writable translation.
    KEXPECT(!probe_on_cpu1({page, true, {}, 0}).faulted);
    KEXPECT(kernel_protect(VirtAddr{reinterpret_cast<uptr>(page)}, kPageSize, PageFlags::None,
                           CacheType::WriteBack)
                .ok());
    const ProbeResult r = probe_on_cpu1({page, true, {}, 0});
    KEXPECT(r.faulted);
    KEXPECT(r.error_code == (kPfPresent | kPfWrite));
    give_back(marked, true);
}

}  // namespace

// Self-checks of the live page tables (run with `test` or `test=paging`):
// each walks the tables CR3 holds, through the direct map, and checks what
// the hardware will enforce.
#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/direct_map.hpp"
#include "arch/x86_64/image.hpp"
#include "arch/x86_64/paging/paging.hpp"
#include "kernel/boot_state.hpp"
#include "kernel/mm/kernel_stacks.hpp"
#include "kernel/test/ktest.hpp"

extern "C" const u8 __text_start[], __rodata_start[], __rodata_end[], __data_start[];
extern "C" const u8 __kernel_virtual_start[], __kernel_virtual_end[];
extern "C" const u8 kernel_stack_guard[], kernel_stack_bottom[];

namespace {

using namespace arch::paging;

// In .data (initialised, writable).
volatile u32 g_probe = 0x5EED'1234;
// In .rodata (GCC puts `const volatile` objects in .data, so not volatile).
[[gnu::used]] const u32 g_constant[2] = {0xC0DE'CAFE, 0xF00D'FACE};

u64 addr(const volatile void* p) { return reinterpret_cast<uptr>(p); }
bool writable(const Translation& t) { return has(t.flags, PageFlags::Writable); }
bool executable(const Translation& t) { return has(t.flags, PageFlags::Executable); }
bool nx() { return protections().nx; }

[[gnu::noinline]] void a_function() { asm volatile(""); }

KTEST(paging_is_initialized) {
    KEXPECT(initialized());
    KEXPECT(arch::direct_map_active());
}

KTEST(paging_text_is_executable_not_writable) {
    const u64 probes[] = {addr(__text_start), addr(reinterpret_cast<const void*>(&a_function)),
                          addr(__rodata_start) - 1};
    for (u64 v : probes) {
        auto t = lookup(v);
        KEXPECT(t.has_value());
        if (!t) continue;
        KEXPECT(!writable(*t));
        KEXPECT(executable(*t));
        KEXPECT(t->size == PageSize::Size4K);
        KEXPECT(t->phys.value() == arch::image::kernel_phys(reinterpret_cast<const void*>(v)));
    }
}

KTEST(paging_rodata_is_read_only_and_nx) {
    const u64 probes[] = {addr(__rodata_start), addr(g_constant), addr(__rodata_end) - 1};
    for (u64 v : probes) {
        auto t = lookup(v);
        KEXPECT(t.has_value());
        if (!t) continue;
        KEXPECT(!writable(*t));
        KEXPECT(executable(*t) == !nx());
    }
}

KTEST(paging_data_bss_and_stack_are_writable_and_nx) {
    int local = 0;
    const u64 probes[] = {addr(__data_start), addr(&g_probe), addr(&local),
                          addr(kernel_stack_bottom), addr(__kernel_virtual_end) - 1};
    for (u64 v : probes) {
        auto t = lookup(v);
        KEXPECT(t.has_value());
        if (!t) continue;
        KEXPECT(writable(*t));
        KEXPECT(executable(*t) == !nx());
    }
}

KTEST(paging_null_page_is_not_mapped) {
    KEXPECT(!lookup(0).has_value());
    KEXPECT(!lookup(kPageSize - 1).has_value());
    KEXPECT(!lookup(arch::image::physical_base()).has_value());  // the old identity map is gone
}

KTEST(paging_stack_guard_page_is_not_mapped) {
    u64 guard = addr(kernel_stack_guard);
    KEXPECT(!lookup(guard).has_value());
    KEXPECT(!lookup(guard + kPageSize - 1).has_value());
    const kernel::mm::StackRegistry& stacks = kernel::mm::kernel_stacks();
    KEXPECT(stacks.guard_at(guard) != nullptr);
    KEXPECT(stacks.guard_at(guard + kPageSize - 1) != nullptr);
    KEXPECT(stacks.guard_at(addr(kernel_stack_bottom)) == nullptr);
    KEXPECT(stacks.guard_at(guard - 1) == nullptr);
    KEXPECT(lookup(addr(kernel_stack_bottom)).has_value());
    const kernel::mm::KernelStack* found = stacks.guard_at(guard + 8);
    KEXPECT(found != nullptr && found->guard == guard && found->base == addr(kernel_stack_bottom));
}

KTEST(paging_direct_map_translates) {
    u64 phys = arch::image::kernel_phys(&g_probe);
    KEXPECT(arch::directly_mapped(phys, sizeof(u32)));
    auto t = lookup(arch::kDirectMapBase + phys);
    KEXPECT(t.has_value());
    if (!t) return;
    KEXPECT(t->phys.value() == phys);
    KEXPECT(writable(*t));
    KEXPECT(executable(*t) == !nx());
    // The same byte through both mappings.
    auto* alias = arch::phys_to_virt<volatile u32>(phys);
    KEXPECT(addr(alias) == arch::kDirectMapBase + phys);
    KEXPECT(*alias == 0x5EED'1234U);
    *alias = 0x0BAD'F00D;
    KEXPECT(g_probe == 0x0BAD'F00DU);
    g_probe = 0x5EED'1234;

    // The boot information stays readable for later users (symbolizer, ACPI).
    const auto& info = kernel::boot_params();
    KEXPECT(arch::directly_mapped(PhysRange::from_size(info.info_phys, info.info_size)));
    auto mbi = lookup(addr(arch::phys_to_virt(info.info_phys)));
    KEXPECT(mbi.has_value() && mbi->phys == info.info_phys);
    if (info.elf_sections.present)
        KEXPECT(arch::directly_mapped(
            PhysRange::from_size(info.elf_sections.headers_phys, info.elf_sections.headers_size)));
    // Every RAM region (available, ACPI) is covered; reserved regions above
    // 4 GiB (device or firmware holes, never RAM) are not.
    for (const auto& r : info.memory_map()) {
        if (r.length == 0 || r.base.value() + r.length > arch::kDirectMapMaxPhys) continue;
        bool memory = r.kind == boot::MemoryKind::Usable ||
                      r.kind == boot::MemoryKind::AcpiReclaimable ||
                      r.kind == boot::MemoryKind::AcpiNvs;
        if (memory) KEXPECT(arch::directly_mapped(r.range()));
        if (r.kind == boot::MemoryKind::Reserved && r.base >= PhysAddr{4ULL << 30})
            KEXPECT(!arch::directly_mapped(r.range()));
    }
}

KTEST(paging_direct_map_alias_of_code_is_read_only) {
    // The kernel's code reached through the direct map: readable, never
    // writable or executable, so the alias cannot undo W^X.
    u64 text_phys = arch::image::kernel_phys(__text_start);
    auto alias = lookup(arch::kDirectMapBase + text_phys);
    KEXPECT(alias.has_value());
    if (alias) {
        KEXPECT(!writable(*alias));
        KEXPECT(!has(alias->flags, PageFlags::Executable) || !nx());
        KEXPECT(alias->phys.value() == text_phys);
    }
}

KTEST(paging_no_page_is_writable_and_executable) {
    u64 wx = 0;
    u64 user = 0;
    u64 low = 0;
    u64 pages = 0;
    for_each_mapped_page([&](const Translation& t) {
        ++pages;
        if (writable(t) && executable(t)) ++wx;
        if (has(t.flags, PageFlags::User)) ++user;
        // Nothing at all in the lower half: no identity map is left.
        if (t.page_virt.value() < arch::kDirectMapBase) ++low;
    });
    KEXPECT(pages > 0);
    if (nx()) KEXPECT(wx == 0);
    KEXPECT(user == 0);
    KEXPECT(low == 0);
}

KTEST(paging_control_registers_match_protections) {
    const Protections& p = protections();
    KEXPECT(arch::read_cr0() & CR0_WP);
    KEXPECT(((arch::rdmsr(MSR_EFER) & EFER_NXE) != 0) == p.nx);
    u64 cr4 = arch::read_cr4();
    KEXPECT(((cr4 & CR4_SMEP) != 0) == p.smep);
    KEXPECT(((cr4 & CR4_SMAP) != 0) == p.smap);
    KEXPECT(((cr4 & CR4_UMIP) != 0) == p.umip);
    KEXPECT(((cr4 & CR4_PGE) != 0) == p.pge);
    auto text = lookup(addr(__text_start));
    KEXPECT(text.has_value() && text->leaf.global() == p.pge);
}

}  // namespace

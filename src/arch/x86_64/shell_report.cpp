// What the shell's `cpu` and `vm` show (arch.hpp): CPUID read at the time
// of asking, and the live page tables walked and folded into runs.
#include "arch/arch.hpp"
#include "arch/setup.hpp"
#include "arch/x86_64/bits.h"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/cpu_signature.hpp"
#include "arch/x86_64/paging/paging.hpp"
#include "arch/x86_64/paging/pat.hpp"
#include "lib/format/format.hpp"

namespace arch {

namespace {

struct Feature {
    const char* name;
    u32 leaf;
    u8 reg;  // 0 EBX, 1 ECX, 2 EDX
    u32 bit;
};

// Bits from the SDM, Vol. 2A, CPUID (tables 3-10, 3-11, 3-8) and the AMD
// APM Vol. 3 for 0x80000001/0x80000007.
constexpr Feature kFeatures[] = {
    {"fpu", 1, 2, 1U << 0},
    {"tsc", 1, 2, CPUID_1_EDX_TSC},
    {"pae", 1, 2, CPUID_1_EDX_PAE},
    {"apic", 1, 2, 1U << 9},
    {"pge", 1, 2, CPUID_1_EDX_PGE},
    {"pat", 1, 2, CPUID_1_EDX_PAT},
    {"sse", 1, 2, 1U << 25},
    {"sse2", 1, 2, 1U << 26},
    {"sse3", 1, 1, 1U << 0},
    {"ssse3", 1, 1, 1U << 9},
    {"sse4.1", 1, 1, 1U << 19},
    {"sse4.2", 1, 1, 1U << 20},
    {"x2apic", 1, 1, 1U << 21},
    {"popcnt", 1, 1, 1U << 23},
    {"xsave", 1, 1, 1U << 26},
    {"avx", 1, 1, 1U << 28},
    {"rdrand", 1, 1, CPUID_1_ECX_RDRAND},
    {"hypervisor", 1, 1, 1U << 31},
    {"avx2", 7, 0, 1U << 5},
    {"smep", 7, 0, CPUID_7_EBX_SMEP},
    {"rdseed", 7, 0, CPUID_7_EBX_RDSEED},
    {"smap", 7, 0, CPUID_7_EBX_SMAP},
    {"umip", 7, 1, CPUID_7_ECX_UMIP},
    {"nx", CPUID_LEAF_EXT_FEATURES, 2, CPUID_EXT_EDX_NX},
    {"1g-pages", CPUID_LEAF_EXT_FEATURES, 2, CPUID_EXT_EDX_PAGE1GB},
    {"invariant-tsc", 0x80000007, 2, 1U << 8},
};

bool has_leaf(u32 leaf) {
    const u32 top = cpuid(leaf & 0x80000000U).eax;
    return leaf <= top;
}

bool has_feature(const Feature& f) {
    if (!has_leaf(f.leaf)) return false;
    const CpuidResult r = cpuid(f.leaf);
    const u32 reg = f.reg == 0 ? r.ebx : f.reg == 1 ? r.ecx : r.edx;
    return (reg & f.bit) != 0;
}

void put_registers(char* out, const u32* regs, usize count) {
    for (usize i = 0; i < count; ++i)
        for (usize b = 0; b < 4; ++b) out[i * 4 + b] = static_cast<char>(regs[i] >> (8 * b));
}

// A string of CPUID's bytes without the padding some CPUs put around it.
ktl::string_view trimmed(const char* text, usize size) {
    usize start = 0;
    while (start < size && (text[start] == ' ' || text[start] == '\0')) ++start;
    usize end = size;
    while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\0')) --end;
    return {text + start, end - start};
}

const char* on_off(bool on) { return on ? "on" : "off"; }

}  // namespace

void write_cpu_report(kfmt::Sink& out) {
    const CpuidResult v = cpuid(CPUID_LEAF_MAX);
    const CpuVendor vendor = decode_vendor(v.ebx, v.edx, v.ecx);
    char brand[48] = {};
    if (has_leaf(0x80000004)) {
        for (u32 i = 0; i < 3; ++i) {
            const CpuidResult b = cpuid(0x80000002 + i);
            const u32 regs[] = {b.eax, b.ebx, b.ecx, b.edx};
            put_registers(brand + static_cast<usize>(i) * 16, regs, 4);
        }
    }
    const CpuSignature s = decode_signature(cpuid(CPUID_LEAF_FEATURES).eax);
    kfmt::format_to(out, "cpu: {} ({})\n", trimmed(brand, sizeof brand),
                    trimmed(vendor.text, sizeof vendor.text));
    kfmt::format_to(out, "family {:#x}, model {:#x}, stepping {}\n", s.family, s.model, s.stepping);
    kfmt::format_to(out, "features:");
    for (const Feature& f : kFeatures)
        if (has_feature(f)) kfmt::format_to(out, " {}", f.name);
    kfmt::format_to(out, "\n");
    const paging::Protections& p = paging::protections();
    kfmt::format_to(out, "protections: NX {}, WP {}, SMEP {}, SMAP {}, UMIP {}, global pages {}\n",
                    on_off(p.nx), on_off(p.wp), on_off(p.smep), on_off(p.smap), on_off(p.umip),
                    on_off(p.pge));
    kfmt::format_to(out, "timestamp counter: {} Hz\n", timestamp_rate());
}

void write_mapping_summary(kfmt::Sink& out) {
    // A run: pages contiguous in both address spaces, of one size, with the
    // same permissions and cache type.
    struct Run {
        u64 virt = 0;
        u64 phys = 0;
        u64 bytes = 0;
        paging::PageSize size = paging::PageSize::Size4K;
        paging::PageFlags flags = paging::PageFlags::None;
    } run;
    u64 runs = 0;
    u64 total = 0;
    auto flush = [&] {
        if (run.bytes == 0) return;
        const paging::PageFlags access = run.flags;
        kfmt::format_to(out, "{:#018x}-{:#018x} {:>9} KiB {} {}{} {} pages -> {:#x}\n", run.virt,
                        run.virt + run.bytes, run.bytes / 1024, paging::rwx(access),
                        cache_type_name(paging::cache_type_of(access)),
                        paging::has(access, paging::PageFlags::Global) ? " global" : "",
                        paging::page_size_name(run.size), run.phys);
        ++runs;
        total += run.bytes;
    };
    paging::for_each_mapped_page([&](const paging::Translation& t) {
        const u64 bytes = paging::page_bytes(t.size);
        const bool continues = run.bytes != 0 && t.page_virt.value() == run.virt + run.bytes &&
                               t.page.value() == run.phys + run.bytes && t.size == run.size &&
                               t.flags == run.flags;
        if (continues) {
            run.bytes += bytes;
            return;
        }
        flush();
        run = {t.page_virt.value(), t.page.value(), bytes, t.size, t.flags};
    });
    flush();
    kfmt::format_to(out, "{} runs, {} MiB mapped\n", runs, total / (u64{1024} * 1024));
}

}  // namespace arch

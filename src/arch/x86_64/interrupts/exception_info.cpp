#include "arch/x86_64/interrupts/exception_info.hpp"

// Relative, so the host tests find it without the kernel's include path.
#include "arch/x86_64/bits.h"
#include "lib/format/format.hpp"

namespace arch {

namespace {

struct VectorInfo {
    const char* name;
    const char* mnemonic;
};

// SDM Vol. 3A, table 6-1; AMD APM Vol. 2, table 8-1 for 28-30.
constexpr VectorInfo kVectors[EXC_COUNT] = {
    {"Divide Error", "#DE"},
    {"Debug", "#DB"},
    {"NMI", "NMI"},
    {"Breakpoint", "#BP"},
    {"Overflow", "#OF"},
    {"Bound Range Exceeded", "#BR"},
    {"Invalid Opcode", "#UD"},
    {"Device Not Available", "#NM"},
    {"Double Fault", "#DF"},
    {"Coprocessor Segment Overrun", ""},
    {"Invalid TSS", "#TS"},
    {"Segment Not Present", "#NP"},
    {"Stack-Segment Fault", "#SS"},
    {"General Protection", "#GP"},
    {"Page Fault", "#PF"},
    {"Reserved", ""},
    {"x87 Floating-Point", "#MF"},
    {"Alignment Check", "#AC"},
    {"Machine Check", "#MC"},
    {"SIMD Floating-Point", "#XM"},
    {"Virtualization", "#VE"},
    {"Control Protection", "#CP"},
    {"Reserved", ""},
    {"Reserved", ""},
    {"Reserved", ""},
    {"Reserved", ""},
    {"Reserved", ""},
    {"Reserved", ""},
    {"Hypervisor Injection", "#HV"},
    {"VMM Communication", "#VC"},
    {"Security Exception", "#SX"},
    {"Reserved", ""},
};

void append(ErrorText& out, ktl::string_view text) { out.write(text.data(), text.size()); }

// Whether any bit of `mask` is set in `error_code`; bit() as the 0 or 1 the
// bracketed summaries print.
constexpr bool has(u64 error_code, u64 mask) { return (error_code & mask) != 0; }
constexpr int bit(u64 error_code, u64 mask) { return has(error_code, mask) ? 1 : 0; }

const char* control_protection_cause(u64 error_code) {
    switch (error_code & CP_ERR_CODE_MASK) {
        case CP_ERR_NEAR_RET:
            return "near RET";
        case CP_ERR_FAR_RET_IRET:
            return "far RET or IRET";
        case CP_ERR_ENDBRANCH:
            return "missing ENDBRANCH";
        case CP_ERR_RSTORSSP:
            return "RSTORSSP";
        case CP_ERR_SETSSBSY:
            return "SETSSBSY";
        default:
            return "unknown cause";
    }
}

}  // namespace

ktl::string_view exception_name(u64 vector) {
    return vector < EXC_COUNT ? kVectors[vector].name : "Interrupt";
}

ktl::string_view exception_mnemonic(u64 vector) {
    return vector < EXC_COUNT ? kVectors[vector].mnemonic : "";
}

bool exception_has_error_code(u64 vector) {
    return vector < EXC_COUNT && (EXC_ERROR_CODE_VECTORS & BIT(vector)) != 0;
}

void describe_page_fault(u64 error_code, ErrorText& out) {
    append(out, has(error_code, PF_ERR_PRESENT) ? "protection-violation " : "not-present ");
    if (has(error_code, PF_ERR_FETCH))
        append(out, "instruction fetch");
    else
        append(out, has(error_code, PF_ERR_WRITE) ? "write" : "read");
    append(out, has(error_code, PF_ERR_USER) ? ", user mode" : ", kernel mode");
    if (has(error_code, PF_ERR_RESERVED)) append(out, ", reserved bit set");
    if (has(error_code, PF_ERR_PK)) append(out, ", protection key");
    if (has(error_code, PF_ERR_SHADOW_STACK)) append(out, ", shadow stack");
    if (has(error_code, PF_ERR_SGX)) append(out, ", SGX");
}

void describe_selector_error(u64 error_code, ErrorText& out) {
    if (error_code == 0) {
        append(out, "0 (not selector-related)");
        return;
    }
    const u64 index = (error_code & 0xFFFF) >> SEL_ERR_INDEX_SHIFT;
    if (has(error_code, SEL_ERR_IDT))
        kfmt::format_to(out, "IDT vector {}", index);
    else
        kfmt::format_to(out, "{} index {} (selector {:#x})",
                        has(error_code, SEL_ERR_LDT) ? "LDT" : "GDT", index, error_code & 0xFFF8);
    if (has(error_code, SEL_ERR_EXTERNAL)) append(out, ", external");
}

void describe_error_code(u64 vector, u64 error_code, ErrorText& out) {
    kfmt::format_to(out, "{:#x}", error_code);
    switch (vector) {
        case EXC_PAGE_FAULT:
            append(out, ": ");
            describe_page_fault(error_code, out);
            kfmt::format_to(out, " [P={} W={} U={} RSVD={} I/D={} PK={}]",
                            bit(error_code, PF_ERR_PRESENT), bit(error_code, PF_ERR_WRITE),
                            bit(error_code, PF_ERR_USER), bit(error_code, PF_ERR_RESERVED),
                            bit(error_code, PF_ERR_FETCH), bit(error_code, PF_ERR_PK));
            return;
        case EXC_INVALID_TSS:
        case EXC_SEGMENT_NOT_PRESENT:
        case EXC_STACK_SEGMENT:
        case EXC_GENERAL_PROTECTION:
            append(out, ": ");
            describe_selector_error(error_code, out);
            if (error_code != 0)
                kfmt::format_to(out, " [EXT={} IDT={} TI={}]", bit(error_code, SEL_ERR_EXTERNAL),
                                bit(error_code, SEL_ERR_IDT), bit(error_code, SEL_ERR_LDT));
            return;
        case EXC_CONTROL_PROTECTION:
            kfmt::format_to(out, ": {}{}", control_protection_cause(error_code),
                            has(error_code, CP_ERR_ENCL) ? ", in an enclave" : "");
            return;
        default:
            if (!exception_has_error_code(vector)) append(out, " (none pushed)");
            return;
    }
}

void describe_rflags(u64 rflags, ErrorText& out) {
    struct Flag {
        u64 bit;
        const char* name;
    };
    static constexpr Flag kFlags[] = {
        {EFLAGS_ID, "ID"}, {RFLAGS_VIP, "VIP"}, {RFLAGS_VIF, "VIF"}, {RFLAGS_AC, "AC"},
        {RFLAGS_VM, "VM"}, {RFLAGS_RF, "RF"},   {RFLAGS_NT, "NT"},   {RFLAGS_OF, "OF"},
        {RFLAGS_DF, "DF"}, {RFLAGS_IF, "IF"},   {RFLAGS_TF, "TF"},   {RFLAGS_SF, "SF"},
        {RFLAGS_ZF, "ZF"}, {RFLAGS_AF, "AF"},   {RFLAGS_PF, "PF"},   {RFLAGS_CF, "CF"},
    };
    bool first = true;
    const u64 iopl = (rflags >> RFLAGS_IOPL_SHIFT) & 3;
    if (iopl != 0) {
        kfmt::format_to(out, "IOPL={}", iopl);
        first = false;
    }
    for (const Flag& flag : kFlags) {
        if ((rflags & flag.bit) == 0) continue;
        if (!first) append(out, " ");
        append(out, flag.name);
        first = false;
    }
}

}  // namespace arch

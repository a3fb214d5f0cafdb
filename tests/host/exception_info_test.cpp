// arch::exception_name and the error-code decoders behind the exception report.
#include <gtest/gtest.h>

#include <string>

#include "arch/x86_64/interrupts/exception_info.hpp"

namespace {

std::string str(ktl::string_view v) { return {v.data(), v.size()}; }

template <typename F>
std::string text(F&& describe) {
    arch::ErrorText out;
    describe(out);
    return str(out.view());
}

TEST(ExceptionInfo, NamesEveryArchitecturalVector) {
    const char* expected[] = {"Divide Error",
                              "Debug",
                              "NMI",
                              "Breakpoint",
                              "Overflow",
                              "Bound Range Exceeded",
                              "Invalid Opcode",
                              "Device Not Available",
                              "Double Fault",
                              "Coprocessor Segment Overrun",
                              "Invalid TSS",
                              "Segment Not Present",
                              "Stack-Segment Fault",
                              "General Protection",
                              "Page Fault",
                              "Reserved",
                              "x87 Floating-Point",
                              "Alignment Check",
                              "Machine Check",
                              "SIMD Floating-Point",
                              "Virtualization",
                              "Control Protection"};
    for (u64 v = 0; v < sizeof expected / sizeof expected[0]; ++v)
        EXPECT_EQ(str(arch::exception_name(v)), expected[v]) << v;
    EXPECT_EQ(str(arch::exception_name(28)), "Hypervisor Injection");
    EXPECT_EQ(str(arch::exception_name(29)), "VMM Communication");
    EXPECT_EQ(str(arch::exception_name(30)), "Security Exception");
    EXPECT_EQ(str(arch::exception_name(31)), "Reserved");
    EXPECT_EQ(str(arch::exception_name(32)), "Interrupt");
    EXPECT_EQ(str(arch::exception_mnemonic(14)), "#PF");
    EXPECT_EQ(str(arch::exception_mnemonic(13)), "#GP");
    EXPECT_EQ(str(arch::exception_mnemonic(9)), "");
}

TEST(ExceptionInfo, ErrorCodeVectors) {
    for (u64 v = 0; v < 40; ++v) {
        const bool expected =
            v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30;
        EXPECT_EQ(arch::exception_has_error_code(v), expected) << v;
    }
}

TEST(ExceptionInfo, PageFaultErrorCodes) {
    auto pf = [](u64 code) {
        return text([&](arch::ErrorText& o) { arch::describe_page_fault(code, o); });
    };
    EXPECT_EQ(pf(0x0), "not-present read, kernel mode");
    EXPECT_EQ(pf(0x2), "not-present write, kernel mode");
    EXPECT_EQ(pf(0x3), "protection-violation write, kernel mode");
    EXPECT_EQ(pf(0x11), "protection-violation instruction fetch, kernel mode");
    EXPECT_EQ(pf(0x4), "not-present read, user mode");
    EXPECT_EQ(pf(0x9), "protection-violation read, kernel mode, reserved bit set");
    EXPECT_EQ(pf(0x25), "protection-violation read, user mode, protection key");
}

TEST(ExceptionInfo, SelectorErrorCodes) {
    auto sel = [](u64 code) {
        return text([&](arch::ErrorText& o) { arch::describe_selector_error(code, o); });
    };
    EXPECT_EQ(sel(0), "0 (not selector-related)");
    EXPECT_EQ(sel(0x28), "GDT index 5 (selector 0x28)");
    EXPECT_EQ(sel(0x2C), "LDT index 5 (selector 0x28)");
    EXPECT_EQ(sel(32 * 8 + 2), "IDT vector 32");
    EXPECT_EQ(sel(32 * 8 + 3), "IDT vector 32, external");
}

TEST(ExceptionInfo, ErrorCodeLines) {
    auto code = [](u64 vector, u64 error) {
        return text([&](arch::ErrorText& o) { arch::describe_error_code(vector, error, o); });
    };
    EXPECT_EQ(code(14, 0x2), "0x2: not-present write, kernel mode [P=0 W=1 U=0 RSVD=0 I/D=0 PK=0]");
    EXPECT_EQ(code(13, 0), "0x0: 0 (not selector-related)");
    EXPECT_EQ(code(13, 0x102), "0x102: IDT vector 32 [EXT=0 IDT=1 TI=0]");
    EXPECT_EQ(code(21, 3), "0x3: missing ENDBRANCH");
    EXPECT_EQ(code(6, 0), "0x0 (none pushed)");
    EXPECT_EQ(code(8, 0), "0x0");
}

TEST(ExceptionInfo, Rflags) {
    auto flags = [](u64 value) {
        return text([&](arch::ErrorText& o) { arch::describe_rflags(value, o); });
    };
    EXPECT_EQ(flags(0x246), "IF ZF PF");
    EXPECT_EQ(flags(0x10002), "RF");
    EXPECT_EQ(flags(0x3202), "IOPL=3 IF");
    EXPECT_EQ(flags(0x2), "");
}

}  // namespace

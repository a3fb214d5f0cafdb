// kernel::debug::demangle, the backtraces' Itanium C++ ABI demangler, with
// the host's abi::__cxa_demangle (GCC's libiberty) as the oracle: every
// supported form must print exactly as it does. Also: the kernel's own
// symbols (data_demangle_symbols.txt), names it refuses, truncation, and
// robustness on every prefix of every kernel symbol, mutated names and
// random bytes, with the input and output in exact-size heap blocks so that
// ASan catches any access past either.
#include <cxxabi.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "kernel/debug/demangle.hpp"

namespace {

using kernel::debug::demangle;
using kernel::debug::DemangleStatus;

struct Result {
    std::string text;
    DemangleStatus status;
};

// Demangles with `mangled` and the output each in a heap block of exactly
// their size, and checks what every call must give: the input itself, or a
// NUL-free view inside the output.
Result run(const std::string& mangled, size_t out_size = 8192) {
    auto input = std::make_unique<char[]>(mangled.size() + 1);  // + 1: never empty
    std::memcpy(input.get(), mangled.data(), mangled.size());
    auto output = std::make_unique<char[]>(out_size + 1);
    DemangleStatus status = DemangleStatus::Demangled;
    const ktl::string_view text =
        demangle({input.get(), mangled.size()}, {output.get(), out_size}, &status);
    Result result{std::string(text.data(), text.size()), status};
    switch (status) {
        case DemangleStatus::Demangled:
        case DemangleStatus::Truncated:
            EXPECT_EQ(text.data(), output.get()) << mangled;
            EXPECT_LE(text.size(), out_size) << mangled;
            EXPECT_FALSE(text.empty()) << mangled;
            EXPECT_EQ(result.text.find('\0'), std::string::npos) << mangled;
            if (status == DemangleStatus::Truncated) {
                EXPECT_EQ(text.size(), out_size) << mangled;
            }
            break;
        case DemangleStatus::NotMangled:
        case DemangleStatus::Failed:
            EXPECT_EQ(text.data(), input.get()) << mangled;
            EXPECT_EQ(text.size(), mangled.size()) << mangled;
            break;
    }
    return result;
}

std::optional<std::string> cxa_demangle(const std::string& mangled) {
    int status = 0;
    char* text = abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status);
    if (text == nullptr) return std::nullopt;
    std::string result(text);
    std::free(text);
    return result;
}

struct Case {
    const char* mangled;
    const char* demangled;
};

// Every supported form, with what __cxa_demangle prints for it.
constexpr Case kCases[] = {
    // Functions, data, the anonymous namespace, internal linkage.
    {"_Z1fv", "f()"},
    {"_Z1fi", "f(int)"},
    {"_Z1fiz", "f(int, ...)"},
    {"_Z3fooPKcmb", "foo(char const*, unsigned long, bool)"},
    {"_ZN6kernel5crash12_GLOBAL__N_110null_derefEv",
     "kernel::crash::(anonymous namespace)::null_deref()"},
    {"_ZN6kernel5crash3runEN3ktl11string_viewE", "kernel::crash::run(ktl::string_view)"},
    {"_ZN6kernel12_GLOBAL__N_17g_sinksE", "kernel::(anonymous namespace)::g_sinks"},
    {"_ZL26ktest_debug_symbols_loadedRN6kernel4test7ContextE",
     "ktest_debug_symbols_loaded(kernel::test::Context&)"},
    {"_ZN12_GLOBAL__N_1L32ktest_case_paging_is_initializedE",
     "(anonymous namespace)::ktest_case_paging_is_initialized"},
    // Local names.
    {"_ZZN6kernel4test9run_testsEN3ktl11string_viewEE5count",
     "kernel::test::run_tests(ktl::string_view)::count"},
    {"_ZZN4arch15describe_rflagsEmRN4kfmt6BufferILm160EEEE6kFlags",
     "arch::describe_rflags(unsigned long, kfmt::Buffer<160ul>&)::kFlags"},
    {"_ZZ1fvEs", "f()::string literal"},
    {"_ZZ1fvE1x_0", "f()::x"},
    {"_ZZ1fvE1x__12_", "f()::x"},
    {"_ZZ1fvEN1A1BE", "f()::A::B"},
    {"_ZZ1fIiEvvE1x", "f<int>()::x"},
    // Builtin types.
    {"_Z1fwbcahstijlmxynofdegz",
     "f(wchar_t, bool, char, signed char, unsigned char, short, unsigned short, int, unsigned "
     "int, long, unsigned long, long long, unsigned long long, __int128, unsigned __int128, "
     "float, double, long double, __float128, ...)"},
    {"_Z1fDnDuDiDsDaDcDdDeDfDh",
     "f(decltype(nullptr), char8_t, char32_t, char16_t, auto, decltype(auto), decimal64, "
     "decimal128, decimal32, half)"},
    // Qualifiers, pointers, references, arrays, functions, member pointers.
    {"_Z1fPVKi", "f(int const volatile*)"},
    {"_Z1fPrKi", "f(int const restrict*)"},
    {"_Z1fRKi", "f(int const&)"},
    {"_Z1fOi", "f(int&&)"},
    {"_Z1fPKPKc", "f(char const* const*)"},
    {"_Z1fRA7_Kc", "f(char const (&) [7])"},
    {"_Z1fA2_A3_i", "f(int [2][3])"},
    {"_Z1fPA3_i", "f(int (*) [3])"},
    {"_Z1fA_i", "f(int [])"},
    {"_Z1fPFviE", "f(void (*)(int))"},
    {"_Z1fPFPivE", "f(int* (*)())"},
    {"_Z1fRFvvE", "f(void (&)())"},
    {"_Z1fPFPFviEiE", "f(void (*(*)(int))(int))"},
    {"_Z1fA3_PFvvE", "f(void (* [3])())"},
    {"_Z1fRKPFviE", "f(void (* const&)(int))"},
    {"_Z1fPFvRA3_iE", "f(void (*)(int (&) [3]))"},
    {"_Z1fM1Ai", "f(int A::*)"},
    {"_Z1fM1AFviE", "f(void (A::*)(int))"},
    {"_Z1fM1AKFvvE", "f(void (A::*)() const)"},
    {"_Z1fM1AA3_i", "f(int (A::*) [3])"},
    {"_Z1fM1APFvvE", "f(void (* A::*)())"},
    {"_Z1fPM1AFvvE", "f(void (A::**)())"},
    {"_ZN6kernel5debug11SymbolTable4initERKNS0_15ElfSectionTableEPFPKhmmE",
     "kernel::debug::SymbolTable::init(kernel::debug::ElfSectionTable const&, unsigned char "
     "const* (*)(unsigned long, unsigned long))"},
    // Constructors and destructors.
    {"_ZN1AC1Ev", "A::A()"},
    {"_ZN1AC2ERKS_", "A::A(A const&)"},
    {"_ZN1AD0Ev", "A::~A()"},
    {"_ZN1AD1Ev", "A::~A()"},
    {"_ZN1AD2Ev", "A::~A()"},
    {"_ZN1AIiEC1Ev", "A<int>::A()"},
    {"_ZN1AIiED2Ev", "A<int>::~A()"},
    {"_ZN6kernel7console8TextGridC1EN3ktl4spanINS0_4CellEEEjj",
     "kernel::console::TextGrid::TextGrid(ktl::span<kernel::console::Cell>, unsigned int, "
     "unsigned int)"},
    {"_ZZ1fvENUlvE_D2Ev", "f()::{lambda()#1}::~f()"},  // libiberty's last-name rule
    // Standard substitutions.
    {"_ZNSt6vectorIiSaIiEEC2Ev", "std::vector<int, std::allocator<int> >::vector()"},
    {"_ZNSsC1Ev",
     "std::basic_string<char, std::char_traits<char>, std::allocator<char> >::basic_string()"},
    {"_ZNSaIcEC1Ev", "std::allocator<char>::allocator()"},
    {"_Z1fSs", "f(std::string)"},
    {"_Z1fSi", "f(std::istream)"},
    {"_Z1fSo", "f(std::ostream)"},
    {"_Z1fSd", "f(std::iostream)"},
    {"_Z1fSaIcE", "f(std::allocator<char>)"},
    {"_Z1fSbIcE", "f(std::basic_string<char>)"},
    {"_ZNSs4sizeEv", "std::string::size()"},
    {"_ZSt4moveIRiEONSt16remove_referenceIT_E4typeEOS2_",
     "std::remove_reference<int&>::type&& std::move<int&>(int&)"},
    // Operators.
    {"_ZN1AclEv", "A::operator()()"},
    {"_ZN1AixEi", "A::operator[](int)"},
    {"_ZN1AeqERKS_", "A::operator==(A const&)"},
    {"_ZNK1AneERKS_", "A::operator!=(A const&) const"},
    {"_ZNK1AltERKS_", "A::operator<(A const&) const"},
    {"_ZNK1AgtERKS_", "A::operator>(A const&) const"},
    {"_ZNK1AleERKS_", "A::operator<=(A const&) const"},
    {"_ZNK1AgeERKS_", "A::operator>=(A const&) const"},
    {"_ZNK1AssERKS_", "A::operator<=>(A const&) const"},
    {"_ZN1AplERKS_", "A::operator+(A const&)"},
    {"_ZN1AmiERKS_", "A::operator-(A const&)"},
    {"_ZN1AmlERKS_", "A::operator*(A const&)"},
    {"_ZN1AdvERKS_", "A::operator/(A const&)"},
    {"_ZN1ArmERKS_", "A::operator%(A const&)"},
    {"_ZN1AaSERKS_", "A::operator=(A const&)"},
    {"_ZN1AaSEOS_", "A::operator=(A&&)"},
    {"_ZN1ApLERKS_", "A::operator+=(A const&)"},
    {"_ZN1AmIERKS_", "A::operator-=(A const&)"},
    {"_ZN1AppEv", "A::operator++()"},
    {"_ZN1AmmEi", "A::operator--(int)"},
    {"_ZN1AptEv", "A::operator->()"},
    {"_ZN1AdeEv", "A::operator*()"},
    {"_ZN1AntEv", "A::operator!()"},
    {"_ZN1AcoEv", "A::operator~()"},
    {"_ZN1AanERKS_", "A::operator&(A const&)"},
    {"_ZN1AorERKS_", "A::operator|(A const&)"},
    {"_ZN1AeoERKS_", "A::operator^(A const&)"},
    {"_ZN1AlsEi", "A::operator<<(int)"},
    {"_ZN1ArsEi", "A::operator>>(int)"},
    {"_ZN1AaaERKS_", "A::operator&&(A const&)"},
    {"_ZN1AooERKS_", "A::operator||(A const&)"},
    {"_ZN1AcmERKS_", "A::operator,(A const&)"},
    {"_ZN1AnwEm", "A::operator new(unsigned long)"},
    {"_ZN1AnaEm", "A::operator new[](unsigned long)"},
    {"_ZN1AdlEPv", "A::operator delete(void*)"},
    {"_ZN1AdaEPv", "A::operator delete[](void*)"},
    {"_ZN1AawEv", "A::operator co_await()"},
    {"_Znwm", "operator new(unsigned long)"},
    {"_ZdlPvm", "operator delete(void*, unsigned long)"},
    {"_ZN1AcvbEv", "A::operator bool()"},
    {"_ZNK1AcvPKcEv", "A::operator char const*() const"},
    {"_ZN1AltIiEEbv", "bool A::operator< <int>()"},
    {"_ZN1AcvT_IiEEv", "A::operator int<int>()"},
    {"_Zli2_xPKcm", "operator\"\" _x(char const*, unsigned long)"},
    // Qualified member functions.
    {"_ZNK1A1fEv", "A::f() const"},
    {"_ZNVK1A1fEv", "A::f() const volatile"},
    {"_ZNKR1A1fEv", "A::f() const &"},
    {"_ZNKO1A1fEv", "A::f() const &&"},
    {"_ZNR1A1fEv", "A::f() &"},
    // Template arguments: literals, types, nested templates.
    {"_Z1fILi42EEvv", "void f<42>()"},
    {"_Z1fILj42EEvv", "void f<42u>()"},
    {"_Z1fILl42EEvv", "void f<42l>()"},
    {"_Z1fILm256EEvv", "void f<256ul>()"},
    {"_Z1fILx42EEvv", "void f<42ll>()"},
    {"_Z1fILy42EEvv", "void f<42ull>()"},
    {"_Z1fILin5EEvv", "void f<-5>()"},
    {"_Z1fILb1EEvv", "void f<true>()"},
    {"_Z1fILb0EEvv", "void f<false>()"},
    {"_Z1fILc65EEvv", "void f<(char)65>()"},
    {"_Z1fILh65EEvv", "void f<(unsigned char)65>()"},
    {"_Z1fILs5EEvv", "void f<(short)5>()"},
    {"_Z1fIL1E2EEvv", "void f<(E)2>()"},
    {"_Z1fILDnEEvv", "void f<decltype(nullptr)>()"},
    {"_Z1fIiLi1EEvv", "void f<int, 1>()"},
    {"_Z1fIN1A1BIiEEEvv", "void f<A::B<int> >()"},
    {"_Z1fI1AIS0_IiEEEvv", "void f<A<A<int> > >()"},
    {"_Z1fIPFivEEvv", "void f<int (*)()>()"},
    {"_Z1fIA3_iEvv", "void f<int [3]>()"},
    {"_Z1fIL_Z1gvEEvv", "void f<g()>()"},
    // Template parameters, return types, reference collapsing.
    {"_Z1fIiEvT_", "void f<int>(int)"},
    {"_Z1fIiEPFvT_Ev", "void (*f<int>())(int)"},
    {"_ZN1AIiE1fIcEEvT_", "void A<int>::f<char>(char)"},
    {"_Z1fIRiEvOT_", "void f<int&>(int&)"},
    {"_Z1fIOiEvRT_", "void f<int&&>(int&)"},
    {"_Z1fIKiEvRKT_", "void f<int const>(int const&)"},
    {"_ZN3ktl4spanIcEC1ILm32EEERAT__c", "ktl::span<char>::span<32ul>(char (&) [32ul])"},
    // Packs and pack expansions.
    {"_Z1fIJEEvDpT_", "void f<>()"},
    {"_Z1fIJicEEvDpT_", "void f<int, char>(int, char)"},
    {"_Z1fIJicEEvDpRKT_", "void f<int, char>(int const&, char const&)"},
    {"_Z1fIJicEEvDpRA3_T_", "void f<int, char>(int (&) [3], char (&) [3])"},
    {"_Z1fIJicEEvN1AIJDpPT_EEE", "void f<int, char>(A<int*, char*>)"},
    {"_ZN1AIJicEE1fIiEEvT_", "void A<int, char>::f<int>(int)"},
    {"_Z1fIJEiEvv", "void f<, int>()"},  // libiberty: an empty pack keeps its comma...
    {"_Z1fIiJEJEEvv", "void f<int>()"},  // ...except at the end
    {"_ZN6kernel5panicIJEEEvNS_11PanicFormatIJDpN3ktl13type_identityIT_E4typeEEEEDpRKS4_",
     "void kernel::panic<>(kernel::PanicFormat<>)"},
    {"_ZN4kfmt9format_toINS_6BufferILm256EEEJEEEvRT_NS_13format_stringIJDpN3ktl13type_"
     "identityIT0_E4typeEEEEDpRKS8_",
     "void kfmt::format_to<kfmt::Buffer<256ul>>(kfmt::Buffer<256ul>&, kfmt::format_string<>)"},
    {"_ZN6kernel5panicIJPKcmEEEvNS_11PanicFormatIJDpN3ktl13type_identityIT_E4typeEEEEDpRKS6_."
     "isra.0",
     "void kernel::panic<char const*, unsigned long>(kernel::PanicFormat<ktl::type_identity<"
     "char const*>::type, ktl::type_identity<unsigned long>::type>, char const* const&, unsigned "
     "long const&) [clone .isra.0]"},
    // Lambdas, unnamed types, clang's local classes.
    {"_ZZ1fvENKUlvE_clEv", "f()::{lambda()#1}::operator()() const"},
    {"_ZZ1fvENKUlvE0_clEv", "f()::{lambda()#2}::operator()() const"},
    {"_ZZ1fvENKUliE_clEi", "f()::{lambda(int)#1}::operator()(int) const"},
    {"_ZZ1fvENKUlT_E_clIiEEDaS_", "auto f()::{lambda(auto:1)#1}::operator()<int>(int) const"},
    {"_ZN1AUt_E", "A::{unnamed type#1}"},
    {"_ZN1AUt0_E", "A::{unnamed type#2}"},
    {"_ZNK4arch6paging6MapperINS0_6detail10LiveTablesEE11visit_tableIZN12_GLOBAL__N_"
     "147ktest_paging_no_page_is_writable_and_executableERN6kernel4test7ContextEE3$_"
     "0EEvNS0_8PhysAddrEjmNS4_4WalkERT_",
     "void arch::paging::Mapper<arch::paging::detail::LiveTables>::visit_table<(anonymous "
     "namespace)::ktest_paging_no_page_is_writable_and_executable(kernel::test::Context&)::$_0>("
     "arch::paging::PhysAddr, unsigned int, unsigned long, arch::paging::Mapper<arch::paging::"
     "detail::LiveTables>::Walk, (anonymous "
     "namespace)::ktest_paging_no_page_is_writable_and_executable(kernel::test::Context&)::$_0&) "
     "const"},
    // ABI tags.
    {"_Z1fB5cxx11v", "f[abi:cxx11]()"},
    {"_ZN1AB5cxx111fEv", "A[abi:cxx11]::f()"},
    {"_ZN1AB5cxx11C1Ev", "A[abi:cxx11]::A()"},
    // Special names.
    {"_ZTVN4arch11Serial16550E", "vtable for arch::Serial16550"},
    {"_ZTT1A", "VTT for A"},
    {"_ZTI1A", "typeinfo for A"},
    {"_ZTS1A", "typeinfo name for A"},
    {"_ZTIPKc", "typeinfo for char const*"},
    {"_ZThn8_N1A1fEv", "non-virtual thunk to A::f()"},
    {"_ZTv0_n24_N1A1fEv", "virtual thunk to A::f()"},
    {"_ZGVZ1fvE1x", "guard variable for f()::x"},
    {"_ZTHN1A1xE", "TLS init function for A::x"},
    {"_ZTWN1A1xE", "TLS wrapper function for A::x"},
    {"_ZGTtNKSt11logic_error4whatEv", "transaction clone for std::logic_error::what() const"},
    // GCC's clones.
    {"_Z1fv.cold", "f() [clone .cold]"},
    {"_Z1fv.part.0", "f() [clone .part.0]"},
    {"_Z1fv.constprop.0.isra.0", "f() [clone .constprop.0] [clone .isra.0]"},
    {"_ZN5Outer5InnerIiE1fEv.cold.part.0", "Outer::Inner<int>::f() [clone .cold] [clone .part.0]"},
    {"_Z1fv.lto_priv.0", "f() [clone .lto_priv.0]"},
    {"_Z1fv.llvm.123456", "f() [clone .llvm.123456]"},
};

TEST(Demangle, MatchesCxaDemangle) {
    for (const Case& c : kCases) {
        SCOPED_TRACE(c.mangled);
        EXPECT_EQ(cxa_demangle(c.mangled), std::optional<std::string>(c.demangled));
        const Result result = run(c.mangled);
        EXPECT_EQ(result.status, DemangleStatus::Demangled);
        EXPECT_EQ(result.text, c.demangled);
    }
}

// Where the output differs from __cxa_demangle's, on purpose.
TEST(Demangle, DeliberateDifferences) {
    constexpr Case kDifferences[] = {
        // libiberty accepts clone suffixes on functions only; GCC puts them on
        // static data too.
        {"_ZN6kernel12_GLOBAL__N_17g_sinksE.lto_priv.0",
         "kernel::(anonymous namespace)::g_sinks [clone .lto_priv.0]"},
        // A T_ outside any function template: libiberty fails, this prints
        // the argument where T_ was parsed, or T (T0, T1...) without one.
        {"_ZN1AIiE1fET_", "A<int>::f(int)"},
        {"_ZTV1AIT_E", "vtable for A<T>"},
        {"_Z1fIiEvT0_", "void f<int>(T0)"},
        // const on a function type (through T_) is dropped, not garbled into
        // `std::ios_base& ( const&)(std::ios_base&)`.
        {"_ZN7testing7MessagelsIFRSt8ios_baseS3_EEERS0_RKT_",
         "testing::Message& testing::Message::operator<< <std::ios_base& "
         "(std::ios_base&)>(std::ios_base& (&)(std::ios_base&))"},
        // A conversion to a template: libiberty fails on the forward T_.
        {"_ZN1AcvN1BIT_EEIiEEv", "A::operator B<int><int>()"},
    };
    for (const Case& c : kDifferences) {
        SCOPED_TRACE(c.mangled);
        EXPECT_NE(cxa_demangle(c.mangled), std::optional<std::string>(c.demangled));
        const Result result = run(c.mangled);
        EXPECT_EQ(result.status, DemangleStatus::Demangled);
        EXPECT_EQ(result.text, c.demangled);
    }
}

TEST(Demangle, NamesThatAreNotMangledAreReturnedAsTheyAre) {
    for (const char* name : {"kernel_main", "kernel_entry64", "__stack_chk_fail", "", "_", "Z1fv",
                             "__Z1fv", "_GLOBAL__sub_I__ZN6kernel9boot_infoEv"}) {
        const Result result = run(name);
        EXPECT_EQ(result.status, DemangleStatus::NotMangled) << name;
        EXPECT_EQ(result.text, name);
    }
}

TEST(Demangle, UnsupportedAndMalformedNamesAreReturnedAsTheyAre) {
    for (const char* name : {
             "_Z1fIiEDTcl1gT_EEv",                // decltype
             "_ZN3fooILi1EE3barIXplT_Li1EEEEvv",  // an expression argument
             "_ZN1BCI11AEi",                      // an inheriting constructor
             "_Z1fILf3f800000EEvv",               // a floating-point literal
             "_Z1fDv4_f",                         // a vector type
             "_Z1fCd",                            // a complex type
             "_Z1fPU3AS1i",                       // a vendor qualifier
             "_Z",
             "_Z1",
             "_Z2f",
             "_Z1fvi",       // text after the parameters
             "_Z1fv.",       // an empty clone suffix
             "_Z1fv.Cold",   // not a clone suffix
             "_ZN1AEE",      // text after a name
             "_ZNE",         // an empty nested name
             "_Z1fS_",       // a substitution that does not exist
             "_Z1fIiEv",     // a template without its parameters
             "_ZN1AC1IiEv",  // unterminated template arguments
             "_Z1fILi42",    // unterminated literal
             "_ZC1v",        // a constructor outside a class
             "_Z0fv",        // an empty source name
             "_Z99fv",       // a source name past the end
             "_Z3a\tbv",     // not an identifier
             "_ZZ1fvE",      // a local name without its entity
             "_Z1fRA",       // an unterminated array
         }) {
        const Result result = run(name);
        EXPECT_EQ(result.status, DemangleStatus::Failed) << name << " -> " << result.text;
        EXPECT_EQ(result.text, name);
    }
    // A NUL in the name is not an identifier character (nor end of input).
    const std::string with_nul("_Z3a\0bv", 7);
    EXPECT_EQ(run(with_nul).status, DemangleStatus::Failed);
}

// The kernel's symbol names (clang and GCC builds), one per line.
std::vector<std::string> kernel_symbols() {
    const std::string here = __FILE__;
    const std::string path =
        here.substr(0, here.find_last_of('/') + 1) + "data_demangle_symbols.txt";
    std::ifstream file(path);
    EXPECT_TRUE(file.is_open()) << path;
    std::vector<std::string> names;
    for (std::string line; std::getline(file, line);)
        if (!line.empty() && line[0] != '#') names.push_back(line);
    return names;
}

TEST(Demangle, EveryKernelSymbolAsCxaDemangle) {
    const std::vector<std::string> names = kernel_symbols();
    size_t mangled = 0;
    for (const std::string& name : names) {
        const Result result = run(name);
        if (name.rfind("_Z", 0) != 0) {
            EXPECT_EQ(result.status, DemangleStatus::NotMangled) << name;
            EXPECT_EQ(result.text, name);
            continue;
        }
        ++mangled;
        const std::optional<std::string> expected = cxa_demangle(name);
        ASSERT_TRUE(expected.has_value()) << name;
        EXPECT_EQ(result.status, DemangleStatus::Demangled) << name;
        EXPECT_EQ(result.text, *expected) << name;
    }
    EXPECT_GT(mangled, 300u);
    EXPECT_GT(names.size(), mangled);
}

// Prefixes of real names reach every "unexpected end" path. Where both
// demanglers accept one, they must agree.
TEST(Demangle, EveryPrefixOfEveryKernelSymbol) {
    size_t compared = 0;
    for (const std::string& name : kernel_symbols()) {
        for (size_t length = 0; length < name.size(); ++length) {
            const std::string prefix = name.substr(0, length);
            const Result result = run(prefix);
            if (result.status != DemangleStatus::Demangled) continue;
            const std::optional<std::string> expected = cxa_demangle(prefix);
            if (!expected) continue;
            EXPECT_EQ(result.text, *expected) << prefix;
            ++compared;
        }
    }
    EXPECT_GT(compared, 100u);
}

TEST(Demangle, TruncationKeepsAPrefixAndEndsInDots) {
    const std::string name =
        "_ZN6kernel5panicIJPKcmEEEvNS_11PanicFormatIJDpN3ktl13type_identityIT_E4typeEEEEDpRKS6_";
    const std::string full = *cxa_demangle(name);
    for (size_t size = 0; size <= full.size() + 1; ++size) {
        const Result result = run(name, size);
        if (size == 0) {
            EXPECT_EQ(result.status, DemangleStatus::Failed);
            EXPECT_EQ(result.text, name);
        } else if (size >= full.size()) {
            EXPECT_EQ(result.status, DemangleStatus::Demangled) << size;
            EXPECT_EQ(result.text, full);
        } else {
            EXPECT_EQ(result.status, DemangleStatus::Truncated) << size;
            const size_t kept = size >= 3 ? size - 3 : 0;
            EXPECT_EQ(result.text, full.substr(0, kept) + std::string(size - kept, '.')) << size;
        }
    }
}

// Whatever the input: no crash, no access outside the input or the output,
// a NUL-free result (run() checks), and quickly.
TEST(Demangle, SurvivesMutatedAndRandomNames) {
    const std::vector<std::string> names = kernel_symbols();
    ASSERT_FALSE(names.empty());
    std::mt19937 random(20240601);
    const std::string alphabet = "_ZNKEIJLSTDpvRO0123456789abcdijlmstxyCDEFAMPUZ.";
    auto pick = [&](size_t n) { return static_cast<size_t>(random() % n); };
    for (int i = 0; i < 20000; ++i) {
        std::string name = names[pick(names.size())];
        for (int edits = 1 + static_cast<int>(pick(3)); edits > 0 && !name.empty(); --edits) {
            const size_t at = pick(name.size());
            switch (pick(4)) {
                case 0:
                    name[at] = alphabet[pick(alphabet.size())];
                    break;
                case 1:
                    name.insert(at, 1, alphabet[pick(alphabet.size())]);
                    break;
                case 2:
                    name.erase(at, 1);
                    break;
                default:
                    name.insert(at, name.substr(pick(name.size()), pick(8)));
                    break;
            }
        }
        run(name, 1 + pick(300));
    }
    for (int i = 0; i < 20000; ++i) {
        std::string name = "_Z";
        for (size_t length = pick(32); length > 0; --length)
            name += pick(8) == 0 ? static_cast<char>(pick(256)) : alphabet[pick(alphabet.size())];
        run(name, 1 + pick(100));
    }
}

TEST(Demangle, LimitsStopHostileNames) {
    // Deep nesting: refused by the depth limit, not the stack.
    EXPECT_EQ(run("_Z1f" + std::string(5000, 'P') + "i").status, DemangleStatus::Failed);
    EXPECT_EQ(run("_Z1f" + std::string(200, 'P') + "i").status, DemangleStatus::Failed);
    std::string nested = "_Z1f";
    for (int i = 0; i < 100; ++i) nested += "1AI";
    nested += "i" + std::string(100, 'E');
    EXPECT_EQ(run(nested).status, DemangleStatus::Failed);
    // Each parameter type twice the previous one (A<A<int, int>, A<int, int>>
    // and so on): 2^24 times the first, stopped by the print budget.
    auto bomb = [](int levels) {
        std::string name = "_Z1f1AIiiE";
        for (int i = 0; i < levels; ++i) {
            // S<seq-id>_ is candidate seq-id + 1, in base 36: the previous type.
            const std::string previous =
                std::string("S") + "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i] + "_";
            name += "S_I" + previous + previous + "E";
        }
        return name;
    };
    EXPECT_EQ(run(bomb(3)).status, DemangleStatus::Demangled);
    EXPECT_EQ(run(bomb(3)).text, *cxa_demangle(bomb(3)));
    EXPECT_EQ(run(bomb(24)).status, DemangleStatus::Failed);
    // Too long to try.
    EXPECT_EQ(run("_Z" + std::to_string(5000) + std::string(5000, 'a')).status,
              DemangleStatus::Failed);
    // Many parameters: past the work space, refused.
    EXPECT_EQ(run("_Z1f" + std::string(3000, 'i')).status, DemangleStatus::Failed);
    // But a reasonable number is fine.
    EXPECT_EQ(run("_Z1f" + std::string(40, 'i')).status, DemangleStatus::Demangled);
}

}  // namespace

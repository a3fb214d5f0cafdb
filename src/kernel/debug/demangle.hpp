// A small Itanium C++ ABI demangler for backtraces: it turns
// `_ZN6kernel5crash12_GLOBAL__N_110null_derefEv` into
// `kernel::crash::(anonymous namespace)::null_deref()`.
//
// It covers the names a kernel like this one has (demangle.cpp lists the
// grammar): nested and local names, the anonymous namespace, constructors,
// destructors, operators, templates with type, literal and pack arguments,
// pack expansions, substitutions, template parameters, function, array and
// member pointer types, qualified member functions, lambdas, vtables and
// other special names, and GCC's `.cold`/`.part.0`/... clone suffixes. The
// output follows GCC's __cxa_demangle (libiberty) character for character
// on that subset. Anything else (expressions, decltype, floating-point
// literals, vendor qualifiers...) is refused, not guessed.
//
// Allocation-free and bounded: the work space (a node pool, the substitution
// table) lives on the caller's stack (about 2.3 KiB), recursion depth is
// capped, and printing has a step budget, so a hostile or corrupt name costs
// at most a few milliseconds and never reads past the input or writes past
// `out`. Hardware-independent (host-tested in tests/host/demangle_test.cpp,
// with the host's __cxa_demangle as the oracle).
#pragma once

#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::debug {

enum class DemangleStatus : u8 {
    Demangled,   // the whole demangled name is in `out`
    Truncated,   // `out` was too small: the name is cut and ends in "..."
    NotMangled,  // no "_Z" prefix (C and assembly names): the input is returned
    Failed,      // malformed, unsupported, over a limit, or `out` is empty:
                 // the input is returned
};

// Longer mangled names are refused (node offsets are 16-bit; the symbol
// table cuts names at 512 characters anyway).
inline constexpr usize kMaxMangledLength = 4096;

// Demangles `mangled` into `out` and returns the text: a view of `out`
// (never containing a NUL), or `mangled` itself when it cannot (see
// DemangleStatus). `status`, when not null, says which.
[[nodiscard]] ktl::string_view demangle(ktl::string_view mangled, ktl::span<char> out,
                                        DemangleStatus* status = nullptr);

}  // namespace kernel::debug

// Panic-time debugging: the kernel's symbol table, backtraces over the
// registered stacks (kernel/mm/kernel_stacks.hpp), and the report every panic prints after its
// PANIC line (details from whoever panicked, such as an exception's registers, then a backtrace).
#pragma once

#include "boot/params.hpp"
#include "kernel/debug/backtrace.hpp"
#include "kernel/debug/symbol_map.hpp"
#include "kernel/debug/symbols.hpp"
#include "lib/format/buffer.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::debug {

// Loads the build's symbol map (.keel_symbols, names demangled by the
// toolchain) and the ELF .symtab/.strtab the loader placed (mangled names:
// the fallback when the map is missing or corrupt, and the second name a
// frame shows at loglevel=debug), and logs the outcome on a "symbols:"
// line. Without either (or before this) backtraces print raw addresses.
void init_symbols(const boot::ElfSections& sections);
[[nodiscard]] const SymbolMap& kernel_symbol_map();
[[nodiscard]] const SymbolTable& kernel_symbols();
// The function containing an address, and a function's start by name: from
// the map when it loaded, otherwise from .symtab. A name from the map is
// expanded into `name_space` (cut with "..." if it does not fit); one from
// .symtab views the table itself.
bool lookup_symbol(u64 address, SymbolInfo& out, ktl::span<char> name_space);
bool find_symbol(ktl::string_view name, u64& address);

// The physical ranges of .symtab and .strtab, which the loader placed in
// memory the memory map calls available: a physical allocator must keep them
// (or accept raw-address backtraces). Empty ranges when there is no table.
struct SymbolMemory {
    u64 symtab_phys, symtab_size;
    u64 strtab_phys, strtab_size;
};
[[nodiscard]] SymbolMemory symbol_memory();

// "function+0xoffset" for an address, or "?" outside every function. C++
// names are demangled when the map loaded
// (kernel::crash::(anonymous namespace)::null_deref()), mangled otherwise,
// and cut with "..." when too long; print_backtrace adds the mangled name at
// loglevel=debug. A return address is looked up one byte back, so a call
// that ends a function is attributed to that function.
// Returns whether a symbol was found.
using SymbolText = kfmt::Buffer<200>;
bool symbolize(u64 address, SymbolText& out, bool is_return_address = false);

// Prints "Backtrace:" and one line per frame: `pc` first when non-zero (the
// faulting instruction), then the return addresses of the RBP chain, with
// runs of one repeated frame (recursion) folded into one line. When `pc` is
// in no function (a call through a bad pointer) and `rsp` is on a known
// stack, the word at `rsp` is shown as the probable caller: the bad call
// pushed it and nothing has run since.
inline constexpr usize kMaxBacktraceFrames = 64;
void print_backtrace(u64 pc, u64 rbp, u64 rsp = 0);

// What the code that is about to panic knows beyond the message: extra lines
// to print (registers, operands) and where the backtrace starts (see
// print_backtrace). rip = rbp = 0 walks from the panic itself.
struct PanicContext {
    void (*print_details)(const void* data);
    const void* data;
    u64 rip;
    u64 rbp;
    u64 rsp;
};
// Applies to the next panic only (the pointer must stay valid until then).
void set_panic_context(const PanicContext* context);
// Called by kernel::panic_message after the PANIC line.
void print_panic_report();

}  // namespace kernel::debug

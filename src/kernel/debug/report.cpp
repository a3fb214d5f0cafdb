// The kernel side of the debug helpers: the global symbol tables and the
// backtrace a panic prints.
#include "arch/arch.hpp"
#include "kernel/debug/debug.hpp"
#include "kernel/log/log.hpp"
#include "kernel/mm/kernel_stacks.hpp"

// .keel_symbols (linker/kernel.ld): the build's symbol map, read-only data.
extern "C" const u8 __keel_symbols_start[], __keel_symbols_end[];

namespace kernel::debug {

namespace {

SymbolMap g_map;
SymbolTable g_symbols;
SymbolMemory g_symbol_memory;
const PanicContext* g_panic_context = nullptr;

// A fault this close to a function's start may precede its frame record.
constexpr u64 kPrologueBytes = 8;

// The loader's addresses are physical; read them through the direct map.
const u8* translate_phys(u64 phys, u64 size) {
    if (!arch::directly_mapped(phys, size)) return nullptr;
    return arch::phys_to_virt<const u8>(phys);
}

// The room a name gets in "name+0x<16 hex digits>", so the offset is never
// cut off; a longer name ends in "...".
constexpr usize kNameRoom = SymbolText::capacity() - 19;

// symbolize(), also giving the ELF symbol's (mangled) name when it printed
// another one from the map (empty otherwise).
bool symbolize_name(u64 address, SymbolText& out, bool is_return_address,
                    ktl::string_view& mangled) {
    mangled = {};
    SymbolInfo info;
    char name[kNameRoom];
    const u64 key = is_return_address && address != 0 ? address - 1 : address;
    if (!lookup_symbol(key, info, name)) {
        out.write("?", 1);
        return false;
    }
    SymbolInfo elf;
    if (g_map.loaded() && g_symbols.lookup(key, elf) && elf.name != info.name) mangled = elf.name;
    if (info.name.size() > kNameRoom)  // only .symtab's names; the map cuts its own
        kfmt::format_to(out, "{}...", info.name.substr(0, kNameRoom - 3));
    else
        kfmt::format_to(out, "{}", info.name);
    kfmt::format_to(out, "+{:#x}", address - info.start);
    return true;
}

// A backtrace line's mangled name, for loglevel=debug (addr2line, gdb).
void log_mangled(ktl::string_view mangled) {
    if (!mangled.empty()) log::debug("        {}", mangled);
}

// The ELF .symtab: the map's fallback, and where the mangled names are.
// Returns whether it loaded.
bool init_elf_symbols(const boot::ElfSections& sections, bool quiet) {
    if (!sections.present) {
        if (!quiet)
            log::warn("symbols: the loader passed no ELF sections; backtraces show raw addresses");
        return false;
    }
    const Result<void, SymbolTableError> loaded = g_symbols.init(
        {sections.headers_phys.value(), sections.num, sections.entsize}, translate_phys);
    if (!loaded) {
        if (!quiet)
            log::warn("symbols: {}; backtraces show raw addresses", describe(loaded.error()));
        return false;
    }
    g_symbol_memory = {g_symbols.symtab_addr(), g_symbols.symtab_size(), g_symbols.strtab_addr(),
                       g_symbols.strtab_size()};
    return true;
}

}  // namespace

void init_symbols(const boot::ElfSections& sections) {
    g_map.clear();
    g_symbols.clear();
    g_symbol_memory = {};
    const ktl::span<const u8> map_bytes(
        __keel_symbols_start, static_cast<usize>(__keel_symbols_end - __keel_symbols_start));
    const Result<void, SymbolMapError> map_result = g_map.init(map_bytes);
    const bool map_loaded = map_result.ok();
    if (!map_loaded)
        log::warn("symbols: {}; names come from the ELF .symtab, mangled",
                  describe(map_result.error()));
    const bool elf_loaded = init_elf_symbols(sections, map_loaded);
    if (map_loaded) {
        log::info("symbols: {} functions in the build's symbol map ({} bytes)",
                  g_map.function_count(), g_map.size_bytes());
        if (!elf_loaded) log::debug("symbols: no ELF .symtab, so no mangled names");
    } else if (elf_loaded) {
        log::info("symbols: {} functions in {} symbols", g_symbols.function_count(),
                  g_symbols.symbol_count());
    }
}

const SymbolMap& kernel_symbol_map() { return g_map; }

const SymbolTable& kernel_symbols() { return g_symbols; }

SymbolMemory symbol_memory() { return g_symbol_memory; }

bool lookup_symbol(u64 address, SymbolInfo& out, ktl::span<char> name_space) {
    if (g_map.loaded()) return g_map.lookup(address, out, name_space);
    return g_symbols.lookup(address, out);
}

bool find_symbol(ktl::string_view name, u64& address) {
    if (g_map.loaded()) return g_map.find(name, address);
    return g_symbols.find(name, address);
}

bool symbolize(u64 address, SymbolText& out, bool is_return_address) {
    ktl::string_view mangled;
    return symbolize_name(address, out, is_return_address, mangled);
}

void print_backtrace(u64 pc, u64 rbp, u64 rsp) {
    log::info("Backtrace:");
    u64 frames[kMaxBacktraceFrames];
    const WalkResult walk =
        walk_frames(rbp, mm::kernel_stacks().ranges(), frames, kMaxBacktraceFrames);
    u32 index = 0;
    SymbolText text;
    ktl::string_view mangled;
    if (pc != 0) {
        const bool known = symbolize_name(pc, text, false, mangled);
        log::info("  #{:<2} {:#018x}  {}", index++, pc, text.view());
        log_mangled(mangled);
        // The frame chain misses the faulting function's caller when the
        // fault came before the function pushed its frame record: a call
        // through a bad pointer (pc in no function), or an instruction the
        // compiler scheduled ahead of the prologue (pc near the start). Then
        // the word at RSP is the return address the call pushed.
        SymbolInfo info;
        char name[kNameRoom];
        const bool near_start =
            known && lookup_symbol(pc, info, name) && info.offset < kPrologueBytes;
        bool on_stack = false;
        for (const StackRange& stack : mm::kernel_stacks().ranges())
            on_stack |= rsp != 0 && stack.contains(rsp, 8);
        if ((!known || near_start) && on_stack) {
            u64 caller = 0;
            __builtin_memcpy(&caller, reinterpret_cast<const void*>(static_cast<uptr>(rsp)), 8);
            text.clear();
            const bool first_frame = walk.count != 0 && frames[0] == caller;
            if (!first_frame && symbolize_name(caller, text, true, mangled)) {
                log::info("  #{:<2} {:#018x}  {}  (return address at RSP: the probable caller)",
                          index++, caller, text.view());
                log_mangled(mangled);
            }
        }
    }
    u32 repeats = 0;
    for (usize i = 0; i < walk.count; ++i, ++index) {
        if (i > 0 && frames[i] == frames[i - 1]) {
            ++repeats;
            continue;
        }
        if (repeats != 0) log::info("      ... the frame above {} more times", repeats);
        repeats = 0;
        text.clear();
        symbolize_name(frames[i], text, true, mangled);
        log::info("  #{:<2} {:#018x}  {}", index, frames[i], text.view());
        log_mangled(mangled);
    }
    if (repeats != 0) log::info("      ... the frame above {} more times", repeats);
    if (walk.end == WalkEnd::EndOfChain)
        log::info("  (end of the frame chain)");
    else
        log::info("  (stopped: {} at rbp {:#018x})", describe(walk.end), walk.last_rbp);
}

void set_panic_context(const PanicContext* context) { g_panic_context = context; }

// Not inlined: the walk starts at this function's own frame record, whose
// return address is in panic_message.
[[gnu::noinline]] void print_panic_report() {
    const PanicContext* context = g_panic_context;
    g_panic_context = nullptr;
    if (context != nullptr && context->print_details != nullptr)
        context->print_details(context->data);
    if (context != nullptr && (context->rip != 0 || context->rbp != 0))
        print_backtrace(context->rip, context->rbp, context->rsp);
    else
        print_backtrace(0, reinterpret_cast<u64>(__builtin_frame_address(0)));
}

}  // namespace kernel::debug

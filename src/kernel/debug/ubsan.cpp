// The UBSan runtime: the __ubsan_handle_* functions that code built with
// -fsanitize=undefined calls when a check fails. Each reports what and where
// (file:line:column from the compiler's SourceLocation) and panics:
//
//   PANIC: UBSan: signed integer overflow at src/kernel/crash/ubsan_trigger.cpp:21:14
//     2147483647 + 1 cannot be represented in type 'int'
//
// The data layouts and entry points follow LLVM's compiler-rt
// (lib/ubsan/ubsan_handlers.h), which GCC's -fsanitize=undefined also calls.
// Both the recoverable and the _abort (-fno-sanitize-recover) variants are
// defined; both panic. This file is built with -fno-sanitize=all.
#include "kernel/debug/debug.hpp"
#include "kernel/log/log.hpp"
#include "kernel/panic/panic.hpp"
#include "lib/format/format.hpp"

namespace kernel::debug::ubsan {

namespace {

struct SourceLocation {
    const char* file;
    u32 line;
    u32 column;
};

struct TypeDescriptor {
    u16 kind;      // 0 integer, 1 float, 0xFFFF unknown
    u16 info;      // integer: log2(bit width) << 1 | signed
    char name[1];  // NUL-terminated, quoted: 'int'
};
constexpr u16 kTypeInteger = 0;

struct TypeMismatchDataV1 {
    SourceLocation loc;
    const TypeDescriptor* type;
    u8 log_alignment;
    u8 type_check_kind;
};
struct OverflowData {
    SourceLocation loc;
    const TypeDescriptor* type;
};
struct ShiftOutOfBoundsData {
    SourceLocation loc;
    const TypeDescriptor* lhs_type;
    const TypeDescriptor* rhs_type;
};
struct OutOfBoundsData {
    SourceLocation loc;
    const TypeDescriptor* array_type;
    const TypeDescriptor* index_type;
};
struct UnreachableData {
    SourceLocation loc;
};
struct InvalidValueData {
    SourceLocation loc;
    const TypeDescriptor* type;
};
struct NonNullArgData {
    SourceLocation loc;
    SourceLocation attr_loc;
    int arg_index;
};
struct NonNullReturnData {
    SourceLocation attr_loc;
};
struct PointerOverflowData {
    SourceLocation loc;
};
struct VlaBoundData {
    SourceLocation loc;
    const TypeDescriptor* type;
};
struct InvalidBuiltinData {
    SourceLocation loc;
    u8 kind;  // 0 ctz, 1 clz of zero
};
struct FunctionTypeMismatchData {
    SourceLocation loc;
    const TypeDescriptor* type;
};
struct AlignmentAssumptionData {
    SourceLocation loc;
    SourceLocation assumption_loc;
    const TypeDescriptor* type;
};
struct ImplicitConversionData {
    SourceLocation loc;
    const TypeDescriptor* from_type;
    const TypeDescriptor* to_type;
    u8 kind;
};

// compiler-rt's ubsan_handlers.cpp, TypeCheckKinds.
constexpr const char* kTypeCheckKinds[] = {
    "load of",
    "store to",
    "reference binding to",
    "member access within",
    "member call on",
    "constructor call on",
    "downcast of",
    "downcast of",
    "upcast of",
    "cast to virtual base of",
    "_Nonnull binding to",
    "dynamic operation on",
};

// The detail line(s) of the report being made, printed by the panic.
kfmt::Buffer<320> g_detail;

void print_detail(const void* /*unused*/) {
    if (g_detail.size() != 0) log::info("  {}", g_detail.view());
}

// Paths relative to the source tree, as written in the report's examples.
ktl::string_view short_path(const char* file) {
    if (file == nullptr) return "<unknown file>";
    ktl::string_view path(file);
#ifdef KEEL_SOURCE_PREFIX
    constexpr ktl::string_view kPrefix = KEEL_SOURCE_PREFIX;
    if (path.starts_with(kPrefix)) return path.substr(kPrefix.size());
#endif
    return path;
}

[[noreturn]] void report(const SourceLocation& loc, ktl::string_view what) {
    static constexpr PanicContext kContext{print_detail, nullptr, 0, 0, 0};
    set_panic_context(&kContext);
    kfmt::Buffer<256> message;
    kfmt::format_to(message, "UBSan: {} at {}:{}:{}", what, short_path(loc.file), loc.line,
                    loc.column);
    panic_message(message.view(), {nullptr, 0, nullptr});
}

ktl::string_view type_name(const TypeDescriptor* type) {
    return type != nullptr ? ktl::string_view(type->name) : "<unknown type>";
}
bool is_integer(const TypeDescriptor* type) {
    return type != nullptr && type->kind == kTypeInteger;
}
bool is_signed(const TypeDescriptor* type) { return is_integer(type) && (type->info & 1) != 0; }
u32 bit_width(const TypeDescriptor* type) { return is_integer(type) ? 1U << (type->info >> 1) : 0; }

// A ValueHandle holds integers of up to 64 bits itself; wider ones (and
// floats) are passed by address.
void append_value(const TypeDescriptor* type, void* handle) {
    const u64 raw = reinterpret_cast<u64>(handle);
    const u32 width = bit_width(type);
    if (width == 0) {
        kfmt::format_to(g_detail, "<value {:#x}>", raw);
    } else if (width <= 64) {
        const u32 extra = 64 - width;
        if (is_signed(type))
            kfmt::format_to(g_detail, "{}", static_cast<i64>(raw << extra) >> extra);
        else
            kfmt::format_to(g_detail, "{}", (raw << extra) >> extra);
    } else {
        u64 words[2];
        __builtin_memcpy(words, handle, sizeof words);
        kfmt::format_to(g_detail, "{:#x}{:016x}", words[1], words[0]);
    }
}

bool is_negative(const TypeDescriptor* type, void* handle) {
    const u32 width = bit_width(type);
    if (!is_signed(type) || width == 0) return false;
    if (width > 64) {
        u64 words[2];
        __builtin_memcpy(words, handle, sizeof words);
        return static_cast<i64>(words[1]) < 0;
    }
    const u32 extra = 64 - width;
    return (static_cast<i64>(reinterpret_cast<u64>(handle) << extra) >> extra) < 0;
}

u64 as_u64(const TypeDescriptor* type, void* handle) {
    if (bit_width(type) > 64) {
        u64 words[2];
        __builtin_memcpy(words, handle, sizeof words);
        return words[1] != 0 ? ~u64{0} : words[0];
    }
    return reinterpret_cast<u64>(handle);
}

[[noreturn]] void overflow(void* raw, void* lhs, void* rhs, char op) {
    const auto* data = static_cast<const OverflowData*>(raw);
    g_detail.clear();
    append_value(data->type, lhs);
    kfmt::format_to(g_detail, " {} ", op);
    append_value(data->type, rhs);
    kfmt::format_to(g_detail, " cannot be represented in type {}", type_name(data->type));
    report(data->loc,
           is_signed(data->type) ? "signed integer overflow" : "unsigned integer overflow");
}

[[noreturn]] void type_mismatch(void* raw, void* pointer) {
    const auto* data = static_cast<const TypeMismatchDataV1*>(raw);
    const u64 address = reinterpret_cast<u64>(pointer);
    const u64 alignment = u64{1} << data->log_alignment;
    const char* kind = data->type_check_kind < sizeof kTypeCheckKinds / sizeof kTypeCheckKinds[0]
                           ? kTypeCheckKinds[data->type_check_kind]
                           : "access to";
    g_detail.clear();
    if (address == 0) {
        kfmt::format_to(g_detail, "{} null pointer of type {}", kind, type_name(data->type));
        report(data->loc, "null pointer dereference");
    }
    if (data->log_alignment != 0 && (address & (alignment - 1)) != 0) {
        kfmt::format_to(
            g_detail,
            "{} misaligned address {:#018x} for type {}, which requires {} byte alignment", kind,
            address, type_name(data->type), alignment);
        report(data->loc, "misaligned access");
    }
    kfmt::format_to(g_detail,
                    "{} address {:#018x} with insufficient space for an object of type {}", kind,
                    address, type_name(data->type));
    report(data->loc, "object too small for access");
}

[[noreturn]] void negate_overflow(void* raw, void* old_value) {
    const auto* data = static_cast<const OverflowData*>(raw);
    g_detail.clear();
    kfmt::format_to(g_detail, "negation of ");
    append_value(data->type, old_value);
    kfmt::format_to(g_detail, " cannot be represented in type {}", type_name(data->type));
    report(data->loc,
           is_signed(data->type) ? "signed integer overflow" : "unsigned integer overflow");
}

[[noreturn]] void divrem_overflow(void* raw, void* lhs, void* rhs) {
    const auto* data = static_cast<const OverflowData*>(raw);
    g_detail.clear();
    if (is_integer(data->type) && as_u64(data->type, rhs) == 0) {
        kfmt::format_to(g_detail, "division of ");
        append_value(data->type, lhs);
        kfmt::format_to(g_detail, " by zero");
        report(data->loc, "division by zero");
    }
    kfmt::format_to(g_detail, "division of ");
    append_value(data->type, lhs);
    kfmt::format_to(g_detail, " by ");
    append_value(data->type, rhs);
    kfmt::format_to(g_detail, " cannot be represented in type {}", type_name(data->type));
    report(data->loc, "division overflow");
}

[[noreturn]] void shift_out_of_bounds(void* raw, void* lhs, void* rhs) {
    const auto* data = static_cast<const ShiftOutOfBoundsData*>(raw);
    g_detail.clear();
    if (is_negative(data->rhs_type, rhs)) {
        kfmt::format_to(g_detail, "shift exponent ");
        append_value(data->rhs_type, rhs);
        kfmt::format_to(g_detail, " is negative");
    } else if (as_u64(data->rhs_type, rhs) >= bit_width(data->lhs_type)) {
        kfmt::format_to(g_detail, "shift exponent ");
        append_value(data->rhs_type, rhs);
        kfmt::format_to(g_detail, " is too large for {}-bit type {}", bit_width(data->lhs_type),
                        type_name(data->lhs_type));
    } else if (is_negative(data->lhs_type, lhs)) {
        kfmt::format_to(g_detail, "left shift of negative value ");
        append_value(data->lhs_type, lhs);
    } else {
        kfmt::format_to(g_detail, "left shift of ");
        append_value(data->lhs_type, lhs);
        kfmt::format_to(g_detail, " by ");
        append_value(data->rhs_type, rhs);
        kfmt::format_to(g_detail, " places cannot be represented in type {}",
                        type_name(data->lhs_type));
    }
    report(data->loc, "shift out of bounds");
}

[[noreturn]] void out_of_bounds(void* raw, void* index) {
    const auto* data = static_cast<const OutOfBoundsData*>(raw);
    g_detail.clear();
    kfmt::format_to(g_detail, "index ");
    append_value(data->index_type, index);
    kfmt::format_to(g_detail, " out of bounds for type {}", type_name(data->array_type));
    report(data->loc, "index out of bounds");
}

[[noreturn]] void load_invalid_value(void* raw, void* value) {
    const auto* data = static_cast<const InvalidValueData*>(raw);
    g_detail.clear();
    kfmt::format_to(g_detail, "load of value ");
    append_value(data->type, value);
    kfmt::format_to(g_detail, ", which is not a valid value for type {}", type_name(data->type));
    report(data->loc, "invalid value load");
}

[[noreturn]] void nonnull_arg(void* raw) {
    const auto* data = static_cast<const NonNullArgData*>(raw);
    g_detail.clear();
    kfmt::format_to(g_detail, "null pointer passed as argument {}, which is declared never null",
                    data->arg_index);
    if (data->attr_loc.file != nullptr)
        kfmt::format_to(g_detail, " (at {}:{})", short_path(data->attr_loc.file),
                        data->attr_loc.line);
    report(data->loc, "null argument");
}

[[noreturn]] void nonnull_return(void* raw, void* loc_raw) {
    const auto* data = static_cast<const NonNullReturnData*>(raw);
    const auto* loc = static_cast<const SourceLocation*>(loc_raw);
    g_detail.clear();
    kfmt::format_to(g_detail,
                    "null pointer returned from a function declared never to return null");
    if (data->attr_loc.file != nullptr)
        kfmt::format_to(g_detail, " (at {}:{})", short_path(data->attr_loc.file),
                        data->attr_loc.line);
    report(loc != nullptr ? *loc : data->attr_loc, "null return");
}

[[noreturn]] void pointer_overflow(void* raw, void* base, void* result) {
    const auto* data = static_cast<const PointerOverflowData*>(raw);
    const u64 b = reinterpret_cast<u64>(base);
    const u64 r = reinterpret_cast<u64>(result);
    g_detail.clear();
    if (b == 0 && r == 0)
        kfmt::format_to(g_detail, "applying zero offset to null pointer");
    else if (b == 0)
        kfmt::format_to(g_detail, "applying non-zero offset {:#x} to null pointer", r);
    else if (r == 0)
        kfmt::format_to(g_detail,
                        "applying non-zero offset to non-null pointer {:#018x} produced null", b);
    else
        kfmt::format_to(g_detail, "pointer arithmetic on {:#018x} overflowed to {:#018x}", b, r);
    report(data->loc, "pointer overflow");
}

[[noreturn]] void vla_bound_not_positive(void* raw, void* bound) {
    const auto* data = static_cast<const VlaBoundData*>(raw);
    g_detail.clear();
    kfmt::format_to(g_detail, "variable length array bound evaluates to non-positive value ");
    append_value(data->type, bound);
    report(data->loc, "non-positive VLA bound");
}

[[noreturn]] void invalid_builtin(void* raw) {
    const auto* data = static_cast<const InvalidBuiltinData*>(raw);
    g_detail.clear();
    kfmt::format_to(g_detail, "passing zero to {}, which is not a valid argument",
                    data->kind == 0 ? "ctz()" : "clz()");
    report(data->loc, "invalid builtin argument");
}

[[noreturn]] void function_type_mismatch(void* raw, void* function) {
    const auto* data = static_cast<const FunctionTypeMismatchData*>(raw);
    g_detail.clear();
    SymbolText symbol;
    symbolize(reinterpret_cast<u64>(function), symbol);
    kfmt::format_to(g_detail, "call to function {} through pointer to incorrect function type {}",
                    symbol.view(), type_name(data->type));
    report(data->loc, "function type mismatch");
}

[[noreturn]] void alignment_assumption(void* raw, void* pointer, void* alignment, void* offset) {
    const auto* data = static_cast<const AlignmentAssumptionData*>(raw);
    g_detail.clear();
    kfmt::format_to(g_detail,
                    "assumption of {} byte alignment (with offset of {} bytes) for pointer of type "
                    "{} failed: address {:#018x}",
                    reinterpret_cast<u64>(alignment), reinterpret_cast<u64>(offset),
                    type_name(data->type), reinterpret_cast<u64>(pointer));
    report(data->loc, "alignment assumption violated");
}

[[noreturn]] void implicit_conversion(void* raw, void* from, void* to) {
    const auto* data = static_cast<const ImplicitConversionData*>(raw);
    g_detail.clear();
    kfmt::format_to(g_detail, "implicit conversion from type {} of value ",
                    type_name(data->from_type));
    append_value(data->from_type, from);
    kfmt::format_to(g_detail, " to type {} changed the value to ", type_name(data->to_type));
    append_value(data->to_type, to);
    report(data->loc, "implicit conversion");
}

}  // namespace

}  // namespace kernel::debug::ubsan

// The entry points. `data` is the check's static description; values are
// ValueHandles (the value itself, or its address when wider than 64 bits).
namespace ub = kernel::debug::ubsan;

#define KEEL_UBSAN_HANDLER(name, params, call)                          \
    extern "C" [[noreturn]] void __ubsan_handle_##name params { call; } \
    extern "C" [[noreturn]] void __ubsan_handle_##name##_abort params { call; }

KEEL_UBSAN_HANDLER(type_mismatch_v1, (void* data, void* pointer), ub::type_mismatch(data, pointer))
KEEL_UBSAN_HANDLER(add_overflow, (void* data, void* lhs, void* rhs),
                   ub::overflow(data, lhs, rhs, '+'))
KEEL_UBSAN_HANDLER(sub_overflow, (void* data, void* lhs, void* rhs),
                   ub::overflow(data, lhs, rhs, '-'))
KEEL_UBSAN_HANDLER(mul_overflow, (void* data, void* lhs, void* rhs),
                   ub::overflow(data, lhs, rhs, '*'))
KEEL_UBSAN_HANDLER(negate_overflow, (void* data, void* old_value),
                   ub::negate_overflow(data, old_value))
KEEL_UBSAN_HANDLER(divrem_overflow, (void* data, void* lhs, void* rhs),
                   ub::divrem_overflow(data, lhs, rhs))
KEEL_UBSAN_HANDLER(shift_out_of_bounds, (void* data, void* lhs, void* rhs),
                   ub::shift_out_of_bounds(data, lhs, rhs))
KEEL_UBSAN_HANDLER(out_of_bounds, (void* data, void* index), ub::out_of_bounds(data, index))
KEEL_UBSAN_HANDLER(load_invalid_value, (void* data, void* value),
                   ub::load_invalid_value(data, value))
KEEL_UBSAN_HANDLER(nonnull_arg, (void* data), ub::nonnull_arg(data))
KEEL_UBSAN_HANDLER(nullability_arg, (void* data), ub::nonnull_arg(data))
KEEL_UBSAN_HANDLER(nonnull_return_v1, (void* data, void* loc), ub::nonnull_return(data, loc))
KEEL_UBSAN_HANDLER(nullability_return_v1, (void* data, void* loc), ub::nonnull_return(data, loc))
KEEL_UBSAN_HANDLER(pointer_overflow, (void* data, void* base, void* result),
                   ub::pointer_overflow(data, base, result))
KEEL_UBSAN_HANDLER(vla_bound_not_positive, (void* data, void* bound),
                   ub::vla_bound_not_positive(data, bound))
KEEL_UBSAN_HANDLER(invalid_builtin, (void* data), ub::invalid_builtin(data))
// compiler-rt 10-16 call it _v1 (with two RTTI arguments the report ignores);
// LLVM 17 and later without the suffix.
KEEL_UBSAN_HANDLER(function_type_mismatch, (void* data, void* function),
                   ub::function_type_mismatch(data, function))
KEEL_UBSAN_HANDLER(function_type_mismatch_v1, (void* data, void* function, void*, void*),
                   ub::function_type_mismatch(data, function))
KEEL_UBSAN_HANDLER(alignment_assumption, (void* data, void* pointer, void* alignment, void* offset),
                   ub::alignment_assumption(data, pointer, alignment, offset))
KEEL_UBSAN_HANDLER(implicit_conversion, (void* data, void* from, void* to),
                   ub::implicit_conversion(data, from, to))

// Always fatal: there is no recoverable form.
extern "C" [[noreturn]] void __ubsan_handle_builtin_unreachable(void* data) {
    kernel::debug::ubsan::g_detail.clear();
    ub::report(static_cast<ub::UnreachableData*>(data)->loc, "unreachable code reached");
}
extern "C" [[noreturn]] void __ubsan_handle_missing_return(void* data) {
    kernel::debug::ubsan::g_detail.clear();
    ub::report(static_cast<ub::UnreachableData*>(data)->loc,
               "end of a value-returning function reached without a return");
}

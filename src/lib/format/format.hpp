// The kernel's formatter: {fmt}-style "{}" fields, checked at compile time,
// with no allocation and no floating point.
//
//   kfmt::Buffer<64> line;
//   kfmt::format_to(line, "irq {} on cpu {:>2}: {:#x}", irq, cpu, status);
//
// Spec syntax and output match {fmt} 9 for the supported subset:
// [[fill]align][sign][#][0][width][.precision][type], align < > ^, types
// d x X b B o c s p, automatic ("{}") or manual ("{1}") argument indexing.
// Not supported: floating point, dynamic width/precision, named arguments,
// 'L', '?', non-ASCII fill. Where this differs from {fmt}: every argument must
// be used; a null C string prints "(null)"; any pointer (not only void*)
// prints as an address; width and precision count bytes, not code points or
// display columns; '}' is never a fill character.
//
// The templates below only pack arguments (arg.hpp) and adapt the output
// (sink.hpp); all formatting happens in the non-template vformat_to().
#pragma once

#include "lib/format/arg.hpp"
#include "lib/format/buffer.hpp"
#include "lib/format/format_string.hpp"
#include "lib/format/sink.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/type_traits.hpp"
#include "lib/ktl/types.hpp"

namespace kfmt {

// The run-time entry, for format strings that were checked where they were
// written and then passed on (e.g. through the logger). It never reads
// outside fmt or args; a field it cannot format is copied out verbatim, and a
// malformed one ends formatting with the rest of fmt copied verbatim.
void vformat_to(Sink& out, ktl::string_view fmt, const Arg* args, usize count);

// As format_to_n, on already-packed arguments.
usize vformat_to_n(char* buf, usize cap, ktl::string_view fmt, const Arg* args, usize count);

template <typename Out, typename... Args>
void format_to(Out& out, format_string<ktl::type_identity_t<Args>...> fmt, const Args&... args) {
    // One spare element so that the array is never empty.
    const Arg packed[sizeof...(Args) + 1] = {make_arg(args)..., Arg()};
    if constexpr (ktl::is_same_v<Out, Sink>) {
        vformat_to(out, fmt.get(), packed, sizeof...(Args));
    } else {
        Sink sink(out);
        vformat_to(sink, fmt.get(), packed, sizeof...(Args));
    }
}

// Writes at most cap - 1 characters and a NUL (nothing at all if cap is 0)
// and returns the length the whole output would have had, as snprintf does.
template <typename... Args>
usize format_to_n(char* buf, usize cap, format_string<ktl::type_identity_t<Args>...> fmt,
                  const Args&... args) {
    const Arg packed[sizeof...(Args) + 1] = {make_arg(args)..., Arg()};
    return vformat_to_n(buf, cap, fmt.get(), packed, sizeof...(Args));
}

}  // namespace kfmt

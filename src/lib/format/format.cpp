// The run-time half of the formatter: rendering one argument per field.
// Padding and prefixes follow {fmt} 9's write_int / write_padded exactly,
// including its corner cases, because the host tests compare against it.
#include "lib/format/format.hpp"

#include "lib/format/format_int.hpp"
#include "lib/format/format_parse.hpp"

namespace kfmt {

usize detail::array_length(const char* s, usize max) { return bounded_length(s, max); }

namespace {

struct Padding {
    usize left;
    usize right;
};

// `natural` is where the value goes without an explicit alignment: numbers
// and pointers to the right, text to the left. A '0' flag without alignment
// (Align::numeric) on something that is not printed as a number puts all the
// padding on the left, as {fmt} does.
Padding padding_for(const FormatSpec& spec, usize size, Align natural) {
    if (spec.width <= size) return {0, 0};
    const usize total = spec.width - size;
    switch (spec.align == Align::none ? natural : spec.align) {
        case Align::left:
            return {0, total};
        case Align::center:
            return {total / 2, total - total / 2};
        case Align::none:
        case Align::right:
        case Align::numeric:
            break;
    }
    return {total, 0};
}

void write_padded(Sink& out, const FormatSpec& spec, Align natural, const char* data, usize size) {
    const Padding pad = padding_for(spec, size, natural);
    out.fill(spec.fill, pad.left);
    out.write(data, size);
    out.fill(spec.fill, pad.right);
}

void write_char(Sink& out, char c, const FormatSpec& spec) {
    write_padded(out, spec, Align::left, &c, 1);
}

void write_string(Sink& out, const char* data, usize size, const FormatSpec& spec) {
    if (spec.precision >= 0 && static_cast<usize>(spec.precision) < size)
        size = static_cast<usize>(spec.precision);
    write_padded(out, spec, Align::left, data, size);
}

void write_integer(Sink& out, u64 magnitude, bool negative, const FormatSpec& spec) {
    // {fmt} prints the magnitude's low byte, so 'c' of -65 is 'A'.
    if (spec.type == 'c') return write_char(out, static_cast<char>(magnitude), spec);

    char prefix[3];
    usize prefix_size = 0;
    if (negative)
        prefix[prefix_size++] = '-';
    else if (spec.sign == Sign::plus)
        prefix[prefix_size++] = '+';
    else if (spec.sign == Sign::space)
        prefix[prefix_size++] = ' ';

    unsigned base = 10;
    switch (spec.type) {
        case 'x':
        case 'X':
            base = 16;
            break;
        case 'b':
        case 'B':
            base = 2;
            break;
        case 'o':
            base = 8;
            break;
        default:
            break;
    }
    if (spec.alt && base != 10) {
        // Octal's "0" would be redundant on a zero, so {fmt} leaves it off.
        if (base != 8 || magnitude != 0) prefix[prefix_size++] = '0';
        if (base != 8) prefix[prefix_size++] = spec.type;
    }

    char digits[detail::max_uint_digits];
    char* const digits_end = digits + detail::max_uint_digits;
    const char* first = detail::format_uint(digits_end, magnitude, base, spec.type == 'X');
    const auto digit_count = static_cast<usize>(digits_end - first);
    const usize size = prefix_size + digit_count;

    if (spec.align == Align::numeric) {
        // Zeros go between the sign/prefix and the digits, whatever the fill.
        out.write(prefix, prefix_size);
        if (spec.width > size) out.fill('0', spec.width - size);
        out.write(first, digit_count);
        return;
    }
    const Padding pad = padding_for(spec, size, Align::right);
    out.fill(spec.fill, pad.left);
    out.write(prefix, prefix_size);
    out.write(first, digit_count);
    out.fill(spec.fill, pad.right);
}

void write_signed(Sink& out, i64 value, const FormatSpec& spec) {
    // Negate in unsigned arithmetic so that the minimum value does not overflow.
    const u64 bits = static_cast<u64>(value);
    write_integer(out, value < 0 ? ~bits + 1 : bits, value < 0, spec);
}

void write_pointer(Sink& out, uptr address, const FormatSpec& spec) {
    char text[2 + detail::max_uint_digits];
    char* const end = text + sizeof(text);
    char* first = detail::format_uint(end, address, 16, false);
    *--first = 'x';
    *--first = '0';
    write_padded(out, spec, Align::right, first, static_cast<usize>(end - first));
}

void write_arg(Sink& out, const Arg& arg, const FormatSpec& spec) {
    const char type = spec.type;
    switch (arg.kind) {
        case ArgKind::signed_int:
            return write_signed(out, arg.i, spec);
        case ArgKind::unsigned_int:
            return write_integer(out, arg.u, false, spec);
        case ArgKind::boolean:
            if (type == '\0' || type == 's') {
                if (arg.b) return write_string(out, "true", 4, spec);
                return write_string(out, "false", 5, spec);
            }
            return write_integer(out, arg.b ? 1 : 0, false, spec);
        case ArgKind::character:
            if (type == '\0' || type == 'c') return write_char(out, arg.c, spec);
            // As a number, char keeps its signedness, as in {fmt}.
            return write_signed(out, static_cast<int>(arg.c), spec);
        case ArgKind::string:
            return write_string(out, arg.s.data, arg.s.size, spec);
        case ArgKind::cstring: {
            if (type == 'p') return write_pointer(out, reinterpret_cast<uptr>(arg.cstr), spec);
            if (arg.cstr == nullptr) return write_string(out, "(null)", 6, spec);
            // Read no further than the precision: the string may be unterminated.
            const usize limit =
                spec.precision >= 0 ? static_cast<usize>(spec.precision) : ktl::string_view::npos;
            return write_string(out, arg.cstr, detail::bounded_length(arg.cstr, limit), spec);
        }
        case ArgKind::pointer:
            return write_pointer(out, arg.ptr, spec);
        case ArgKind::custom:
            return arg.custom.format(out, arg.custom.object, spec);
        case ArgKind::none:
            break;
    }
}

class Renderer {
public:
    Renderer(Sink& out, const Arg* args, usize count) : out_(out), args_(args), count_(count) {}

    void on_text(const char* begin, const char* end) {
        out_.write(begin, static_cast<usize>(end - begin));
    }

    const char* on_field(usize index, bool /*unused*/, const FormatSpec& spec,
                         const char* field_begin, const char* field_end) {
        if (index < count_ && args_[index].kind != ArgKind::none)
            write_arg(out_, args_[index], spec);
        else
            on_text(field_begin, field_end);
        return nullptr;
    }

private:
    Sink& out_;
    const Arg* args_;
    usize count_;
};

// Keeps what fits in buf and counts everything.
class TruncatingWriter {
public:
    TruncatingWriter(char* buf, usize room) : buf_(buf), room_(room) {}

    void write(const char* data, usize size) {
        const usize n = size < room_ - used_ ? size : room_ - used_;
        for (usize i = 0; i < n; ++i) buf_[used_ + i] = data[i];
        used_ += n;
        total_ += size;
    }
    [[nodiscard]] usize used() const { return used_; }
    [[nodiscard]] usize total() const { return total_; }

private:
    char* buf_;
    usize room_;
    usize used_ = 0;
    usize total_ = 0;
};

}  // namespace

void write_unsigned(Sink& out, u64 value, const FormatSpec& spec) {
    write_integer(out, value, false, spec);
}

void write_text(Sink& out, ktl::string_view text, const FormatSpec& spec) {
    write_string(out, text.data(), text.size(), spec);
}

void vformat_to(Sink& out, ktl::string_view fmt, const Arg* args, usize count) {
    Renderer renderer(out, args, count);
    const detail::ScanResult result = detail::scan_format(fmt, renderer);
    if (result.error != nullptr)
        out.write(fmt.data() + result.error_offset, fmt.size() - result.error_offset);
}

usize vformat_to_n(char* buf, usize cap, ktl::string_view fmt, const Arg* args, usize count) {
    TruncatingWriter writer(buf, cap == 0 ? 0 : cap - 1);
    Sink sink(writer);
    vformat_to(sink, fmt, args, count);
    if (cap != 0) buf[writer.used()] = '\0';
    return writer.total();
}

}  // namespace kfmt

// The Itanium C++ ABI demangler (https://itanium-cxx-abi.github.io/cxx-abi/
// abi.html#mangling). The name is parsed into a small tree of nodes, then
// the tree is printed; both phases are bounded (see demangle.hpp).
//
// The output is GCC's (libiberty's cp-demangle.c, behind __cxa_demangle),
// quirks included: `A<B<int> >`, `f<, int>` for an empty leading pack,
// constructors named after the last source name, template parameters
// resolved while printing against the function template being printed.
//
// Supported grammar (anything else fails, and the caller keeps the mangled
// name):
//
//   <mangled-name>  ::= _Z <encoding> [.<clone-suffix>]*
//   <encoding>      ::= <name> [<return type, for templates>] <parameter types>
//                   ::= <name>                                    (data)
//                   ::= TV|TT|TI|TS <type>   ::= TH|TW|GV <name>  (special)
//                   ::= Th <offset> _ <encoding>  ::= Tv <offset> _ <offset> _ <encoding>
//                   ::= GTt <encoding>
//   <name>          ::= N [r][V][K] [R|O] <prefix> E     ::= Z <encoding> E <name>|s [<discr>]
//                   ::= [St] [L] <unqualified-name> [<template-args>]
//                   ::= <substitution> <template-args>
//   <prefix parts>  ::= <source-name> (12_GLOBAL__N_1 is the anonymous namespace)
//                   ::= C1-C5, D0-D5 (ctor, dtor), operator names (incl. cv, li)
//                   ::= Ut [n] _, Ul <types> E [n] _ (unnamed types, lambdas)
//                   ::= B <source-name> (ABI tags), <template-param>, <substitution>
//   <template-args> ::= I (<type> | L <builtin|class type> [n]<digits> E
//                          | L_Z <encoding> E | LZ <encoding> E | J <args> E)+ E
//   <type>          ::= builtin types (v w b c a h s t i j l m x y n o f d e g z
//                          Da Dc Dd De Df Dh Di Dn Ds Du), u <source-name>
//                   ::= [r][V][K] <type>, P/R/O <type>, Dp <type>
//                   ::= F [Y] <type> <types> [R|O] E, M <type> <type>
//                   ::= A [<digits>] _ <type>, A <template-param> _ <type>
//                   ::= <name>, <template-param> [<template-args>], <substitution>
//   <substitution>  ::= S_ | S <base-36> _ | St Sa Sb Ss Si So Sd
//   <template-param> ::= T_ | T <n> _   (printed as its argument, or "T", "T0"... when
//                                        unknown, "auto:N" in a generic lambda's signature)
#include "kernel/debug/demangle.hpp"

namespace kernel::debug {

namespace {

using Id = u16;
constexpr Id kNone = 0xFFFF;

// Work-space limits. Keel's own symbols need at most a quarter of each (38
// nodes, 19 items, 20 candidates, depth 10); the largest names of LLVM and
// libstdc++ fit too.
constexpr usize kMaxNodes = 160;
constexpr usize kMaxItems = 128;        // elements of all lists (arguments, parameters)
constexpr usize kMaxScratch = 48;       // elements of the lists being parsed
constexpr usize kMaxSubs = 96;          // substitution candidates
constexpr usize kMaxParams = 24;        // template parameters of the current name
constexpr usize kMaxPending = 4;        // forward template references (conversions)
constexpr u32 kMaxTemplates = 8;        // nested function templates being printed
constexpr usize kMaxScopes = 8;         // T_& printed in a saved template context
constexpr u32 kMaxParseDepth = 40;      // nested parse calls
constexpr u32 kMaxPrintDepth = 40;      // nested print calls
constexpr u32 kPrintFuel = 20000;       // print calls in all
constexpr usize kMaxOutput = 1u << 15;  // characters printed, including dropped ones
constexpr u32 kMaxLoop = 64;            // steps through chains of references

// ---- Static words: builtin types, operators, fixed texts --------------------

// How a literal of a builtin type prints (libiberty's d_builtin_type_print).
enum class Lit : u8 { None, Default, Int, Unsigned, Long, ULong, LongLong, ULongLong, Bool, Float };

struct Word {
    const char* text;
    Lit lit;
};

enum W : u16 {
    kVoid,
    kWchar,
    kBool,
    kChar,
    kSChar,
    kUChar,
    kShort,
    kUShort,
    kInt,
    kUInt,
    kLong,
    kULong,
    kLongLong,
    kULongLong,
    kInt128,
    kUInt128,
    kFloat,
    kDouble,
    kLongDouble,
    kFloat128,
    kEllipsis,
    kDecimal64,
    kDecimal128,
    kDecimal32,
    kHalf,
    kChar32,
    kChar16,
    kChar8,
    kAuto,
    kDecltypeAuto,
    kNullptr,
    kStd,
    kAnonymousNamespace,
    kStringLiteral,
    kVtable,
    kVtt,
    kTypeinfo,
    kTypeinfoName,
    kNonVirtualThunk,
    kVirtualThunk,
    kGuardVariable,
    kTlsInit,
    kTlsWrapper,
    kTransactionClone,
    // Standard substitutions: simple form, the form before a ctor/dtor, and
    // the constructor's name (in the same order).
    kSubAllocator,
    kSubBasicString,
    kSubString,
    kSubIstream,
    kSubOstream,
    kSubIostream,
    kSubAllocatorFull,
    kSubBasicStringFull,
    kSubStringFull,
    kSubIstreamFull,
    kSubOstreamFull,
    kSubIostreamFull,
    kSubAllocatorBase,
    kSubBasicStringBase,
    kSubStringBase,
    kSubIstreamBase,
    kSubOstreamBase,
    kSubIostreamBase,
    kWordCount,
};
constexpr u16 kStdSubCount = 6;

constexpr Word kWords[kWordCount] = {
    {"void", Lit::None},
    {"wchar_t", Lit::Default},
    {"bool", Lit::Bool},
    {"char", Lit::Default},
    {"signed char", Lit::Default},
    {"unsigned char", Lit::Default},
    {"short", Lit::Default},
    {"unsigned short", Lit::Default},
    {"int", Lit::Int},
    {"unsigned int", Lit::Unsigned},
    {"long", Lit::Long},
    {"unsigned long", Lit::ULong},
    {"long long", Lit::LongLong},
    {"unsigned long long", Lit::ULongLong},
    {"__int128", Lit::Default},
    {"unsigned __int128", Lit::Default},
    {"float", Lit::Float},
    {"double", Lit::Float},
    {"long double", Lit::Float},
    {"__float128", Lit::Float},
    {"...", Lit::None},
    {"decimal64", Lit::Float},
    {"decimal128", Lit::Float},
    {"decimal32", Lit::Float},
    {"half", Lit::Float},
    {"char32_t", Lit::Default},
    {"char16_t", Lit::Default},
    {"char8_t", Lit::Default},
    {"auto", Lit::None},
    {"decltype(auto)", Lit::None},
    {"decltype(nullptr)", Lit::Default},
    {"std", Lit::None},
    {"(anonymous namespace)", Lit::None},
    {"string literal", Lit::None},
    {"vtable for ", Lit::None},
    {"VTT for ", Lit::None},
    {"typeinfo for ", Lit::None},
    {"typeinfo name for ", Lit::None},
    {"non-virtual thunk to ", Lit::None},
    {"virtual thunk to ", Lit::None},
    {"guard variable for ", Lit::None},
    {"TLS init function for ", Lit::None},
    {"TLS wrapper function for ", Lit::None},
    {"transaction clone for ", Lit::None},
    {"std::allocator", Lit::None},
    {"std::basic_string", Lit::None},
    {"std::string", Lit::None},
    {"std::istream", Lit::None},
    {"std::ostream", Lit::None},
    {"std::iostream", Lit::None},
    {"std::allocator", Lit::None},
    {"std::basic_string", Lit::None},
    {"std::basic_string<char, std::char_traits<char>, std::allocator<char> >", Lit::None},
    {"std::basic_istream<char, std::char_traits<char> >", Lit::None},
    {"std::basic_ostream<char, std::char_traits<char> >", Lit::None},
    {"std::basic_iostream<char, std::char_traits<char> >", Lit::None},
    {"allocator", Lit::None},
    {"basic_string", Lit::None},
    {"basic_string", Lit::None},
    {"basic_istream", Lit::None},
    {"basic_ostream", Lit::None},
    {"basic_iostream", Lit::None},
};

// <builtin-type> codes of one lowercase letter ('u' is the vendor prefix).
constexpr u16 builtin_of(char c) {
    switch (c) {
        case 'v':
            return kVoid;
        case 'w':
            return kWchar;
        case 'b':
            return kBool;
        case 'c':
            return kChar;
        case 'a':
            return kSChar;
        case 'h':
            return kUChar;
        case 's':
            return kShort;
        case 't':
            return kUShort;
        case 'i':
            return kInt;
        case 'j':
            return kUInt;
        case 'l':
            return kLong;
        case 'm':
            return kULong;
        case 'x':
            return kLongLong;
        case 'y':
            return kULongLong;
        case 'n':
            return kInt128;
        case 'o':
            return kUInt128;
        case 'f':
            return kFloat;
        case 'd':
            return kDouble;
        case 'e':
            return kLongDouble;
        case 'g':
            return kFloat128;
        case 'z':
            return kEllipsis;
        default:
            return kNone;
    }
}

// D<c> builtin types.
constexpr u16 d_builtin_of(char c) {
    switch (c) {
        case 'a':
            return kAuto;
        case 'c':
            return kDecltypeAuto;
        case 'd':
            return kDecimal64;
        case 'e':
            return kDecimal128;
        case 'f':
            return kDecimal32;
        case 'h':
            return kHalf;
        case 'i':
            return kChar32;
        case 'n':
            return kNullptr;
        case 's':
            return kChar16;
        case 'u':
            return kChar8;
        default:
            return kNone;
    }
}

struct Operator {
    char code[2];
    const char* text;
};

// The operators a function can be named after.
constexpr Operator kOperators[] = {
    {{'a', 'N'}, "operator&="},        {{'a', 'S'}, "operator="},
    {{'a', 'a'}, "operator&&"},        {{'a', 'd'}, "operator&"},
    {{'a', 'n'}, "operator&"},         {{'a', 'w'}, "operator co_await"},
    {{'c', 'l'}, "operator()"},        {{'c', 'm'}, "operator,"},
    {{'c', 'o'}, "operator~"},         {{'d', 'V'}, "operator/="},
    {{'d', 'a'}, "operator delete[]"}, {{'d', 'e'}, "operator*"},
    {{'d', 'l'}, "operator delete"},   {{'d', 'v'}, "operator/"},
    {{'e', 'O'}, "operator^="},        {{'e', 'o'}, "operator^"},
    {{'e', 'q'}, "operator=="},        {{'g', 'e'}, "operator>="},
    {{'g', 't'}, "operator>"},         {{'i', 'x'}, "operator[]"},
    {{'l', 'S'}, "operator<<="},       {{'l', 'e'}, "operator<="},
    {{'l', 's'}, "operator<<"},        {{'l', 't'}, "operator<"},
    {{'m', 'I'}, "operator-="},        {{'m', 'L'}, "operator*="},
    {{'m', 'i'}, "operator-"},         {{'m', 'l'}, "operator*"},
    {{'m', 'm'}, "operator--"},        {{'n', 'a'}, "operator new[]"},
    {{'n', 'e'}, "operator!="},        {{'n', 'g'}, "operator-"},
    {{'n', 't'}, "operator!"},         {{'n', 'w'}, "operator new"},
    {{'o', 'R'}, "operator|="},        {{'o', 'o'}, "operator||"},
    {{'o', 'r'}, "operator|"},         {{'p', 'L'}, "operator+="},
    {{'p', 'l'}, "operator+"},         {{'p', 'm'}, "operator->*"},
    {{'p', 'p'}, "operator++"},        {{'p', 's'}, "operator+"},
    {{'p', 't'}, "operator->"},        {{'r', 'M'}, "operator%="},
    {{'r', 'S'}, "operator>>="},       {{'r', 'm'}, "operator%"},
    {{'r', 's'}, "operator>>"},        {{'s', 's'}, "operator<=>"},
};
constexpr u16 kOperatorCount = sizeof kOperators / sizeof kOperators[0];

// Node ids at and above these are static texts, not pool entries.
constexpr Id kWordBase = 0xF000;
constexpr Id kOperatorBase = 0xF400;
static_assert(kWordBase + kWordCount <= kOperatorBase);
static_assert(kOperatorBase + kOperatorCount < kNone);
static_assert(kMaxNodes < kWordBase);

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
constexpr bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
// Characters of an identifier (clang's local classes are called `$_0`;
// bytes >= 0x80 are UTF-8 identifiers). No controls, no spaces, no NUL.
constexpr bool is_name_char(char c) {
    return is_digit(c) || is_lower(c) || is_upper(c) || c == '_' || c == '$' || c == '.' ||
           static_cast<u8>(c) >= 0x80;
}

// ---- Nodes -------------------------------------------------------------------

enum class Kind : u8 {
    Word,           // static text (id >= kWordBase); never in the pool
    Name,           // a = input offset, b = length
    Nested,         // a::b
    Template,       // a<list b, c>
    ArgPack,        // list a, b (J...E): its elements, comma-separated
    ParamPack,      // list a, b: a template parameter bound to a pack
    Expansion,      // a... (Dp): a printed once per element of the pack in it
    Qual,           // a, flags = cv | ref << 3 (a ref-qualifier only where misplaced)
    Pointer,        // a*
    LRef,           // a&; b = the scope it was printed in first (print_reference)
    RRef,           // a&&; b as LRef
    Array,          // a [dimension at input offset b, length c], or [node b] (flags 1)
    Function,       // a (list b, c), flags = cv | ref << 3
    PtrMem,         // b a::*
    Encoding,       // a (list node c), return type b, flags = cv | ref << 3
    List,           // items a, count b; an encoding's: c = its template arguments (a List)
    Local,          // a::b, a an encoding printed without its return type
    Ctor,           // constructor (flags 0) or destructor (flags 1) named a
    AbiTag,         // a[abi:b]
    Conversion,     // operator a
    LiteralOp,      // operator"" a
    Lambda,         // {lambda(list a, b)#c}
    Unnamed,        // {unnamed type#c}
    IntLiteral,     // of type a, digits at input offset b, length c, flags = negative
    Special,        // word a, then b
    Clone,          // a [clone <input offset b, length c>]
    TemplateParam,  // T_ (index a): see resolve(); b = the argument where parsed
};

struct Node {
    Kind kind;
    u8 flags;
    Id a;
    Id b;
    Id c;
};

constexpr u8 kConst = 1, kVolatile = 2, kRestrict = 4;
constexpr u8 kRefNone = 0, kRefL = 1, kRefR = 2;

// What the parse of an encoding's name found out about it.
struct NameInfo {
    bool template_args = false;  // the name ends with template arguments
    bool ctor_conv = false;      // a constructor, destructor or conversion operator
    u8 cv = 0;
    u8 ref = kRefNone;
};

struct ListRef {
    Id start;
    Id count;
};

class Demangler {
public:
    Demangler(const char* input, usize length) : in_(input), len_(length) {}

    // The whole mangled name; kNone when it is not one we support.
    Id parse() {
        if (!eat('_') || !eat('Z')) return kNone;
        Id result = parse_encoding(false);
        while (!failed_ && peek() == '.' &&
               (is_lower(peek(1)) || is_digit(peek(1)) || peek(1) == '_')) {
            const usize start = pos_;
            skip(2);
            while (is_lower(peek()) || is_digit(peek()) || peek() == '_') ++pos_;
            while (peek() == '.' && is_digit(peek(1))) {
                skip(2);
                while (is_digit(peek())) ++pos_;
            }
            result =
                make(Kind::Clone, 0, result, static_cast<Id>(start), static_cast<Id>(pos_ - start));
        }
        if (failed_ || pos_ != len_) return kNone;
        return result;
    }

    // Prints the tree into out; the length it needed (which may exceed
    // out.size(): the rest was dropped), or 0 on failure.
    usize print(Id root, ktl::span<char> out) {
        out_ = out.data();
        cap_ = out.size();
        opos_ = 0;
        print_node(root);
        return failed_ ? 0 : opos_;
    }

private:
    // ---- Input -----------------------------------------------------------------

    [[nodiscard]] char peek(usize ahead = 0) const {
        return pos_ + ahead < len_ ? in_[pos_ + ahead] : '\0';
    }
    bool eat(char c) {
        if (pos_ >= len_ || in_[pos_] != c) return false;
        ++pos_;
        return true;
    }
    [[nodiscard]] bool at_end_of_encoding() const {
        const char c = peek();
        return pos_ >= len_ || c == 'E' || c == '.' || c == '_';
    }

    // Moves past `n` characters, never past the end.
    void skip(usize n) { pos_ = n > len_ - pos_ ? len_ : pos_ + n; }

    Id fail() {
        failed_ = true;
        return kNone;
    }

    // A decimal <number>; false when there is none or it is too large (a
    // name is at most kMaxMangledLength long, so nothing real is).
    bool parse_number(u32& value) {
        if (!is_digit(peek())) return false;
        value = 0;
        while (is_digit(peek())) {
            value = value * 10 + static_cast<u32>(in_[pos_++] - '0');
            if (value > 0x7FFF) return false;
        }
        return true;
    }

    // A <number> [n]<digits> whose value is ignored (thunk offsets).
    bool skip_offset() {
        eat('n');
        u32 ignored;
        return parse_number(ignored);
    }

    // _ <digit> | __ <digits> _ (a local entity's discriminator; ignored).
    void skip_discriminator() {
        if (peek() != '_') return;
        if (is_digit(peek(1))) {
            skip(2);
        } else if (peek(1) == '_') {
            usize i = 2;
            while (is_digit(peek(i))) ++i;
            if (i > 2 && peek(i) == '_') skip(i + 1);
        }
    }

    // ---- Nodes -----------------------------------------------------------------

    Id make(Kind kind, u8 flags, Id a, Id b = kNone, Id c = kNone) {
        if (failed_) return kNone;
        if (node_count_ == kMaxNodes) return fail();
        nodes_[node_count_] = {kind, flags, a, b, c};
        return node_count_++;
    }
    [[nodiscard]] Kind kind(Id id) const { return id >= kWordBase ? Kind::Word : nodes_[id].kind; }
    [[nodiscard]] const Node& node(Id id) const { return nodes_[id]; }

    bool push_sub(Id id) {
        if (failed_ || id == kNone) return false;
        if (sub_count_ == kMaxSubs) {
            fail();
            return false;
        }
        subs_[sub_count_++] = id;
        return true;
    }

    [[nodiscard]] usize scratch_mark() const { return scratch_top_; }
    void scratch_push(Id id) {
        if (failed_) return;
        if (scratch_top_ == kMaxScratch) {
            fail();
            return;
        }
        scratch_[scratch_top_++] = id;
    }
    // Moves the scratch entries above `mark` into a list.
    ListRef commit(usize mark) {
        const usize count = scratch_top_ - mark;
        scratch_top_ = mark;
        if (failed_) return {0, 0};
        if (item_count_ + count > kMaxItems) {
            fail();
            return {0, 0};
        }
        const ListRef list{static_cast<Id>(item_count_), static_cast<Id>(count)};
        for (usize i = 0; i < count; ++i) items_[item_count_++] = scratch_[mark + i];
        return list;
    }

    // Counts nesting; false (and the parse fails) beyond kMaxParseDepth.
    class Depth {
    public:
        explicit Depth(Demangler& d) : d_(d) {
            if (++d_.depth_ > kMaxParseDepth) d_.fail();
        }
        ~Depth() { --d_.depth_; }
        Depth(const Depth&) = delete;
        Depth& operator=(const Depth&) = delete;
        [[nodiscard]] bool ok() const { return !d_.failed_; }

    private:
        Demangler& d_;
    };

    // ---- Encodings and names ---------------------------------------------------

    Id parse_encoding(bool nested) {
        const Depth depth(*this);
        if (!depth.ok()) return kNone;
        if (peek() == 'T' || peek() == 'G') return parse_special_name();

        // An encoding's template parameters are its own: save the enclosing
        // ones (a local name's function, an address-of-function argument).
        Id saved[kMaxParams];
        usize saved_count = 0;
        if (nested) {
            saved_count = param_count_;
            for (usize i = 0; i < saved_count; ++i) saved[i] = params_[i];
        }
        const usize pending_mark = pending_count_;

        NameInfo info;
        const Id name = parse_name(&info);
        // Forward references (operator T_<...>) now have their arguments.
        for (usize i = pending_mark; i < pending_count_; ++i) {
            Node& ref = nodes_[pending_[i]];
            if (ref.a < param_count_) ref.b = params_[ref.a];
        }
        pending_count_ = pending_mark;

        Id result = name;
        if (!failed_ && at_end_of_encoding() && (info.cv != 0 || info.ref != kRefNone)) {
            // Only member functions have these; libiberty prints them anyway.
            result = make(Kind::Qual, static_cast<u8>(info.cv | info.ref << 3), name);
        } else if (!failed_ && !at_end_of_encoding()) {
            Id ret = kNone;
            if (info.template_args && !info.ctor_conv) ret = parse_type();
            const usize mark = scratch_mark();
            if (!eat('v')) {
                do {
                    scratch_push(parse_type());
                } while (!failed_ && !at_end_of_encoding());
            }
            const ListRef params = commit(mark);
            // A function template's arguments, for the T_ in its type.
            Id binding = kNone;
            if (info.template_args && param_count_ != 0) {
                const usize binding_mark = scratch_mark();
                for (usize i = 0; i < param_count_; ++i) scratch_push(params_[i]);
                const ListRef list = commit(binding_mark);
                binding = make(Kind::List, 0, list.start, list.count);
            }
            const Id list = make(Kind::List, 0, params.start, params.count, binding);
            result =
                make(Kind::Encoding, static_cast<u8>(info.cv | info.ref << 3), name, ret, list);
        }
        if (nested) {
            param_count_ = saved_count;
            for (usize i = 0; i < saved_count; ++i) params_[i] = saved[i];
        }
        return failed_ ? kNone : result;
    }

    Id parse_special_name() {
        const char first = peek();
        const char second = peek(1);
        skip(2);
        if (first == 'G') {
            if (second == 'V') return make(Kind::Special, 0, kGuardVariable, parse_name(nullptr));
            if (second != 'T' || !eat('t')) return fail();  // GTt: transactional memory
            return make(Kind::Special, 0, kTransactionClone, parse_encoding(true));
        }
        switch (second) {
            case 'V':
                return make(Kind::Special, 0, kVtable, parse_type());
            case 'T':
                return make(Kind::Special, 0, kVtt, parse_type());
            case 'I':
                return make(Kind::Special, 0, kTypeinfo, parse_type());
            case 'S':
                return make(Kind::Special, 0, kTypeinfoName, parse_type());
            case 'H':
                return make(Kind::Special, 0, kTlsInit, parse_name(nullptr));
            case 'W':
                return make(Kind::Special, 0, kTlsWrapper, parse_name(nullptr));
            case 'h':
                if (!skip_offset() || !eat('_')) return fail();
                return make(Kind::Special, 0, kNonVirtualThunk, parse_encoding(true));
            case 'v':
                if (!skip_offset() || !eat('_') || !skip_offset() || !eat('_')) return fail();
                return make(Kind::Special, 0, kVirtualThunk, parse_encoding(true));
            default:
                return fail();
        }
    }

    Id parse_name(NameInfo* info) {
        const Depth depth(*this);
        if (!depth.ok()) return kNone;
        if (peek() == 'N') return parse_nested_name(info);
        if (peek() == 'Z') return parse_local_name(info);
        bool is_sub = false;
        Id result = parse_unscoped_name(info, is_sub);
        if (failed_) return kNone;
        if (peek() == 'I') {
            if (!is_sub) push_sub(result);  // an unscoped template name is a candidate
            const ListRef args = parse_template_args(info != nullptr);
            if (info != nullptr) info->template_args = true;
            result = make(Kind::Template, 0, result, args.start, args.count);
        } else if (is_sub) {
            return fail();  // a substitution as a name must take template arguments
        }
        return result;
    }

    Id parse_unscoped_name(NameInfo* info, bool& is_sub) {
        Id scope = kNone;
        if (peek() == 'S') {
            if (peek(1) != 't') {
                is_sub = true;
                return parse_substitution(false);
            }
            skip(2);
            scope = kWordBase + kStd;
        }
        return parse_unqualified_name(info, scope);
    }

    Id parse_nested_name(NameInfo* info) {
        if (!eat('N')) return fail();
        u8 cv = 0;
        if (eat('r')) cv |= kRestrict;
        if (eat('V')) cv |= kVolatile;
        if (eat('K')) cv |= kConst;
        u8 ref = kRefNone;
        if (eat('R'))
            ref = kRefL;
        else if (eat('O'))
            ref = kRefR;

        Id so_far = kNone;
        usize pushed = 0;
        while (!eat('E')) {
            if (failed_ || pos_ >= len_) return fail();
            if (info != nullptr) info->template_args = false;
            const char c = peek();
            if (c == 'T') {
                if (so_far != kNone) return fail();
                so_far = parse_template_param();
            } else if (c == 'I') {
                if (so_far == kNone || kind(so_far) == Kind::Template) return fail();
                const ListRef args = parse_template_args(info != nullptr);
                if (info != nullptr) info->template_args = true;
                so_far = make(Kind::Template, 0, so_far, args.start, args.count);
            } else if (c == 'S' && so_far == kNone) {
                if (peek(1) == 't') {
                    skip(2);
                    so_far = kWordBase + kStd;
                } else {
                    so_far = parse_substitution(true);
                }
                continue;  // not a new candidate
            } else {
                so_far = parse_unqualified_name(info, so_far);
            }
            if (failed_ || so_far == kNone) return fail();
            push_sub(so_far);
            ++pushed;
            eat('M');  // <data-member-prefix>
        }
        if (so_far == kNone || pushed == 0) return fail();
        --sub_count_;  // the whole name is not a candidate (a type using it adds it)
        if (info != nullptr) {
            info->cv = cv;
            info->ref = ref;
        }
        nested_quals_ = static_cast<u8>(cv | ref << 3);  // after any inner names
        return so_far;
    }

    Id parse_local_name(NameInfo* info) {
        if (!eat('Z')) return fail();
        const Id encoding = parse_encoding(true);
        if (failed_ || !eat('E')) return fail();
        if (eat('s')) {
            skip_discriminator();
            return make(Kind::Local, 0, encoding, kWordBase + kStringLiteral);
        }
        const Id entity = parse_name(info);
        if (failed_) return kNone;
        skip_discriminator();
        return make(Kind::Local, 0, encoding, entity);
    }

    // <unqualified-name>, as a member of `scope` when there is one.
    Id parse_unqualified_name(NameInfo* info, Id scope) {
        eat('L');  // internal linkage (GCC)
        const char c = peek();
        Id result;
        if (c >= '1' && c <= '9') {
            result = parse_source_name(true);
        } else if (c == 'U') {
            result = parse_unnamed_type();
        } else if (c == 'C' || (c == 'D' && is_digit(peek(1)))) {
            if (scope == kNone) return fail();
            result = parse_ctor_dtor(info);
        } else {
            result = parse_operator_name(info);
        }
        const Id name = last_name_;
        while (!failed_ && eat('B')) {
            const Id tag = parse_source_name(false);
            result = make(Kind::AbiTag, 0, result, tag);
        }
        last_name_ = name;
        if (failed_) return kNone;
        if (scope != kNone) result = make(Kind::Nested, 0, scope, result);
        return result;
    }

    // <source-name> ::= <length> <identifier>
    Id parse_source_name(bool anonymous_namespace) {
        u32 length;
        if (!parse_number(length) || length == 0 || length > len_ - pos_) return fail();
        const usize start = pos_;
        for (usize i = 0; i < length; ++i)
            if (!is_name_char(in_[start + i])) return fail();
        pos_ += length;
        // _GLOBAL_ [._$] N ...: libiberty's test for the anonymous namespace.
        if (anonymous_namespace && length >= 10) {
            const char* s = in_ + start;
            const char* prefix = "_GLOBAL_";
            bool match = true;
            for (usize i = 0; i < 8; ++i) match &= s[i] == prefix[i];
            if (match && (s[8] == '.' || s[8] == '_' || s[8] == '$') && s[9] == 'N') {
                last_name_ = kWordBase + kAnonymousNamespace;
                return last_name_;
            }
        }
        last_name_ = make(Kind::Name, 0, static_cast<Id>(start), static_cast<Id>(length));
        return last_name_;
    }

    // A constructor or destructor is named after the last source name
    // parsed (outside template arguments and ABI tags), as libiberty does:
    // a lambda's destructor in f() is ~f().
    Id parse_ctor_dtor(NameInfo* info) {
        if (info != nullptr) info->ctor_conv = true;
        const char c = peek();
        const char n = peek(1);
        skip(2);
        if (last_name_ == kNone) return fail();
        if (c == 'C' && n >= '1' && n <= '5') return make(Kind::Ctor, 0, last_name_);
        if (c == 'D' && (n == '0' || n == '1' || n == '2' || n == '4' || n == '5'))
            return make(Kind::Ctor, 1, last_name_);
        return fail();  // CI1/CI2 (inheriting constructors) are not supported
    }

    Id parse_operator_name(NameInfo* info) {
        const char c0 = peek();
        const char c1 = peek(1);
        if (c0 == 'c' && c1 == 'v') {
            skip(2);
            const bool saved_args = try_template_args_;
            const bool saved_forward = forward_refs_;
            try_template_args_ = false;
            forward_refs_ = info != nullptr;
            const Id type = parse_type();
            try_template_args_ = saved_args;
            forward_refs_ = saved_forward;
            if (info != nullptr) info->ctor_conv = true;
            return make(Kind::Conversion, 0, type);
        }
        if (c0 == 'l' && c1 == 'i') {
            skip(2);
            return make(Kind::LiteralOp, 0, parse_source_name(false));
        }
        for (u16 i = 0; i < kOperatorCount; ++i) {
            if (kOperators[i].code[0] == c0 && kOperators[i].code[1] == c1) {
                skip(2);
                return static_cast<Id>(kOperatorBase + i);
            }
        }
        return fail();
    }

    // Ut [<number>] _  |  Ul <lambda-sig> E [<number>] _
    Id parse_unnamed_type() {
        const char what = peek(1);
        skip(2);
        if (what == 't') {
            u32 n = 0;
            const bool has = parse_number(n);
            if (!eat('_')) return fail();
            return make(Kind::Unnamed, 0, kNone, kNone, static_cast<Id>(has ? n + 2 : 1));
        }
        if (what != 'l') return fail();
        const usize mark = scratch_mark();
        if (!(peek() == 'v' && peek(1) == 'E')) {
            const char d = peek(1);
            if (peek() == 'T' && (d == 'y' || d == 'n' || d == 't' || d == 'p'))
                return fail();  // explicit template parameters
            while (!failed_ && peek() != 'E') {
                if (pos_ >= len_) return fail();
                scratch_push(parse_type());
            }
        } else {
            ++pos_;
        }
        const ListRef params = commit(mark);
        if (failed_ || !eat('E')) return fail();
        u32 n = 0;
        const bool has = parse_number(n);
        if (!eat('_')) return fail();
        return make(Kind::Lambda, 0, params.start, params.count, static_cast<Id>(has ? n + 2 : 1));
    }

    // S_ | S <seq-id> _ | Sa Sb Ss Si So Sd (St is handled by the callers).
    Id parse_substitution(bool in_prefix) {
        if (!eat('S')) return fail();
        const char c = peek();
        if (is_lower(c)) {
            u16 index;
            switch (c) {
                case 'a':
                    index = 0;
                    break;
                case 'b':
                    index = 1;
                    break;
                case 's':
                    index = 2;
                    break;
                case 'i':
                    index = 3;
                    break;
                case 'o':
                    index = 4;
                    break;
                case 'd':
                    index = 5;
                    break;
                default:
                    return fail();
            }
            ++pos_;
            // Before a constructor or destructor, libiberty spells it out.
            const bool full = in_prefix && (peek() == 'C' || peek() == 'D');
            last_name_ = static_cast<Id>(kWordBase + kSubAllocatorBase + index);
            return static_cast<Id>(kWordBase + kSubAllocator + index + (full ? kStdSubCount : 0));
        }
        usize index = 0;
        if (!eat('_')) {
            usize value = 0;
            usize digits = 0;
            while (is_digit(peek()) || is_upper(peek())) {
                const char d = in_[pos_++];
                value = value * 36 + static_cast<usize>(is_digit(d) ? d - '0' : d - 'A' + 10);
                if (++digits > 4) return fail();
            }
            if (digits == 0 || !eat('_')) return fail();
            index = value + 1;
        }
        if (index >= sub_count_) return fail();
        return subs_[index];
    }

    // T_ | T <number> _
    Id parse_template_param() {
        if (!eat('T')) return fail();
        u32 index = 0;
        if (!eat('_')) {
            if (!parse_number(index) || !eat('_')) return fail();
            ++index;
        }
        // Resolved when printed, against the template whose encoding is being
        // printed (libiberty's rule: a substitution may carry a T_ into
        // another template's context). What it refers to here is the
        // fallback for a T_ outside any function template.
        const Id here = !forward_refs_ && index < param_count_ ? params_[index] : kNone;
        const Id ref = make(Kind::TemplateParam, 0, static_cast<Id>(index), here);
        if (!failed_ && forward_refs_ && pending_count_ < kMaxPending)
            pending_[pending_count_++] = ref;
        return ref;
    }

    // I <template-arg>+ E. `bind`: these are the arguments of the name being
    // encoded, which T_, T0_... refer to.
    ListRef parse_template_args(bool bind) {
        if (!eat('I')) {
            fail();
            return {0, 0};
        }
        const bool saved_args = try_template_args_;
        const Id saved_name = last_name_;
        try_template_args_ = true;
        if (bind) param_count_ = 0;
        const usize mark = scratch_mark();
        while (!eat('E')) {
            if (failed_ || pos_ >= len_) {
                fail();
                break;
            }
            const Id arg = parse_template_arg();
            scratch_push(arg);
            if (bind && !failed_ && param_count_ < kMaxParams) {
                // A pack's parameter expands to the pack's elements.
                params_[param_count_++] = kind(arg) == Kind::ArgPack
                                              ? make(Kind::ParamPack, 0, node(arg).a, node(arg).b)
                                              : arg;
            }
        }
        try_template_args_ = saved_args;
        last_name_ = saved_name;
        return commit(mark);
    }

    Id parse_template_arg() {
        const Depth depth(*this);
        if (!depth.ok()) return kNone;
        switch (peek()) {
            case 'J': {
                ++pos_;
                const usize mark = scratch_mark();
                while (!eat('E')) {
                    if (failed_ || pos_ >= len_) return fail();
                    scratch_push(parse_template_arg());
                }
                const ListRef list = commit(mark);
                return make(Kind::ArgPack, 0, list.start, list.count);
            }
            case 'L':
                if (peek(1) == 'Z') {  // the address of a function or object
                    ++pos_;
                    return parse_encoding_literal();
                }
                return parse_expr_primary();
            case 'X':
                return fail();  // expressions are not supported
            default:
                return parse_type();
        }
    }

    // Z <encoding> E or _Z <encoding> E, after the L.
    Id parse_encoding_literal() {
        if (peek() == '_') ++pos_;
        if (!eat('Z')) return fail();
        const Id encoding = parse_encoding(true);
        if (failed_ || !eat('E')) return fail();
        return encoding;
    }

    // L <type> [n] <digits> E: an integer (or bool, char, enum) value.
    Id parse_expr_primary() {
        if (!eat('L')) return fail();
        if (peek() == '_' && peek(1) == 'Z') return parse_encoding_literal();
        const Id type = parse_type();
        if (failed_) return kNone;
        if (type >= kWordBase && type < kWordBase + kWordCount) {
            const Lit lit = kWords[type - kWordBase].lit;
            if (lit == Lit::Float || lit == Lit::None) return fail();
        }
        const bool negative = eat('n');
        const usize start = pos_;
        while (is_digit(peek())) ++pos_;
        const usize length = pos_ - start;
        if (!eat('E')) return fail();
        if (length == 0) {
            // nullptr as a template argument: just the type.
            if (type == kWordBase + kNullptr && !negative) return type;
            return fail();
        }
        return make(Kind::IntLiteral, negative ? 1 : 0, type, static_cast<Id>(start),
                    static_cast<Id>(length));
    }

    // ---- Types -------------------------------------------------------------------

    Id parse_type() {
        const Depth depth(*this);
        if (!depth.ok()) return kNone;
        Id result = kNone;
        const char c = peek();
        switch (c) {
            case 'r':
            case 'V':
            case 'K': {
                u8 cv = 0;
                if (eat('r')) cv |= kRestrict;
                if (eat('V')) cv |= kVolatile;
                if (eat('K')) cv |= kConst;
                if (peek() == 'F') {
                    // A member function's type, void () const: the unqualified
                    // function type is not a candidate.
                    const Id inner = parse_function_type();
                    if (failed_) return kNone;
                    const Node f = node(inner);
                    result = make(Kind::Function, static_cast<u8>(f.flags | cv), f.a, f.b, f.c);
                    break;
                }
                result = make(Kind::Qual, cv, parse_type());
                break;
            }
            case 'P':
                ++pos_;
                result = make(Kind::Pointer, 0, parse_type());
                break;
            case 'R':
                ++pos_;
                result = make(Kind::LRef, 0, parse_type());
                break;
            case 'O':
                ++pos_;
                result = make(Kind::RRef, 0, parse_type());
                break;
            case 'F':
                result = parse_function_type();
                break;
            case 'A':
                result = parse_array_type();
                break;
            case 'M': {
                ++pos_;
                const Id cls = parse_type();
                const Id member = parse_type();
                result = make(Kind::PtrMem, 0, member, cls);
                break;
            }
            case 'T':
                result = parse_template_param();
                if (!failed_ && try_template_args_ && peek() == 'I') {
                    push_sub(result);
                    const ListRef args = parse_template_args(false);
                    result = make(Kind::Template, 0, result, args.start, args.count);
                }
                break;
            case 'S':
                if (peek(1) != 't') {
                    bool is_sub = false;
                    result = parse_unscoped_name(nullptr, is_sub);
                    if (failed_) return kNone;
                    if (peek() == 'I' && (!is_sub || try_template_args_)) {
                        if (!is_sub) push_sub(result);
                        const ListRef args = parse_template_args(false);
                        result = make(Kind::Template, 0, result, args.start, args.count);
                    } else if (is_sub) {
                        return result;  // already a candidate
                    }
                    break;
                }
                result = parse_name(nullptr);
                break;
            case 'D': {
                const char d = peek(1);
                if (d == 'p') {
                    skip(2);
                    result = make(Kind::Expansion, 0, parse_type());
                    break;
                }
                const u16 builtin = d_builtin_of(d);
                if (builtin == kNone) return fail();  // decltype, vectors, _FloatN...
                skip(2);
                return static_cast<Id>(kWordBase + builtin);
            }
            case 'u':
                ++pos_;
                result = parse_source_name(false);  // a vendor extended type
                break;
            case 'N':
                nested_quals_ = 0;
                result = parse_name(nullptr);
                if (!failed_ && nested_quals_ != 0)
                    result = make(Kind::Qual, nested_quals_, result);
                break;
            case 'Z':
                result = parse_name(nullptr);
                break;
            default:
                if (c >= '1' && c <= '9') {
                    result = parse_name(nullptr);
                    break;
                }
                if (builtin_of(c) != kNone) {
                    ++pos_;
                    return static_cast<Id>(kWordBase + builtin_of(c));
                }
                return fail();  // C/G (complex), U (vendor qualifier), ...
        }
        if (failed_) return kNone;
        push_sub(result);
        return result;
    }

    // F [Y] <return type> <parameter types> [R|O] E
    Id parse_function_type() {
        if (!eat('F')) return fail();
        eat('Y');
        const Id ret = parse_type();
        u8 ref = kRefNone;
        const usize mark = scratch_mark();
        for (;;) {
            if (failed_ || pos_ >= len_) {
                fail();
                break;
            }
            if (eat('E')) break;
            if (eat('v')) continue;
            if (peek() == 'R' && peek(1) == 'E') {
                skip(2);
                ref = kRefL;
                break;
            }
            if (peek() == 'O' && peek(1) == 'E') {
                skip(2);
                ref = kRefR;
                break;
            }
            scratch_push(parse_type());
        }
        const ListRef params = commit(mark);
        return make(Kind::Function, static_cast<u8>(ref << 3), ret, params.start, params.count);
    }

    // A <digits> _ <type> | A _ <type> | A <template-param> _ <type>
    Id parse_array_type() {
        if (!eat('A')) return fail();
        if (peek() == 'T') {  // T (&array)[N]
            const Id dimension = parse_template_param();
            if (failed_ || !eat('_')) return fail();
            const Id element = parse_type();
            return make(Kind::Array, 1, element, dimension);
        }
        const usize start = pos_;
        while (is_digit(peek())) ++pos_;
        const usize length = pos_ - start;
        if (!eat('_')) return fail();  // other <expression>s are not supported
        const Id element = parse_type();
        return make(Kind::Array, 0, element, static_cast<Id>(start), static_cast<Id>(length));
    }

    // ---- Output ------------------------------------------------------------------

    void put(char c) {
        if (opos_ < cap_) out_[opos_] = c;
        ++opos_;
        last_ = c;
    }
    void put(const char* s) {
        while (*s != '\0') put(*s++);
    }
    void put_input(usize offset, usize length) {
        for (usize i = 0; i < length; ++i) put(in_[offset + i]);
    }
    void put_number(u32 value) {
        char digits[10];
        usize n = 0;
        do {
            digits[n++] = static_cast<char>('0' + value % 10);
            value /= 10;
        } while (value != 0);
        while (n != 0) put(digits[--n]);
    }
    // The character put last, for the spacing rules. As in libiberty, taking
    // back an empty element's ", " leaves it at the ' ': `A<B<int>>` when the
    // last argument of A is an empty pack, `A<B<int> >` otherwise.
    [[nodiscard]] char last() const { return last_; }

    void put_word(Id id) {
        if (id >= kOperatorBase)
            put(kOperators[id - kOperatorBase].text);
        else
            put(kWords[id - kWordBase].text);
    }

    void put_quals(u8 cv) {
        if (cv & kConst) put(" const");
        if (cv & kVolatile) put(" volatile");
        if (cv & kRestrict) put(" restrict");
    }

    // Limits every print call: depth, steps, and output length.
    class PrintStep {
    public:
        explicit PrintStep(Demangler& d) : d_(d) {
            if (++d_.print_depth_ > kMaxPrintDepth || d_.fuel_ == 0 || d_.opos_ > kMaxOutput)
                d_.failed_ = true;
            else
                --d_.fuel_;
        }
        ~PrintStep() { --d_.print_depth_; }
        PrintStep(const PrintStep&) = delete;
        PrintStep& operator=(const PrintStep&) = delete;
        [[nodiscard]] bool ok() const { return !d_.failed_; }

    private:
        Demangler& d_;
    };

    // ---- Pack expansion ------------------------------------------------------

    static constexpr Id kNoPack = kNone;

    // A parameter pack met while printing a pack expansion sets the number
    // of elements to print; outside of one, its first element is printed.
    Id pack_element(Id pack) {
        const Node& n = node(pack);
        if (pack_max_ == kNoPack) {
            pack_max_ = n.b;
            pack_index_ = 0;
        }
        return pack_index_ < n.b ? items_[n.a + pack_index_] : kNone;
    }

    // The argument a template parameter stands for: the innermost function
    // template being printed has it at `level` (then `level` becomes that of
    // the template enclosing it); outside of one, what the parameter
    // referred to where it was parsed. kNone when unknown.
    Id resolve(Id param, u32& level) const {
        const Node& n = node(param);
        if (level == 0) return n.b;
        const Node& list = node(templates_[--level]);
        return n.a < list.b ? items_[list.a + n.a] : n.b;
    }

    // What a node prints as: through template parameters and the current
    // element of a pack (kNone for an exhausted pack).
    Id syntax(Id id) {
        u32 level = level_;
        for (u32 i = 0; i < kMaxLoop && id != kNone; ++i) {
            const Kind k = kind(id);
            if (k == Kind::ParamPack)
                id = pack_element(id);
            else if (k == Kind::TemplateParam && lambda_depth_ == 0)
                id = resolve(id, level);
            else
                return id;
        }
        return kNone;
    }

    // Whether a type prints with a part after the declarator: an array's
    // bounds, a function's parameters.
    bool has_right(Id id) {
        for (u32 i = 0; i < kMaxLoop; ++i) {
            id = syntax(id);
            if (id == kNone) return false;
            switch (kind(id)) {
                case Kind::Array:
                case Kind::Function:
                    return true;
                case Kind::Qual:
                case Kind::Pointer:
                case Kind::LRef:
                case Kind::RRef:
                case Kind::PtrMem:  // a = the member's type
                    id = node(id).a;
                    break;
                default:
                    return false;
            }
        }
        return false;
    }
    bool is_kind(Id id, Kind wanted) {
        for (u32 i = 0; i < kMaxLoop; ++i) {
            id = syntax(id);
            if (id == kNone) return false;
            if (kind(id) != Kind::Qual) return kind(id) == wanted;
            id = node(id).a;
        }
        return false;
    }

    // ---- Printing ----------------------------------------------------------------

    void print_node(Id id) {
        print_left(id);
        print_right(id);
    }

    // The elements of a list, comma-separated. Empty elements (empty packs)
    // at the end take their commas away; elsewhere they keep them, as in
    // libiberty, whose lists are chains: `f<, int>`, `f<int, , char>`.
    void print_list(Id start, Id count) {
        usize keep = opos_;
        for (Id i = 0; i < count && !failed_; ++i) {
            if (i != 0) put(", ");
            const usize before = opos_;
            print_node(items_[start + i]);
            if (i == 0 || opos_ != before) keep = opos_;
        }
        opos_ = keep;
    }

    // A reference to a reference collapses: & wins over &&.
    void print_reference(Id id, bool left) {
        // libiberty resolves the T_ of a T_& in the templates of the first
        // place it printed it, also where a substitution brings it back.
        Id saved[kMaxTemplates];
        const u32 saved_level = level_;
        bool swapped = false;
        if (kind(node(id).a) == Kind::TemplateParam && lambda_depth_ == 0) {
            Node& ref = nodes_[id];
            if (ref.b == kNone) {
                if (scope_count_ < kMaxScopes) {
                    Scope& scope = scopes_[scope_count_];
                    scope.level = level_;
                    for (u32 i = 0; i < level_; ++i) scope.templates[i] = templates_[i];
                    ref.b = static_cast<Id>(scope_count_++);
                }
            } else {
                // All of the stack: entries above level_ may be suspended
                // (see the TemplateParam case of print_left).
                const Scope& scope = scopes_[ref.b];
                for (u32 i = 0; i < kMaxTemplates; ++i) saved[i] = templates_[i];
                for (u32 i = 0; i < scope.level; ++i) templates_[i] = scope.templates[i];
                level_ = scope.level;
                swapped = true;
            }
        }
        print_reference_in_scope(id, left);
        if (swapped) {
            for (u32 i = 0; i < kMaxTemplates; ++i) templates_[i] = saved[i];
            level_ = saved_level;
        }
    }

    void print_reference_in_scope(Id id, bool left) {
        Kind rk = kind(id);
        Id pointee = node(id).a;
        for (u32 i = 0; i < kMaxLoop; ++i) {
            const Id s = syntax(pointee);
            if (s == kNone || (kind(s) != Kind::LRef && kind(s) != Kind::RRef)) break;
            if (kind(s) == Kind::LRef) rk = Kind::LRef;
            pointee = node(s).a;
        }
        const bool array = is_kind(pointee, Kind::Array);
        const bool paren = array || is_kind(pointee, Kind::Function);
        if (left) {
            print_left(pointee);
            if (array) put(' ');
            if (paren) put('(');
            put(rk == Kind::LRef ? "&" : "&&");
        } else {
            if (paren) put(')');
            print_right(pointee);
        }
    }

    void print_encoding(Id id, bool with_return) {
        const Node& n = node(id);
        const Id binding = node(n.c).c;
        const u32 saved_level = level_;
        Id overwritten = kNone;  // a suspended entry (see the TemplateParam case of print_left)
        if (binding != kNone) {
            if (level_ == kMaxTemplates) {
                failed_ = true;
                return;
            }
            overwritten = templates_[level_];
            templates_[level_++] = binding;
        }
        const Id ret = with_return ? n.b : kNone;
        if (ret != kNone) {
            print_left(ret);
            if (!has_right(ret)) put(' ');
        }
        print_node(n.a);
        put('(');
        const Node& list = node(n.c);
        print_list(list.a, list.b);
        put(')');
        if (ret != kNone) print_right(ret);
        put_quals(static_cast<u8>(n.flags & 7));
        const u8 ref = static_cast<u8>(n.flags >> 3);
        if (ref == kRefL) put(" &");
        if (ref == kRefR) put(" &&");
        level_ = saved_level;
        if (binding != kNone) templates_[level_] = overwritten;
    }

    void print_literal(const Node& n) {
        Lit lit = Lit::Default;
        if (n.a >= kWordBase && n.a < kWordBase + kWordCount) lit = kWords[n.a - kWordBase].lit;
        const bool zero = n.c == 1 && in_[n.b] == '0';
        const bool one = n.c == 1 && in_[n.b] == '1';
        if (lit == Lit::Bool && n.flags == 0 && (zero || one)) {
            put(one ? "true" : "false");
            return;
        }
        if (lit == Lit::Default || lit == Lit::Bool) {
            put('(');
            print_node(n.a);
            put(')');
        }
        if (n.flags != 0) put('-');
        put_input(n.b, n.c);
        switch (lit) {
            case Lit::Unsigned:
                put('u');
                break;
            case Lit::Long:
                put('l');
                break;
            case Lit::ULong:
                put("ul");
                break;
            case Lit::LongLong:
                put("ll");
                break;
            case Lit::ULongLong:
                put("ull");
                break;
            default:
                break;
        }
    }

    void print_left(Id id) {
        const PrintStep step(*this);
        if (!step.ok() || id == kNone) return;
        if (id >= kWordBase) {
            put_word(id);
            return;
        }
        const Node& n = node(id);
        switch (n.kind) {
            case Kind::Word:
                break;
            case Kind::Name:
                put_input(n.a, n.b);
                break;
            case Kind::Nested:
                print_node(n.a);
                put("::");
                print_node(n.b);
                break;
            case Kind::Template:
                print_node(n.a);
                if (last() == '<') put(' ');
                put('<');
                print_list(n.b, n.c);
                if (last() == '>') put(' ');
                put('>');
                break;
            case Kind::ArgPack:
                print_list(n.a, n.b);
                break;
            case Kind::ParamPack: {
                const Id element = pack_element(id);
                if (element != kNone) print_left(element);
                break;
            }
            case Kind::Expansion: {
                const Id saved_index = pack_index_;
                const Id saved_max = pack_max_;
                pack_index_ = kNoPack;
                pack_max_ = kNoPack;
                const usize start = opos_;
                const char start_last = last_;
                print_node(n.a);
                if (pack_max_ == kNoPack) {
                    // No pack inside: the pattern as written, as libiberty does.
                    const Kind k = kind(n.a);
                    if (k != Kind::Name && k != Kind::Nested) {
                        opos_ = start;
                        last_ = start_last;
                        put('(');
                        print_node(n.a);
                        put(')');
                    }
                    put("...");
                } else if (pack_max_ == 0) {
                    opos_ = start;  // an empty pack: nothing at all
                    last_ = start_last;
                } else {
                    for (Id i = 1; i < pack_max_ && !failed_; ++i) {
                        put(", ");
                        pack_index_ = i;
                        print_node(n.a);
                    }
                }
                pack_index_ = saved_index;
                pack_max_ = saved_max;
                break;
            }
            case Kind::Qual: {
                // const on a T_ that is already const prints once; on a
                // function type (through a T_) not at all.
                if (is_kind(n.a, Kind::Function)) {
                    print_left(n.a);
                    break;
                }
                u8 cv = n.flags & 7;
                Id inner = n.a;
                for (u32 i = 0; i < kMaxLoop; ++i) {
                    const Id s = syntax(inner);
                    if (s == kNone || kind(s) != Kind::Qual) break;
                    cv |= node(s).flags & 7;
                    inner = node(s).a;
                }
                print_left(inner);
                put_quals(cv);
                const u8 ref = static_cast<u8>(n.flags >> 3);
                if (ref == kRefL) put(" &");
                if (ref == kRefR) put(" &&");
                break;
            }
            case Kind::Pointer: {
                print_left(n.a);
                const bool array = is_kind(n.a, Kind::Array);
                if (array) put(' ');
                if (array || is_kind(n.a, Kind::Function)) put('(');
                put('*');
                break;
            }
            case Kind::LRef:
            case Kind::RRef:
                print_reference(id, true);
                break;
            case Kind::Array:
                print_left(n.a);
                break;
            case Kind::Function:
                print_left(n.a);
                if (!has_right(n.a)) put(' ');
                break;
            case Kind::PtrMem: {
                print_left(n.a);
                if (is_kind(n.a, Kind::Array))
                    put(" (");
                else if (is_kind(n.a, Kind::Function))
                    put('(');
                else
                    put(' ');
                print_node(n.b);
                put("::*");
                break;
            }
            case Kind::Encoding:
                print_encoding(id, true);
                break;
            case Kind::List:
                print_list(n.a, n.b);
                break;
            case Kind::Local:
                if (kind(n.a) == Kind::Encoding)
                    print_encoding(n.a, false);
                else
                    print_node(n.a);
                put("::");
                print_node(n.b);
                break;
            case Kind::Ctor:
                if (n.flags != 0) put('~');
                print_node(n.a);
                break;
            case Kind::AbiTag:
                print_node(n.a);
                put("[abi:");
                print_node(n.b);
                put(']');
                break;
            case Kind::Conversion:
                put("operator ");
                print_node(n.a);
                break;
            case Kind::LiteralOp:
                put("operator\"\" ");
                print_node(n.a);
                break;
            case Kind::Lambda:
                put("{lambda(");
                ++lambda_depth_;
                print_list(n.a, n.b);
                --lambda_depth_;
                put(")#");
                put_number(n.c);
                put('}');
                break;
            case Kind::Unnamed:
                put("{unnamed type#");
                put_number(n.c);
                put('}');
                break;
            case Kind::IntLiteral:
                print_literal(n);
                break;
            case Kind::Special:
                put(kWords[n.a].text);
                print_node(n.b);
                break;
            case Kind::Clone:
                print_node(n.a);
                put(" [clone ");
                put_input(n.b, n.c);
                put(']');
                break;
            case Kind::TemplateParam: {
                if (lambda_depth_ != 0) {  // a generic lambda's parameter
                    put("auto:");
                    put_number(n.a + 1u);
                    break;
                }
                u32 level = level_;
                const Id argument = resolve(id, level);
                if (argument == kNone) {
                    put('T');  // an argument we do not know: T_ is T, T0_ T0...
                    if (n.a != 0) put_number(n.a - 1u);
                    break;
                }
                const u32 saved_level = level_;
                level_ = level;  // the argument is in the enclosing template's terms
                print_left(argument);
                level_ = saved_level;
                break;
            }
        }
    }

    void print_right(Id id) {
        const PrintStep step(*this);
        if (!step.ok() || id == kNone || id >= kWordBase) return;
        const Node& n = node(id);
        switch (n.kind) {
            case Kind::ParamPack: {
                const Id element = pack_element(id);
                if (element != kNone) print_right(element);
                break;
            }
            case Kind::Qual:
                print_right(n.a);
                break;
            case Kind::Pointer:
                if (is_kind(n.a, Kind::Array) || is_kind(n.a, Kind::Function)) put(')');
                print_right(n.a);
                break;
            case Kind::LRef:
            case Kind::RRef:
                print_reference(id, false);
                break;
            case Kind::Array:
                if (last() != ']') put(' ');
                put('[');
                if (n.flags != 0)
                    print_node(n.b);
                else
                    put_input(n.b, n.c);
                put(']');
                print_right(n.a);
                break;
            case Kind::Function:
                put('(');
                print_list(n.b, n.c);
                put(')');
                print_right(n.a);
                put_quals(static_cast<u8>(n.flags & 7));
                if ((n.flags >> 3) == kRefL) put(" &");
                if ((n.flags >> 3) == kRefR) put(" &&");
                break;
            case Kind::PtrMem:
                if (is_kind(n.a, Kind::Array) || is_kind(n.a, Kind::Function)) put(')');
                print_right(n.a);
                break;
            case Kind::TemplateParam: {
                if (lambda_depth_ != 0) break;
                u32 level = level_;
                const Id argument = resolve(id, level);
                const u32 saved_level = level_;
                level_ = level;
                print_right(argument);
                level_ = saved_level;
                break;
            }
            default:
                break;
        }
    }

    // Input.
    const char* in_;
    usize len_;
    usize pos_ = 0;
    bool failed_ = false;
    u32 depth_ = 0;

    // Parse state.
    bool try_template_args_ = true;  // false in a conversion operator's type
    bool forward_refs_ = false;      // T_ may refer to arguments not yet parsed
    Id last_name_ = kNone;           // the last source name (constructors' names)
    u8 nested_quals_ = 0;            // the last N...E's cv | ref << 3
    usize node_count_ = 0;
    usize item_count_ = 0;
    usize scratch_top_ = 0;
    usize sub_count_ = 0;
    usize param_count_ = 0;
    usize pending_count_ = 0;
    Node nodes_[kMaxNodes];
    Id items_[kMaxItems];
    Id scratch_[kMaxScratch];
    Id subs_[kMaxSubs];
    Id params_[kMaxParams];
    Id pending_[kMaxPending];

    // Print state.
    char* out_ = nullptr;
    usize cap_ = 0;
    usize opos_ = 0;
    char last_ = '\0';
    u32 print_depth_ = 0;
    u32 fuel_ = kPrintFuel;
    Id pack_index_ = kNoPack;
    Id pack_max_ = kNoPack;
    Id templates_[kMaxTemplates] = {};  // the arguments of the function templates being printed
    u32 level_ = 0;                     // how many
    u32 lambda_depth_ = 0;              // printing a lambda's signature
    struct Scope {
        u32 level;
        Id templates[kMaxTemplates];
    };
    Scope scopes_[kMaxScopes];  // where each T_& printed first (print_reference)
    usize scope_count_ = 0;
};

}  // namespace

ktl::string_view demangle(ktl::string_view mangled, ktl::span<char> out, DemangleStatus* status) {
    DemangleStatus ignored;
    DemangleStatus& result = status != nullptr ? *status : ignored;
    if (!mangled.starts_with("_Z")) {
        result = DemangleStatus::NotMangled;
        return mangled;
    }
    result = DemangleStatus::Failed;
    if (out.empty() || mangled.size() > kMaxMangledLength) return mangled;

    Demangler demangler(mangled.data(), mangled.size());
    const Id root = demangler.parse();
    if (root == kNone) return mangled;
    const usize length = demangler.print(root, out);
    if (length == 0) return mangled;
    if (length <= out.size()) {
        result = DemangleStatus::Demangled;
        return {out.data(), length};
    }
    const usize shown = out.size();
    for (usize i = shown >= 3 ? shown - 3 : 0; i < shown; ++i) out[i] = '.';
    result = DemangleStatus::Truncated;
    return {out.data(), shown};
}

}  // namespace kernel::debug

// libFuzzer target: the command-line tokenizer and the kernel's option
// parser on arbitrary bytes (not NUL-terminated, so ASan flags any read past
// the end). Every view handed out must lie inside the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>

#include "kernel/boot/cmdline.hpp"
#include "kernel/boot/kernel_options.hpp"

namespace {

#define FUZZ_CHECK(cond)  \
    do {                  \
        if (!(cond)) {    \
            std::abort(); \
        }                 \
    } while (0)

bool inside(ktl::string_view part, ktl::string_view whole) {
    if (part.empty()) return true;
    return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const ktl::string_view line(reinterpret_cast<const char*>(data), size);

    boot::cmdline::Tokenizer tokens(line);
    boot::cmdline::Token token;
    size_t count = 0;
    while (tokens.next(token)) {
        FUZZ_CHECK(++count <= size);  // Every token consumes input.
        FUZZ_CHECK(!token.text.empty() && inside(token.text, line));
        FUZZ_CHECK(!boot::cmdline::describe(token.error).empty());
        if (token.error == boot::cmdline::SyntaxError::None) {
            FUZZ_CHECK(!token.option.key.empty());
            FUZZ_CHECK(inside(token.option.key, token.text));
            FUZZ_CHECK(inside(token.option.value, token.text));
            FUZZ_CHECK(token.option.has_value || token.option.value.empty());
            char buffer[16];
            const usize n = boot::cmdline::unescape(token.option.value, buffer);
            FUZZ_CHECK(n <= sizeof(buffer) && n <= token.option.value.size());
        }
    }

    for (const char* key : {"console", "test", "loglevel"}) {
        auto found = boot::cmdline::lookup(line, key);
        if (found) FUZZ_CHECK(inside(found->key, line) && inside(found->value, line));
    }

    boot::KernelOptions options;
    boot::UnknownSink sink;
    boot::parse_options(line, options, sink);
    FUZZ_CHECK(sink.count <= boot::UnknownSink::kCapacity);
    FUZZ_CHECK(inside(options.test_name, line) && inside(options.crash, line));
    FUZZ_CHECK(inside(options.image_path, line));
    for (const boot::RejectedOption& r : sink.list()) {
        FUZZ_CHECK(inside(r.text, line) && inside(r.key, line) && inside(r.value, line));
        FUZZ_CHECK(!boot::describe(r.problem).empty());
    }
    FUZZ_CHECK(!boot::name(options.console).empty() && !boot::name(options.log_level).empty());
    return 0;
}

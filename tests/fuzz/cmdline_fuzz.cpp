// libFuzzer target: the command-line tokenizer and the kernel's option
// parser on arbitrary bytes (not NUL-terminated, so ASan flags any read past
// the end). Every view handed out must lie inside the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include "fuzz_check.hpp"

#include "kernel/options/cmdline.hpp"
#include "kernel/options/kernel_options.hpp"

namespace {

bool inside(ktl::string_view part, ktl::string_view whole) {
    if (part.empty()) return true;
    return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const ktl::string_view line(reinterpret_cast<const char*>(data), size);

    kernel::cmdline::Tokenizer tokens(line);
    kernel::cmdline::Token token;
    size_t count = 0;
    while (tokens.next(token)) {
        FUZZ_CHECK(++count <= size);  // Every token consumes input.
        FUZZ_CHECK(!token.text.empty() && inside(token.text, line));
        FUZZ_CHECK(!kernel::cmdline::describe(token.error).empty());
        if (token.error == kernel::cmdline::SyntaxError::None) {
            FUZZ_CHECK(!token.option.key.empty());
            FUZZ_CHECK(inside(token.option.key, token.text));
            FUZZ_CHECK(inside(token.option.value, token.text));
            FUZZ_CHECK(token.option.has_value || token.option.value.empty());
            char buffer[16];
            const usize n = kernel::cmdline::unescape(token.option.value, buffer);
            FUZZ_CHECK(n <= sizeof(buffer) && n <= token.option.value.size());
        }
    }

    for (const char* key : {"console", "test", "loglevel"}) {
        auto found = kernel::cmdline::lookup(line, key);
        if (found) FUZZ_CHECK(inside(found->key, line) && inside(found->value, line));
    }

    kernel::options::KernelOptions options;
    kernel::options::UnknownSink sink;
    kernel::options::parse_options(line, options, sink);
    FUZZ_CHECK(sink.count <= kernel::options::UnknownSink::kCapacity);
    FUZZ_CHECK(inside(options.test_name, line) && inside(options.crash, line));
    FUZZ_CHECK(inside(options.image_path, line));
    for (const kernel::options::RejectedOption& r : sink.list()) {
        FUZZ_CHECK(inside(r.text, line) && inside(r.key, line) && inside(r.value, line));
        FUZZ_CHECK(!kernel::options::describe(r.problem).empty());
    }
    FUZZ_CHECK(!kernel::options::name(options.console).empty() &&
               !kernel::options::name(options.log_level).empty());
    return 0;
}

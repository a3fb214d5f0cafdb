// Must compile: proves that the compile_fail cases fail for their stated
// reason rather than because of the include path or the flags.
#include "lib/address.hpp"
#include "lib/format/format.hpp"

struct Out {
    void put(char) {}
};

enum class Colour : u8 { red };

void use(Out& out, int i, unsigned u, ktl::string_view sv, const char* cs, const void* p) {
    kfmt::format_to(out, "{} {:#x} {:+08} {:>10} {:.3} {:p} {:c} {}", i, u, i, sv, cs, p, i, true);
    kfmt::format_to(out, "{1} {0:d}", 'c', static_cast<u8>(Colour::red));
    kfmt::Buffer<32> buffer;
    kfmt::format_to(buffer, "{{}} {}", "literal");
    char small[8];
    kfmt::format_to_n(small, sizeof(small), "{:*^7}", i);
    // Custom types through their kfmt::Formatter.
    const PhysRange range = PhysRange::from_size(0x1000, 0x1000);
    kfmt::format_to(buffer, "{} {:#018x} {} {:>20}", PhysAddr{0x1000}, VirtAddr{0x2000}, range,
                    range);
}

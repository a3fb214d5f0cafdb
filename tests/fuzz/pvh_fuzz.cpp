// libFuzzer target: boot::pvh::decode() on arbitrary bytes served as
// physical memory. The input is the memory from kBase on: the start info at
// its beginning, and whatever its addresses point at (inside or outside the
// input). Any read outside the input is caught by ASan, UB by UBSan; the
// checks below catch results that are inconsistent with the input.
#include <cstddef>
#include <cstdint>
#include <memory>
#include "fuzz_check.hpp"

#include "boot/pvh/start_info.hpp"

namespace {

constexpr uint64_t kBase = 0x1000;
const uint8_t* g_data = nullptr;
size_t g_size = 0;

const u8* read(u64 phys, u64 size) {
    if (phys < kBase || phys - kBase > g_size || size > g_size - (phys - kBase)) return nullptr;
    return g_data + (phys - kBase);
}

bool inside(PhysAddr start, uint64_t size) { return read(start.value(), size) != nullptr; }

void check(const boot::pvh::DecodeResult& result, const boot::BootParams& p) {
    FUZZ_CHECK(!boot::pvh::describe(result.error).empty());
    if (!result.ok()) return;
    FUZZ_CHECK(p.protocol == ktl::string_view("PVH"));
    FUZZ_CHECK(inside(p.info_phys, p.info_size));
    FUZZ_CHECK(p.cmdline.length <= p.cmdline.capacity());
    FUZZ_CHECK(p.cmdline.chars[p.cmdline.length] == '\0');
    FUZZ_CHECK(p.memory_count <= boot::BootParams::kMaxMemoryRegions);
    for (const boot::MemoryRegion& r : p.memory_map())
        FUZZ_CHECK(r.length == 0 || r.base + (r.length - 1) >= r.base);
    FUZZ_CHECK(p.module_count <= boot::BootParams::kMaxModules);
    for (const boot::Module& m : p.module_list())
        FUZZ_CHECK(m.start != PhysAddr{0} && m.end >= m.start);
    if (p.untracked_modules.count != 0)
        FUZZ_CHECK(p.untracked_modules.end >= p.untracked_modules.start);
    if (p.rsdp.present) FUZZ_CHECK(inside(p.rsdp.phys, 20));
    FUZZ_CHECK(!p.framebuffer.present);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static auto* params = new boot::BootParams;
    // An exact-size copy, so ASan sees any read past the input.
    std::unique_ptr<uint8_t[]> copy(new uint8_t[size == 0 ? 1 : size]);
    __builtin_memcpy(copy.get(), data, size);
    g_data = copy.get();
    g_size = size;
    check(boot::pvh::decode(kBase, read, *params), *params);
    return 0;
}

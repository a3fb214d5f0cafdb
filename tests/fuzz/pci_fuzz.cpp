// Fuzzes PCI enumeration over a fake configuration space built from the
// input (tests/host/pci_fake.hpp): up to 16 functions, each
//   [bus] [device << 3 | function] [n] n bytes of configuration space
//   [m] m bytes of its write mask (which bits writes may change)
// so bridges may point anywhere (themselves, loops, bus 0), BARs take any
// value and size, and capability lists any shape. An input of odd length
// gets a small access budget from its last byte (16 to 526), so the walk
// is cut at every point a probe can be. Enumeration must end within its
// access budget, touch nothing outside the 256-byte spaces, never write a
// BAR while decoding is on, and leave every space as it found it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "drivers/pci/enumerate.hpp"
#include "pci_fake.hpp"

namespace {

void check(bool ok) {
    if (!ok) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    pci_fake::FakeConfigSpace space;
    size_t at = 0;
    while (at + 3 <= size && space.functions.size() < 16) {
        const drivers::pci::Address a{data[at], static_cast<uint8_t>(data[at + 1] >> 3),
                                      static_cast<uint8_t>(data[at + 1] & 7)};
        pci_fake::FakeFunction f{};
        f.address = a;
        size_t n = data[at + 2];
        at += 3;
        if (n > size - at) n = size - at;
        std::memcpy(f.bytes, data + at, n);
        at += n;
        if (at < size) {
            size_t m = data[at++];
            if (m > size - at) m = size - at;
            std::memcpy(f.writable, data + at, m);
            at += m;
        }
        // The decode enables are read-write wherever BARs are (PCI 3.0,
        // 6.2.2): with them hardwired on, the probe could not turn them off.
        f.writable[0x04] |= 0x03;
        space.functions.push_back(f);
    }
    const std::vector<pci_fake::FakeFunction> before = space.functions;

    const uint32_t budget =
        size % 2 == 1 ? 16 + 2 * uint32_t{data[size - 1]} : drivers::pci::kMaxAccesses;
    std::vector<drivers::pci::Function> out(8);
    const drivers::pci::Enumeration r =
        drivers::pci::enumerate(space, {out.data(), out.size()}, budget);

    check(r.kept <= out.size() && r.kept <= r.functions);
    check(r.accesses <= budget);
    check(space.reads + space.writes == r.accesses);
    check(r.buses_scanned >= 1 && r.buses_scanned <= 256);
    check(r.problem_count <= drivers::pci::Enumeration::kMaxProblems);
    check(space.bad_accesses == 0);
    check(space.bar_writes_while_decoding == 0);
    for (size_t i = 0; i < space.functions.size(); ++i)
        check(std::memcmp(space.functions[i].bytes, before[i].bytes, 256) == 0);
    for (uint32_t i = 0; i < r.kept; ++i) {
        const drivers::pci::Function& f = out[i];
        check(f.capability_count <= drivers::pci::Function::kMaxCapabilities);
        check(f.capabilities_total <= drivers::pci::kMaxCapabilityHops);
        check(f.bar_count <= drivers::pci::Function::kMaxBars);
        for (const drivers::pci::Bar& bar : f.bars)
            check((bar.size & (bar.size - 1)) == 0);  // zero or a power of two
        if (i > 0)
            check(out[i - 1].address.key() < f.address.key() || out[i - 1].address == f.address);
    }
    return 0;
}

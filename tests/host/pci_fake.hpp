// A fake PCI configuration space for the host tests and the fuzzer: a few
// functions, each 256 bytes with a per-byte mask of what writes may change
// (so BAR probes read back their size, as hardware answers), everything
// else reading all ones. It records writes to a BAR made while the
// function's decoding was on, which enumeration must never do (but on a
// host bridge, whose decoding stays on).
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "drivers/pci/config_access.hpp"

namespace pci_fake {

using drivers::pci::Address;

struct FakeFunction {
    Address address;
    uint8_t bytes[256];
    uint8_t writable[256];
    uint32_t command_writes = 0;
};

class FakeConfigSpace final : public drivers::pci::ConfigAccess {
public:
    // A function with the given IDs and class, header type `header`
    // (0x80 for multifunction), everything else zero and read-only except
    // the command register.
    FakeFunction& add(Address a, uint16_t vendor, uint16_t device, uint8_t class_code,
                      uint8_t subclass, uint8_t header = 0) {
        FakeFunction f{};
        f.address = a;
        put16(f, 0x00, vendor);
        put16(f, 0x02, device);
        f.bytes[0x0A] = subclass;
        f.bytes[0x0B] = class_code;
        f.bytes[0x0E] = header;
        f.writable[0x04] = 0xFF;
        f.writable[0x05] = 0xFF;
        functions.push_back(f);
        return functions.back();
    }
    FakeFunction& bridge(Address a, uint8_t primary, uint8_t secondary, uint8_t subordinate) {
        FakeFunction& f = add(a, 0x1b36, 0x0001, 0x06, 0x04, 0x01);
        f.bytes[0x18] = primary;
        f.bytes[0x19] = secondary;
        f.bytes[0x1A] = subordinate;
        return f;
    }
    // A memory BAR of `size` bytes (a power of two, at least 16) at `base`.
    static void mem_bar(FakeFunction& f, int index, uint64_t base, uint64_t size, bool is64,
                        bool prefetchable) {
        const uint16_t off = static_cast<uint16_t>(0x10 + 4 * index);
        const uint64_t writable = ~(size - 1);
        uint32_t low =
            static_cast<uint32_t>(base & ~0xFULL) | (is64 ? 4U : 0U) | (prefetchable ? 8U : 0U);
        put32(f, off, low);
        put_writable32(f, off, static_cast<uint32_t>(writable & ~0xFULL));
        if (is64) {
            put32(f, off + 4, static_cast<uint32_t>(base >> 32));
            put_writable32(f, off + 4, static_cast<uint32_t>(writable >> 32));
        }
    }
    static void io_bar(FakeFunction& f, int index, uint16_t base, uint32_t size) {
        const uint16_t off = static_cast<uint16_t>(0x10 + 4 * index);
        put32(f, off, (base & ~3U) | 1U);
        put_writable32(f, off, 0xFFFF & ~(size - 1));
    }
    // Capabilities at the given offsets, in list order; `next_of_last` ends
    // the list (0) or points anywhere (a loop, or garbage).
    static void capabilities(FakeFunction& f, std::vector<std::pair<uint8_t, uint8_t>> caps,
                             uint8_t next_of_last = 0) {
        f.bytes[0x06] |= 0x10;
        f.bytes[0x34] = caps.empty() ? 0 : caps[0].second;
        for (size_t i = 0; i < caps.size(); ++i) {
            f.bytes[caps[i].second] = caps[i].first;
            f.bytes[caps[i].second + 1] = i + 1 < caps.size() ? caps[i + 1].second : next_of_last;
        }
    }

    FakeFunction* find(Address a) {
        for (FakeFunction& f : functions)
            if (f.address == a) return &f;
        return nullptr;
    }

    uint8_t read8(Address a, uint16_t off) override {
        return static_cast<uint8_t>(read(a, off, 1));
    }
    uint16_t read16(Address a, uint16_t off) override {
        return static_cast<uint16_t>(read(a, off, 2));
    }
    uint32_t read32(Address a, uint16_t off) override { return read(a, off, 4); }
    void write8(Address a, uint16_t off, uint8_t v) override { write(a, off, 1, v); }
    void write16(Address a, uint16_t off, uint16_t v) override { write(a, off, 2, v); }
    void write32(Address a, uint16_t off, uint32_t v) override { write(a, off, 4, v); }
    [[nodiscard]] uint16_t size() const override { return 256; }
    [[nodiscard]] const char* name() const override { return "fake"; }

    std::vector<FakeFunction> functions;
    uint64_t reads = 0;
    uint64_t writes = 0;
    uint64_t bar_writes_while_decoding = 0;
    // Accesses, read or write, by device number (any bus).
    uint64_t device_accesses[32] = {};
    // Out-of-range or misaligned accesses: enumeration must make none.
    uint64_t bad_accesses = 0;

private:
    static void put16(FakeFunction& f, uint16_t off, uint16_t v) {
        std::memcpy(&f.bytes[off], &v, 2);
    }
    static void put32(FakeFunction& f, uint16_t off, uint32_t v) {
        std::memcpy(&f.bytes[off], &v, 4);
    }
    static void put_writable32(FakeFunction& f, uint16_t off, uint32_t mask) {
        std::memcpy(&f.writable[off], &mask, 4);
    }

    uint32_t read(Address a, uint16_t off, unsigned width) {
        ++reads;
        ++device_accesses[a.device % 32];
        if (!drivers::pci::valid_offset(off, static_cast<uint16_t>(width), 256)) {
            ++bad_accesses;
            return 0xFFFFFFFF;
        }
        FakeFunction* f = find(a);
        if (f == nullptr) return width == 4 ? 0xFFFFFFFF : (1U << (8 * width)) - 1;
        uint32_t v = 0;
        std::memcpy(&v, &f->bytes[off], width);
        return v;
    }
    void write(Address a, uint16_t off, unsigned width, uint32_t v) {
        ++writes;
        ++device_accesses[a.device % 32];
        if (!drivers::pci::valid_offset(off, static_cast<uint16_t>(width), 256)) {
            ++bad_accesses;
            return;
        }
        FakeFunction* f = find(a);
        if (f == nullptr) return;
        // A host bridge keeps its decoding on by design (enumerate.cpp).
        const bool host_bridge = f->bytes[0x0B] == 0x06 && f->bytes[0x0A] == 0x00;
        if (off >= 0x10 && off < 0x28 && (f->bytes[0x04] & 3) != 0 && !host_bridge)
            ++bar_writes_while_decoding;
        if (off <= 0x04 && off + width > 0x04) ++f->command_writes;
        for (unsigned i = 0; i < width; ++i) {
            const uint8_t byte = static_cast<uint8_t>(v >> (8 * i));
            const uint8_t mask = f->writable[off + i];
            f->bytes[off + i] = static_cast<uint8_t>((f->bytes[off + i] & ~mask) | (byte & mask));
        }
    }
};

}  // namespace pci_fake

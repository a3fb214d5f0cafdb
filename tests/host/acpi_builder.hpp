// Builds ACPI structures for the host tests: tables with a valid header and
// checksum (or deliberately not), RSDPs, and a fake physical memory holding
// them at chosen addresses.
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernel/acpi/platform.hpp"
#include "kernel/acpi/reader.hpp"
#include "kernel/acpi/report.hpp"
#include "string_sink.hpp"

namespace acpi_test {

using Bytes = std::vector<uint8_t>;

// The kernel's view of built bytes (what the parsers take).
inline kernel::acpi::Bytes view(const Bytes& b) {
    return kernel::acpi::Bytes{ktl::span<const u8>{b.data(), b.size()}};
}

inline void put(Bytes& b, size_t offset, uint64_t value, size_t size) {
    if (b.size() < offset + size) b.resize(offset + size);
    for (size_t i = 0; i < size; ++i) b[offset + i] = static_cast<uint8_t>(value >> (8 * i));
}
inline void append(Bytes& b, uint64_t value, size_t size) { put(b, b.size(), value, size); }

inline void fix_checksum(Bytes& b, size_t checksum_offset, size_t length) {
    b[checksum_offset] = 0;
    uint8_t sum = 0;
    for (size_t i = 0; i < length; ++i) sum = static_cast<uint8_t>(sum + b[i]);
    b[checksum_offset] = static_cast<uint8_t>(-sum);
}

// A table: header (signature, length = 36 + body, revision, OEM "KEEL  ")
// and body, checksum fixed.
inline Bytes table(const char* signature, const Bytes& body, uint8_t revision = 1) {
    Bytes t(36, 0);
    std::memcpy(t.data(), signature, 4);
    put(t, 4, 36 + body.size(), 4);
    t[8] = revision;
    std::memcpy(t.data() + 10, "KEEL  ", 6);
    std::memcpy(t.data() + 16, "TESTTABL", 8);
    t.insert(t.end(), body.begin(), body.end());
    fix_checksum(t, 9, t.size());
    return t;
}

inline Bytes rsdp_v1(uint32_t rsdt) {
    Bytes r(20, 0);
    std::memcpy(r.data(), "RSD PTR ", 8);
    std::memcpy(r.data() + 9, "KEEL  ", 6);
    put(r, 16, rsdt, 4);
    fix_checksum(r, 8, 20);
    return r;
}

inline Bytes rsdp_v2(uint32_t rsdt, uint64_t xsdt) {
    Bytes r(36, 0);
    std::memcpy(r.data(), "RSD PTR ", 8);
    std::memcpy(r.data() + 9, "KEEL  ", 6);
    r[15] = 2;
    put(r, 16, rsdt, 4);
    put(r, 20, 36, 4);
    put(r, 24, xsdt, 8);
    fix_checksum(r, 8, 20);
    fix_checksum(r, 32, 36);
    return r;
}

inline Bytes root_table(const char* signature, const std::vector<uint64_t>& entries) {
    const size_t size = std::string(signature) == "XSDT" ? 8 : 4;
    Bytes body;
    for (uint64_t e : entries) append(body, e, size);
    return table(signature, body);
}

// The ACPI phase's report of a platform, as a user reads it.
inline std::string report(const kernel::acpi::Platform& p) {
    return host_test::written([&](kfmt::Sink& sink) { kernel::acpi::write_report(sink, p); });
}

inline bool contains(const std::string& text, const std::string& line) {
    return text.find(line) != std::string::npos;
}

// Physical memory made of buffers; keeps them alive while the reader lives.
class FakeMemory {
public:
    void place(uint64_t phys, Bytes bytes) {
        buffers_.push_back(std::move(bytes));
        EXPECT_TRUE(reader_.add(PhysAddr{phys}, {buffers_.back().data(), buffers_.back().size()}));
    }
    kernel::acpi::MemoryReader& reader() { return reader_; }

private:
    std::deque<Bytes> buffers_;  // deque: push_back keeps earlier buffers in place
    kernel::acpi::MemoryReader reader_;
};

// MADT body pieces (ACPI 6.5, 5.2.12): the header's local APIC address
// and flags, then one entry each.
inline Bytes madt_header() {
    Bytes b;
    append(b, 0xfee00000, 4);
    append(b, 1, 4);
    return b;
}
inline void lapic(Bytes& b, uint8_t uid, uint8_t id, uint32_t flags) {
    append(b, 0, 1), append(b, 8, 1), append(b, uid, 1), append(b, id, 1), append(b, flags, 4);
}
inline void x2apic(Bytes& b, uint32_t id, uint32_t flags, uint32_t uid) {
    append(b, 9, 1), append(b, 16, 1), append(b, 0, 2), append(b, id, 4), append(b, flags, 4);
    append(b, uid, 4);
}
inline void ioapic(Bytes& b, uint8_t id, uint32_t addr, uint32_t base) {
    append(b, 1, 1), append(b, 12, 1), append(b, id, 1), append(b, 0, 1), append(b, addr, 4);
    append(b, base, 4);
}
inline void iso(Bytes& b, uint8_t irq, uint32_t gsi, uint16_t flags) {
    append(b, 2, 1), append(b, 10, 1), append(b, 0, 1), append(b, irq, 1), append(b, gsi, 4);
    append(b, flags, 2);
}

}  // namespace acpi_test

// Builds Multiboot2 boot-information structures in memory for the parser's
// tests, laid out as GRUB writes them (grub-core/loader/multiboot_mbi2.c):
// an 8-byte header, tags padded to 8 bytes, an END tag.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "lib/ktl/span.hpp"

namespace mbi_test {

// Little-endian bytes appended field by field.
struct Payload {
    std::vector<uint8_t> bytes;

    template <typename T>
    Payload& put(T value) {
        uint8_t raw[sizeof(T)];
        std::memcpy(raw, &value, sizeof(T));
        bytes.insert(bytes.end(), raw, raw + sizeof(T));
        return *this;
    }
    Payload& u8(uint8_t v) { return put(v); }
    Payload& u16(uint16_t v) { return put(v); }
    Payload& u32(uint32_t v) { return put(v); }
    Payload& u64(uint64_t v) { return put(v); }
    // The characters and, unless told otherwise, a terminating NUL.
    Payload& str(std::string_view s, bool nul = true) {
        bytes.insert(bytes.end(), s.begin(), s.end());
        if (nul) bytes.push_back(0);
        return *this;
    }
    Payload& raw(const std::vector<uint8_t>& more) {
        bytes.insert(bytes.end(), more.begin(), more.end());
        return *this;
    }
    Payload& zeros(size_t n) {
        bytes.insert(bytes.end(), n, 0);
        return *this;
    }
    [[nodiscard]] size_t size() const { return bytes.size(); }
};

// An owned, 8-byte aligned MBI image.
class Mbi {
public:
    explicit Mbi(const std::vector<uint8_t>& bytes)
        : storage_((bytes.size() + 7) / 8 + 1, 0), size_(bytes.size()) {
        if (!bytes.empty()) std::memcpy(storage_.data(), bytes.data(), bytes.size());
    }

    [[nodiscard]] uint8_t* data() { return reinterpret_cast<uint8_t*>(storage_.data()); }
    [[nodiscard]] const uint8_t* data() const {
        return reinterpret_cast<const uint8_t*>(storage_.data());
    }
    [[nodiscard]] size_t size() const { return size_; }
    [[nodiscard]] ktl::span<const uint8_t> span() const { return {data(), size_}; }
    [[nodiscard]] std::vector<uint8_t> bytes() const { return {data(), data() + size_}; }

    void set_u32(size_t offset, uint32_t value) { std::memcpy(data() + offset, &value, 4); }
    [[nodiscard]] uint32_t get_u32(size_t offset) const {
        uint32_t value;
        std::memcpy(&value, data() + offset, 4);
        return value;
    }

private:
    std::vector<uint64_t> storage_;  // uint64_t elements: 8-byte alignment.
    size_t size_;
};

// A heap copy of exactly `n` bytes, so AddressSanitizer flags any read
// past them (an Mbi's storage is rounded up and would hide such reads).
struct ExactCopy {
    ExactCopy(const uint8_t* src, size_t n) : bytes(new uint8_t[n == 0 ? 1 : n]), size(n) {
        if (n != 0) std::memcpy(bytes.get(), src, n);
    }
    [[nodiscard]] ktl::span<const uint8_t> span() const { return {bytes.get(), size}; }
    std::unique_ptr<uint8_t[]> bytes;
    size_t size;
};

struct Region {
    uint64_t base;
    uint64_t length;
    uint32_t type;
};

// ACPI RSDP bytes (20 for revision 0, 36 for revision >= 2) with a valid
// signature and checksums.
inline std::vector<uint8_t> make_rsdp(uint8_t revision, std::string_view oem = "BOCHS ",
                                      uint32_t rsdt = 0x7fe14d2, uint64_t xsdt = 0x7fe1500) {
    Payload p;
    p.str("RSD PTR ", false).u8(0);
    std::string padded(oem.substr(0, 6));
    padded.resize(6, ' ');
    p.str(padded, false).u8(revision).u32(rsdt);
    if (revision >= 2) p.u32(36).u64(xsdt).u8(0).zeros(3);
    uint8_t sum = 0;
    for (size_t i = 0; i < 20; ++i) sum = static_cast<uint8_t>(sum + p.bytes[i]);
    p.bytes[8] = static_cast<uint8_t>(-sum);
    if (revision >= 2) {
        sum = 0;
        for (uint8_t b : p.bytes) sum = static_cast<uint8_t>(sum + b);
        p.bytes[32] = static_cast<uint8_t>(-sum);
    }
    return p.bytes;
}

class MbiBuilder {
public:
    MbiBuilder() : data_(8, 0) {}

    // The size of the MBI so far, i.e. the offset the next tag will get.
    [[nodiscard]] uint32_t offset() const { return static_cast<uint32_t>(data_.size()); }

    // A tag whose declared size is 8 + payload, padded to 8 bytes.
    MbiBuilder& tag(uint32_t type, const Payload& payload = {}) {
        return tag_sized(type, static_cast<uint32_t>(8 + payload.size()), payload);
    }
    // A tag with any declared size (for malformed inputs); the payload is
    // written as given and padded to 8 bytes.
    MbiBuilder& tag_sized(uint32_t type, uint32_t declared_size, const Payload& payload) {
        Payload header;
        header.u32(type).u32(declared_size);
        data_.insert(data_.end(), header.bytes.begin(), header.bytes.end());
        data_.insert(data_.end(), payload.bytes.begin(), payload.bytes.end());
        data_.resize((data_.size() + 7) / 8 * 8, 0);
        return *this;
    }

    MbiBuilder& cmdline(std::string_view s) { return tag(1, Payload().str(s)); }
    MbiBuilder& bootloader_name(std::string_view s) { return tag(2, Payload().str(s)); }
    MbiBuilder& module(uint32_t start, uint32_t end, std::string_view s) {
        return tag(3, Payload().u32(start).u32(end).str(s));
    }
    MbiBuilder& basic_meminfo(uint32_t lower, uint32_t upper) {
        return tag(4, Payload().u32(lower).u32(upper));
    }
    MbiBuilder& boot_device(uint32_t biosdev, uint32_t slice, uint32_t part) {
        return tag(5, Payload().u32(biosdev).u32(slice).u32(part));
    }
    MbiBuilder& mmap(const std::vector<Region>& regions, uint32_t entry_size = 24) {
        Payload p;
        p.u32(entry_size).u32(0);
        for (const Region& r : regions) {
            p.u64(r.base).u64(r.length).u32(r.type).u32(0);
            if (entry_size > 24) p.zeros(entry_size - 24);
        }
        return tag(6, p);
    }
    MbiBuilder& vbe(uint16_t mode) {
        return tag(7, Payload().u16(mode).u16(0xc000).u16(0x1234).u16(0x56).zeros(512 + 256));
    }
    // The 24 bytes after the tag header common to every framebuffer type.
    static Payload framebuffer_common(uint64_t addr, uint32_t pitch, uint32_t width,
                                      uint32_t height, uint8_t bpp, uint8_t type) {
        Payload p;
        p.u64(addr).u32(pitch).u32(width).u32(height).u8(bpp).u8(type).u16(0);
        return p;
    }
    MbiBuilder& framebuffer_rgb(uint64_t addr, uint32_t width, uint32_t height, uint8_t bpp) {
        Payload p = framebuffer_common(addr, width * (bpp / 8), width, height, bpp, 1);
        p.u8(16).u8(8).u8(8).u8(8).u8(0).u8(8);
        return tag(8, p);
    }
    MbiBuilder& framebuffer_indexed(uint64_t addr, uint16_t colors) {
        Payload p = framebuffer_common(addr, 640, 640, 480, 8, 0);
        p.u16(colors);
        for (uint16_t i = 0; i < colors; ++i)
            p.u8(static_cast<uint8_t>(i)).u8(static_cast<uint8_t>(i)).u8(static_cast<uint8_t>(i));
        return tag(8, p);
    }
    MbiBuilder& framebuffer_ega() {
        return tag(8, framebuffer_common(0xb8000, 160, 80, 25, 16, 2));
    }
    MbiBuilder& elf_sections(uint32_t num, uint32_t entsize, uint32_t shndx) {
        Payload p;
        p.u32(num).u32(entsize).u32(shndx);
        for (uint32_t i = 0; i < num * entsize; ++i) p.u8(static_cast<uint8_t>(i));
        return tag(9, p);
    }
    MbiBuilder& apm() {
        return tag(10, Payload()
                           .u16(0x0102)
                           .u16(0xf000)
                           .u32(0x1234)
                           .u16(0xf000)
                           .u16(0x0040)
                           .u16(3)
                           .u16(0xffff)
                           .u16(0xfff0)
                           .u16(0x0100));
    }
    MbiBuilder& efi32(uint32_t ptr) { return tag(11, Payload().u32(ptr)); }
    MbiBuilder& efi64(uint64_t ptr) { return tag(12, Payload().u64(ptr)); }
    MbiBuilder& smbios(uint8_t major, uint8_t minor, size_t table_bytes) {
        return tag(13, Payload().u8(major).u8(minor).zeros(6).zeros(table_bytes));
    }
    MbiBuilder& acpi_old(const std::vector<uint8_t>& rsdp) { return tag(14, Payload().raw(rsdp)); }
    MbiBuilder& acpi_new(const std::vector<uint8_t>& rsdp) { return tag(15, Payload().raw(rsdp)); }
    MbiBuilder& network(size_t ack_bytes) { return tag(16, Payload().zeros(ack_bytes)); }
    MbiBuilder& efi_mmap(uint32_t descr_size, uint32_t version, uint32_t count) {
        return tag(17, Payload().u32(descr_size).u32(version).zeros(size_t{descr_size} * count));
    }
    MbiBuilder& efi_boot_services() { return tag(18); }
    MbiBuilder& efi32_image_handle(uint32_t h) { return tag(19, Payload().u32(h)); }
    MbiBuilder& efi64_image_handle(uint64_t h) { return tag(20, Payload().u64(h)); }
    MbiBuilder& load_base(uint32_t addr) { return tag(21, Payload().u32(addr)); }
    MbiBuilder& end() { return tag(0); }

    // The finished MBI; total_size is the length written unless overridden.
    [[nodiscard]] Mbi build(int64_t total_size = -1) const {
        Mbi mbi(data_);
        mbi.set_u32(0, total_size < 0 ? static_cast<uint32_t>(data_.size())
                                      : static_cast<uint32_t>(total_size));
        return mbi;
    }

private:
    std::vector<uint8_t> data_;
};

}  // namespace mbi_test

// The PVH decoder (src/boot/pvh/): an hvm_start_info and what it points at,
// built in a fake physical memory, turned into BootParams through
// boot::describe, and hostile variants rejected with a sentence.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "boot/loader.hpp"
#include "boot/pvh/protocol.h"
#include "boot/pvh/start_info.hpp"

namespace {

constexpr u64 kBase = 0x10000;  // the fake memory's first physical address
std::vector<u8> g_memory;

const u8* read(u64 phys, u64 size) {
    if (phys < kBase || phys - kBase > g_memory.size() || size > g_memory.size() - (phys - kBase))
        return nullptr;
    return g_memory.data() + (phys - kBase);
}

// Lays out a start info at kBase and its tables after it, as QEMU does.
struct Builder {
    static constexpr u64 kInfo = kBase;
    static constexpr u64 kCmdline = kBase + 0x100;
    static constexpr u64 kModlist = kBase + 0x800;
    static constexpr u64 kMemmap = kBase + 0x1000;
    static constexpr u64 kRsdp = kBase + 0x2000;
    static constexpr u64 kNames = kBase + 0x3000;

    Builder() { g_memory.assign(0x4000, 0); }

    template <typename T>
    void put(u64 phys, T value) {
        std::memcpy(g_memory.data() + (phys - kBase), &value, sizeof value);
    }
    void put_string(u64 phys, const std::string& text) {
        std::memcpy(g_memory.data() + (phys - kBase), text.c_str(), text.size() + 1);
    }

    void header(u32 version = 1, u32 magic = PVH_START_MAGIC) {
        put<u32>(kInfo + 0, magic);
        put<u32>(kInfo + 4, version);
    }
    void cmdline(const std::string& text) {
        put_string(kCmdline, text);
        put<u64>(kInfo + 24, kCmdline);
    }
    void memory(std::initializer_list<std::tuple<u64, u64, u32>> regions) {
        u64 at = kMemmap;
        for (auto [base, size, type] : regions) {
            put<u64>(at, base);
            put<u64>(at + 8, size);
            put<u32>(at + 16, type);
            at += PVH_MEMMAP_ENTRY_SIZE;
        }
        put<u64>(kInfo + 40, kMemmap);
        put<u32>(kInfo + 48, static_cast<u32>(regions.size()));
    }
    void module(u32 index, u64 start, u64 size, const char* name = nullptr) {
        const u64 at = kModlist + u64{index} * PVH_MODLIST_ENTRY_SIZE;
        put<u64>(at, start);
        put<u64>(at + 8, size);
        if (name != nullptr) {
            const u64 name_phys = kNames + u64{index} * 64;
            put_string(name_phys, name);
            put<u64>(at + 16, name_phys);
        }
        put<u32>(kInfo + 12, index + 1);
        put<u64>(kInfo + 16, kModlist);
    }
    void rsdp(const char* signature = "RSD PTR ") {
        std::memcpy(g_memory.data() + (kRsdp - kBase), signature, 8);
        std::memcpy(g_memory.data() + (kRsdp - kBase) + 9, "BOCHS ", 6);
        g_memory[kRsdp - kBase + 15] = 2;
        put<u64>(kInfo + 32, kRsdp);
    }
    // What QEMU's -kernel passes with -append and -initrd (measured shape).
    void qemu_like() {
        header();
        cmdline("test=pvh loglevel=debug");
        memory({{0, 0x9fc00, PVH_MEMMAP_RAM},
                {0x9fc00, 0x400, PVH_MEMMAP_RESERVED},
                {0xf0000, 0x10000, PVH_MEMMAP_RESERVED},
                {0x100000, 0x7ee0000, PVH_MEMMAP_RAM},
                {0x7fe0000, 0x20000, PVH_MEMMAP_RESERVED},
                {0xfffc0000, 0x40000, PVH_MEMMAP_RESERVED}});
        module(0, 0x7000000, 12345, "initrd");
        rsdp();
    }
};

struct Pvh : testing::Test {
    Builder b;
    std::unique_ptr<boot::BootParams> owner = std::make_unique<boot::BootParams>();
    boot::BootParams& params = *owner;

    boot::DescribeResult describe(u64 phys = Builder::kInfo) {
        return boot::describe({PVH_START_MAGIC, phys}, read, params);
    }
    boot::pvh::Error decode_error() {
        return boot::pvh::decode(Builder::kInfo, read, params).error;
    }
};

TEST_F(Pvh, QemuLikeStartInfoBecomesNeutralParams) {
    b.qemu_like();
    const boot::DescribeResult r = describe();
    ASSERT_TRUE(r.ok()) << std::string(r.error.data(), r.error.size());
    EXPECT_EQ(params.protocol, ktl::string_view("PVH"));
    EXPECT_EQ(params.loader_name.view(), ktl::string_view("PVH (hvm_start_info version 1)"));
    EXPECT_EQ(params.info_phys.value(), Builder::kInfo);
    EXPECT_EQ(params.info_size, u32{PVH_INFO_SIZE_V1});
    EXPECT_EQ(params.cmdline.view(), ktl::string_view("test=pvh loglevel=debug"));
    ASSERT_TRUE(params.memory_map_present);
    ASSERT_EQ(params.memory_count, 6u);
    EXPECT_EQ(params.memory[3].base.value(), 0x100000u);
    EXPECT_EQ(params.memory[3].length, 0x7ee0000u);
    EXPECT_EQ(params.memory[3].kind, boot::MemoryKind::Usable);
    EXPECT_EQ(params.memory[1].kind, boot::MemoryKind::Reserved);
    EXPECT_EQ(params.usable_bytes(), 0x9fc00u + 0x7ee0000u);
    ASSERT_EQ(params.module_count, 1u);
    EXPECT_EQ(params.modules[0].start.value(), 0x7000000u);
    EXPECT_EQ(params.modules[0].size(), 12345u);
    EXPECT_EQ(params.modules[0].name.view(), ktl::string_view("initrd"));
    ASSERT_TRUE(params.rsdp.present);
    EXPECT_EQ(params.rsdp.phys.value(), Builder::kRsdp);
    EXPECT_EQ(params.rsdp.revision, 2);
    EXPECT_STREQ(params.rsdp.oem_id, "BOCHS ");
    EXPECT_EQ(params.rsdp.origin, ktl::string_view("hvm_start_info"));
    // PVH describes no screen and no ELF sections.
    EXPECT_FALSE(params.framebuffer.present);
    EXPECT_FALSE(params.elf_sections.present);
}

TEST_F(Pvh, EveryE820TypeHasItsKind) {
    b.header();
    b.memory({{0x1000, 0x1000, PVH_MEMMAP_RAM},
              {0x2000, 0x1000, PVH_MEMMAP_RESERVED},
              {0x3000, 0x1000, PVH_MEMMAP_ACPI},
              {0x4000, 0x1000, PVH_MEMMAP_NVS},
              {0x5000, 0x1000, PVH_MEMMAP_UNUSABLE},
              {0x6000, 0x1000, PVH_MEMMAP_DISABLED},
              {0x7000, 0x1000, PVH_MEMMAP_PMEM},
              {0x8000, 0x1000, 99}});
    ASSERT_TRUE(describe().ok());
    using K = boot::MemoryKind;
    const K expected[] = {K::Usable, K::Reserved, K::AcpiReclaimable, K::AcpiNvs,
                          K::Bad,    K::Reserved, K::Reserved,        K::Reserved};
    ASSERT_EQ(params.memory_count, 8u);
    for (u32 i = 0; i < 8; ++i) EXPECT_EQ(params.memory[i].kind, expected[i]) << "entry " << i;
}

TEST_F(Pvh, VersionZeroHasNoMemoryMap) {
    b.header(0);
    b.cmdline("x");
    b.memory({{0x100000, 0x1000, PVH_MEMMAP_RAM}});  // beyond version 0's fields: ignored
    ASSERT_TRUE(describe().ok());
    EXPECT_FALSE(params.memory_map_present);
    EXPECT_EQ(params.info_size, u32{PVH_INFO_SIZE_V0});
    EXPECT_EQ(params.cmdline.view(), ktl::string_view("x"));
}

TEST_F(Pvh, NothingPresentIsEmptyNotAnError) {
    b.header();
    ASSERT_TRUE(describe().ok());
    EXPECT_TRUE(params.cmdline.view().empty());
    EXPECT_FALSE(params.memory_map_present);
    EXPECT_EQ(params.module_count, 0u);
    EXPECT_FALSE(params.rsdp.present);
}

TEST_F(Pvh, LongCommandLineIsCutAndMarked) {
    b.header();
    b.cmdline(std::string(2000, 'a'));
    ASSERT_TRUE(describe().ok());
    EXPECT_TRUE(params.cmdline.truncated);
    EXPECT_EQ(params.cmdline.length, decltype(params.cmdline)::capacity());
}

TEST_F(Pvh, ModulesBeyondTheKeptOnesAreCounted) {
    b.header();
    const u32 n = boot::BootParams::kMaxModules + 3;
    for (u32 i = 0; i < n; ++i) b.module(i, 0x100000 + u64{i} * 0x1000, 0x800);
    ASSERT_TRUE(describe().ok());
    EXPECT_EQ(params.module_count, boot::BootParams::kMaxModules);
    EXPECT_EQ(params.untracked_modules.count, 3u);
    EXPECT_EQ(params.untracked_modules.start.value(), 0x100000u + u64{n - 3} * 0x1000);
    EXPECT_EQ(params.untracked_modules.end.value(), 0x100000u + u64{n - 1} * 0x1000 + 0x800);
}

TEST_F(Pvh, UnknownProtocolMagicIsNamed) {
    b.qemu_like();
    const boot::DescribeResult r = boot::describe({0x12345678, Builder::kInfo}, read, params);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(std::string(r.error.data(), r.error.size()).find("PVH: 0x336ec578"),
              std::string::npos);
}

// Each hostile structure gives its own sentence, with where it went wrong.
TEST_F(Pvh, BadMagicInTheStructure) {
    b.qemu_like();
    b.header(1, 0x336ec579);
    const boot::DescribeResult r = describe();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(std::string(r.error.data(), r.error.size()),
              "hvm_start_info has the wrong magic (not 0x336ec578): this is not a PVH start "
              "(at 0x10000)");
}

TEST_F(Pvh, StartInfoOutsideMemory) {
    b.qemu_like();
    EXPECT_FALSE(describe(0x1000).ok());
    EXPECT_EQ(boot::pvh::decode(0x1000, read, params).error, boot::pvh::Error::InfoUnreadable);
    // Version 1 is 56 bytes: the memory map fields must be readable too.
    b.header();
    g_memory.resize(PVH_INFO_SIZE_V1 - 1);
    EXPECT_EQ(decode_error(), boot::pvh::Error::InfoUnreadable);
}

TEST_F(Pvh, CommandLineUnterminatedOrUnreadable) {
    b.header();
    b.put<u64>(Builder::kInfo + 24, 0x9000000);
    EXPECT_EQ(decode_error(), boot::pvh::Error::CmdlineUnreadable);
    // Runs to the end of memory without a NUL.
    std::memset(g_memory.data() + 0x3f00, 'x', 0x100);
    b.put<u64>(Builder::kInfo + 24, kBase + 0x3f00);
    EXPECT_EQ(decode_error(), boot::pvh::Error::CmdlineUnreadable);
    // A NUL further away than 64 KiB.
    g_memory.resize(0x20000, 'x');
    b.put<u64>(Builder::kInfo + 24, kBase + 0x3f00);
    EXPECT_EQ(decode_error(), boot::pvh::Error::CmdlineUnterminated);
}

TEST_F(Pvh, HostileModuleList) {
    using boot::pvh::Error;
    b.header();
    b.module(0, 0x200000, 0x1000);
    b.put<u32>(Builder::kInfo + 12, 5000);
    EXPECT_EQ(decode_error(), Error::TooManyModules);
    b.put<u32>(Builder::kInfo + 12, 1);
    b.put<u64>(Builder::kInfo + 16, 0);
    EXPECT_EQ(decode_error(), Error::ModuleListMissing);
    b.put<u64>(Builder::kInfo + 16, kBase + g_memory.size() - 16);
    EXPECT_EQ(decode_error(), Error::ModuleListUnreadable);
    b.module(0, 0, 0x1000);
    EXPECT_EQ(decode_error(), Error::ModuleAtZero);
    b.module(0, ~u64{0} - 10, 0x1000);
    const boot::pvh::DecodeResult wraps = boot::pvh::decode(Builder::kInfo, read, params);
    EXPECT_EQ(wraps.error, Error::ModuleWraps);
    EXPECT_EQ(wraps.entry, 0u);
    b.module(0, 0x200000, 0x1000, "name");
    b.put<u64>(Builder::kModlist + 16, 0x9000000);
    EXPECT_EQ(decode_error(), Error::ModuleNameUnreadable);
}

TEST_F(Pvh, HostileMemoryMap) {
    using boot::pvh::Error;
    b.header();
    b.memory({{0x100000, 0x1000, PVH_MEMMAP_RAM}, {~u64{0} - 0xfff, 0x2000, PVH_MEMMAP_RAM}});
    const boot::DescribeResult r = describe();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(std::string(r.error.data(), r.error.size()),
              "a PVH memory map entry runs past the end of the address space (entry 1) "
              "(at 0xfffffffffffff000)");
    // Up to 2^64 exactly is fine.
    b.memory({{~u64{0} - 0xfff, 0x1000, PVH_MEMMAP_RESERVED}});
    EXPECT_TRUE(describe().ok());
    b.put<u32>(Builder::kInfo + 48, 70000);
    EXPECT_EQ(decode_error(), Error::TooManyMemoryRegions);
    b.put<u32>(Builder::kInfo + 48, 1000);
    EXPECT_EQ(decode_error(), Error::MemoryMapUnreadable);
    b.put<u32>(Builder::kInfo + 48, 1);
    b.put<u64>(Builder::kInfo + 40, 0);
    EXPECT_EQ(decode_error(), Error::MemoryMapMissing);
}

TEST_F(Pvh, HostileRsdp) {
    b.header();
    b.rsdp("RSD PTX ");
    EXPECT_EQ(decode_error(), boot::pvh::Error::RsdpBadSignature);
    b.put<u64>(Builder::kInfo + 32, kBase + g_memory.size() - 10);
    EXPECT_EQ(decode_error(), boot::pvh::Error::RsdpUnreadable);
}

TEST_F(Pvh, EveryErrorHasASentence) {
    for (int e = 0; e <= static_cast<int>(boot::pvh::Error::RsdpBadSignature); ++e) {
        const ktl::string_view text = boot::pvh::describe(static_cast<boot::pvh::Error>(e));
        EXPECT_FALSE(text.empty());
        EXPECT_NE(text, ktl::string_view("unknown error"));
    }
}

}  // namespace

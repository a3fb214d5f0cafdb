// The frame allocator on real memory maps: the seven PCs of
// ../shared/e820-corpus (6 GiB to 1.5 TiB, skipped where the folder is
// absent) and Keel's golden Multiboot2 captures (tests/data/mbi) through
// boot::describe and PhysicalRegions, as the kernel will do it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "boot/loader.hpp"
#include "boot/multiboot2/protocol.h"
#include "kernel/mm/buddy.hpp"
#include "kernel/mm/physical_regions.hpp"
#include "phys_arena.hpp"

namespace kernel::mm {
namespace {

constexpr u64 k4K = 4096;

void fail_on_error(const FrameError& e, void*) {
    ADD_FAILURE() << describe(e.kind).data() << " of frame 0x" << std::hex << e.phys.value();
}

std::filesystem::path corpus_dir() {
    if (const char* env = std::getenv("KEEL_E820_CORPUS")) return env;
    return std::filesystem::path(KEEL_TEST_DATA_DIR) / ".." / ".." / ".." / "shared" /
           "e820-corpus";
}

// "BIOS-e820: [mem 0xS-0xE] TYPE", END inclusive (see the corpus README).
std::vector<boot::MemoryRegion> read_e820(const std::filesystem::path& file) {
    static const std::regex line(R"(BIOS-e820: \[mem 0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\] (.+))");
    std::vector<boot::MemoryRegion> map;
    std::ifstream in(file);
    std::string text;
    std::smatch m;
    while (std::getline(in, text)) {
        if (!std::regex_search(text, m, line)) continue;
        const u64 start = std::stoull(m[1], nullptr, 16);
        const u64 end = std::stoull(m[2], nullptr, 16);
        const std::string type = m[3];
        boot::MemoryKind kind = boot::MemoryKind::Reserved;
        if (type == "usable") kind = boot::MemoryKind::Usable;
        if (type == "ACPI data") kind = boot::MemoryKind::AcpiReclaimable;
        if (type == "ACPI NVS") kind = boot::MemoryKind::AcpiNvs;
        if (type == "unusable") kind = boot::MemoryKind::Bad;
        map.push_back({PhysAddr{start}, end - start + 1, kind});
    }
    return map;
}

struct Block {
    u64 phys;
    u32 order;
    bool operator<(const Block& o) const { return phys < o.phys; }
};

// Takes every frame zone by zone, largest blocks first, checks that the
// blocks are exactly the free memory less the bookkeeping, gives them all
// back in random order and checks the allocator is as it started.
void drain_and_refill(BuddyAllocator& buddy, const PhysicalRegions& regions) {
    const PhysRange book = buddy.bookkeeping();
    u64 expected[kZoneCount] = {};
    for (const PhysRange& r : regions) {
        for (u64 at = r.base().value(); at < r.end().value();) {
            const Zone z = zone_of(PhysAddr{at});
            u64 end = r.end().value();
            if (z == Zone::Low && end > kLowMemoryEnd) end = kLowMemoryEnd;
            if (z == Zone::Dma32 && end > kDma32End) end = kDma32End;
            expected[static_cast<usize>(z)] += (end - at) / k4K;
            at = end;
        }
    }
    expected[static_cast<usize>(zone_of(book.base()))] -= book.size() / k4K;
    u64 initial[kZoneCount][kOrderCount];
    for (usize z = 0; z < kZoneCount; ++z) {
        ASSERT_EQ(buddy.total_frames(static_cast<Zone>(z)), expected[z])
            << zone_name(static_cast<Zone>(z)).data();
        ASSERT_EQ(buddy.free_frames(static_cast<Zone>(z)), expected[z]);
        for (u32 o = 0; o <= kMaxOrder; ++o)
            initial[z][o] = buddy.free_blocks(static_cast<Zone>(z), o);
    }

    std::vector<Block> blocks;
    for (Zone zone : {Zone::Low, Zone::Dma32, Zone::Normal}) {
        u64 frames = 0;
        for (u32 order = kMaxOrder + 1; order-- > 0;) {
            while (auto p = buddy.allocate(order, zone)) {
                ASSERT_EQ(zone_of(*p), zone);
                blocks.push_back({p->value(), order});
                frames += 1ULL << order;
            }
        }
        EXPECT_EQ(frames, expected[static_cast<usize>(zone)]) << zone_name(zone).data();
        EXPECT_EQ(buddy.free_frames(zone), 0u);
    }
    std::sort(blocks.begin(), blocks.end());
    for (usize i = 0; i < blocks.size(); ++i) {
        const u64 end = blocks[i].phys + (k4K << blocks[i].order);
        const PhysRange block{PhysAddr{blocks[i].phys}, PhysAddr{end}};
        ASSERT_TRUE(regions.is_free(block)) << std::hex << blocks[i].phys;
        ASSERT_FALSE(book.overlaps(block)) << "bookkeeping handed out";
        if (i + 1 < blocks.size()) {
            ASSERT_LE(end, blocks[i + 1].phys) << "overlap";
        }
    }
    std::shuffle(blocks.begin(), blocks.end(), std::mt19937_64(1));
    for (const Block& b : blocks) buddy.free(PhysAddr{b.phys}, b.order);
    for (usize z = 0; z < kZoneCount; ++z) {
        EXPECT_EQ(buddy.free_frames(static_cast<Zone>(z)), expected[z]);
        for (u32 o = 0; o <= kMaxOrder; ++o)
            EXPECT_EQ(buddy.free_blocks(static_cast<Zone>(z), o), initial[z][o]);
    }
}

TEST(BuddyRealMaps, E820CorpusOfSevenPcs) {
    const std::filesystem::path dir = corpus_dir();
    if (!std::filesystem::is_directory(dir))
        GTEST_SKIP() << "no E820 corpus at " << dir.string()
                     << " (../shared/e820-corpus beside the checkout; set KEEL_E820_CORPUS)";
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().extension() == ".txt") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    ASSERT_EQ(files.size(), 7u);
    for (const auto& file : files) {
        SCOPED_TRACE(file.filename().string());
        std::vector<boot::MemoryRegion> map = read_e820(file);
        ASSERT_GT(map.size(), 5u);
        auto regions = std::make_unique<PhysicalRegions>();
        regions->compute({map.data(), map.size()});
        ASSERT_TRUE(regions->complete());
        ASSERT_GT(regions->size(), 0u);
        // Every byte of "physical" memory up to the last free one exists in
        // the arena, untouched (free) until the allocator writes it.
        keel_test::PhysArena arena(regions->free_ranges()[regions->size() - 1].end().value());
        auto buddy = std::make_unique<BuddyAllocator>();
        // No poison: filling 1.5 TiB of freed frames is not the point here.
        ASSERT_TRUE(
            buddy->init(regions->free_ranges(), {arena.window(), &fail_on_error, nullptr, false})
                .ok());
        EXPECT_EQ(buddy->total_frames() * k4K + buddy->bookkeeping().size(), regions->free_bytes());
        drain_and_refill(*buddy, *regions);
    }
}

constexpr u64 kMbiPhys = 0x10000;
std::vector<u8> g_mbi;
const u8* read_mbi(u64 phys, u64 size) {
    if (phys < kMbiPhys || phys - kMbiPhys > g_mbi.size() ||
        size > g_mbi.size() - (phys - kMbiPhys))
        return nullptr;
    return g_mbi.data() + (phys - kMbiPhys);
}

class BuddyGoldenMbi : public testing::TestWithParam<const char*> {};

// As the kernel will: the boot information, the boot reservations, the free
// ranges; then every frame allocated, filled and checked, and freed.
TEST_P(BuddyGoldenMbi, EveryFrameOnceThenAllBack) {
    std::ifstream in(std::string(KEEL_TEST_DATA_DIR) + "/mbi/" + GetParam(), std::ios::binary);
    ASSERT_TRUE(in.good());
    g_mbi.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    auto params = std::make_unique<boot::BootParams>();
    ASSERT_TRUE(boot::describe({MB2_BOOTLOADER_MAGIC, kMbiPhys}, read_mbi, *params).ok());
    auto regions = std::make_unique<PhysicalRegions>();
    const KernelPlacement kernel{PhysRange{PhysAddr{0x100000}, PhysAddr{0x1df000}},
                                 PhysRange{PhysAddr{0x1e0000}, PhysAddr{0x1e2d90}},
                                 PhysRange{PhysAddr{0x1e3000}, PhysAddr{0x1e8a66}}};
    ASSERT_EQ(reserve_boot_regions(*regions, *params, kernel), 0u);
    regions->compute(params->memory_map());
    ASSERT_GT(regions->free_bytes(), 8u << 20);

    keel_test::PhysArena arena(regions->free_ranges()[regions->size() - 1].end().value());
    auto buddy = std::make_unique<BuddyAllocator>();
    ASSERT_TRUE(
        buddy->init(regions->free_ranges(), {arena.window(), &fail_on_error, nullptr}).ok());
    // The low zone holds the available RAM between the IVT/BDA page and the
    // EBDA/ROM area, and nothing else below 1 MiB: every firmware here has
    // some (the AP trampoline comes from it).
    u64 low_free = 0;
    for (const PhysRange& r : regions->free_ranges())
        if (r.base().value() < kLowMemoryEnd) {
            EXPECT_GE(r.base().value(), kRealModeDataEnd);
            EXPECT_LE(r.end().value(), kBiosAreaStart);
            low_free += r.size() / k4K;
        }
    EXPECT_GT(low_free, 0u);
    EXPECT_EQ(buddy->total_frames(Zone::Low), low_free);

    std::vector<u64> frames;
    for (Zone zone : {Zone::Normal, Zone::Low})  // a Low request never falls back: ask for it
        while (auto p = buddy->allocate(0, zone)) {
            frames.push_back(p->value());
            std::fill_n(reinterpret_cast<u64*>(arena.at(p->value())), k4K / 8,
                        p->value() ^ 0x5a5a5a5a5a5a5a5aULL);
        }
    EXPECT_EQ(frames.size() * k4K + buddy->bookkeeping().size(), regions->free_bytes());
    for (u64 p : frames) {
        const u64* words = reinterpret_cast<const u64*>(arena.at(p));
        for (u64 i = 0; i < k4K / 8; ++i)
            ASSERT_EQ(words[i], p ^ 0x5a5a5a5a5a5a5a5aULL) << "frame 0x" << std::hex << p;
    }
    for (u64 p : frames) buddy->free(PhysAddr{p}, 0);
    EXPECT_EQ(buddy->free_frames(), frames.size());
    drain_and_refill(*buddy, *regions);
}

INSTANTIATE_TEST_SUITE_P(Captures, BuddyGoldenMbi,
                         testing::Values("qemu-seabios.bin", "qemu-ovmf.bin", "bochs.bin"),
                         [](const testing::TestParamInfo<const char*>& info) {
                             std::string name = info.param;
                             name = name.substr(0, name.find('.'));
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

}  // namespace
}  // namespace kernel::mm

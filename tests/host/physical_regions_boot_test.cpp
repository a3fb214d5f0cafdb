// reserve_boot_regions() on the boot information GRUB passes under QEMU
// (tests/data/mbi/): what the kernel, loader or firmware still uses stays taken.
#include "kernel/mm/physical_regions.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "boot/multiboot2/parse.hpp"
#include "boot/multiboot2/to_params.hpp"
#include "physical_regions_fixture.hpp"

namespace kernel::mm {
namespace {

namespace mb2 = boot::multiboot2;

using regions_test::range;
using regions_test::Ranges;
using regions_test::ranges_of;
using regions_test::sized;

// reserve_boot_regions() with the boot information GRUB really passes.
struct PhysicalRegionsBoot : testing::Test {
    std::unique_ptr<mb2::BootInfo> info_owner = std::make_unique<mb2::BootInfo>();
    mb2::BootInfo& info = *info_owner;
    std::unique_ptr<PhysicalRegions> owner = std::make_unique<PhysicalRegions>();
    PhysicalRegions& regions = *owner;
    std::vector<u8> bytes;
    std::unique_ptr<boot::BootParams> params_owner = std::make_unique<boot::BootParams>();

    // What the kernel sees of `info`.
    const boot::BootParams& params() {
        mb2::to_params(info, *params_owner);
        return *params_owner;
    }

    // Parsed as if GRUB had put it at `phys`.
    void load(const std::string& name, u64 phys) {
        std::ifstream in(std::string(KEEL_TEST_DATA_DIR) + "/mbi/" + name, std::ios::binary);
        ASSERT_TRUE(in.good()) << "missing golden file " << name;
        bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        ASSERT_TRUE(mb2::parse({bytes.data(), bytes.size()}, phys, info).ok());
    }
    static constexpr KernelPlacement kKernel{range(0x100000, 0x1df000), range(0x1e0000, 0x1e2d90),
                                             range(0x1e3000, 0x1e8a66)};

    void check_kept() {
        // The IVT/BDA page and the EBDA/video/ROM area stay; the rest of
        // the first MiB is free only where the map says available.
        EXPECT_FALSE(regions.any_free(sized(0, kRealModeDataEnd)));
        EXPECT_FALSE(regions.any_free(sized(kBiosAreaStart, kLowMemoryEnd - kBiosAreaStart)));
        EXPECT_FALSE(regions.any_free(kKernel.image));
        EXPECT_FALSE(regions.any_free(kKernel.symtab));
        EXPECT_FALSE(regions.any_free(kKernel.strtab));
        EXPECT_FALSE(regions.any_free(sized(info.mbi_phys, info.mbi_size)));
        // Every free byte is in an available region and in no other.
        for (const PhysRange& r : regions) {
            for (const mb2::MemoryRegion& m : info.memory_map.view()) {
                bool overlaps = m.base < r.end().value() && r.base().value() < m.base + m.length;
                if (overlaps && !m.available()) ADD_FAILURE() << "free range in a reserved region";
            }
            u64 at = r.base().value();
            while (at < r.end().value()) {
                u64 next = at;
                for (const mb2::MemoryRegion& m : info.memory_map.view())
                    if (m.available() && m.base <= at && at < m.base + m.length)
                        next = std::max(next, m.base + m.length);
                ASSERT_GT(next, at) << "free byte outside every available region: " << at;
                at = next;
            }
        }
    }
};

TEST_F(PhysicalRegionsBoot, SeaBiosKeepsTheLoaderRegions) {
    load("qemu-seabios.bin", 0x1df430);
    EXPECT_EQ(reserve_boot_regions(regions, params(), kKernel), 0u);
    regions.compute(params().memory_map());
    ASSERT_TRUE(regions.complete());
    auto kept = regions.reservations();
    ASSERT_EQ(kept.size(), 7u);  // page 0, BIOS area, image, MBI, .symtab, .strtab, VGA text
    EXPECT_EQ(kept[0].kind, ReservationKind::LowMemory);
    EXPECT_EQ(kept[0].range, range(0, 0x1000));
    EXPECT_EQ(kept[1].kind, ReservationKind::LowMemory);
    EXPECT_EQ(kept[1].range, range(0x80000, 0x100000));
    EXPECT_EQ(kept[2].kind, ReservationKind::KernelImage);
    EXPECT_EQ(kept[3].kind, ReservationKind::BootInformation);
    EXPECT_EQ(kept[3].range.base().value(), 0x1df430u);
    EXPECT_EQ(kept[3].range.size(), info.mbi_size);
    EXPECT_EQ(kept[4].kind, ReservationKind::KernelSymbols);
    EXPECT_EQ(kept[5].kind, ReservationKind::KernelSymbols);
    EXPECT_EQ(kept[6].kind, ReservationKind::Framebuffer);
    EXPECT_EQ(kept[6].range.base().value(), 0xb8000u);
    // The low zone: 4 KiB - 512 KiB, which SeaBIOS's map calls available.
    EXPECT_TRUE(regions.is_free(sized(0x1000, 0x7f000)));
    check_kept();
    // -m 256M: all but the first MiB, the image and the symbols (~1 MiB) and
    // SeaBIOS's top 128 KiB.
    EXPECT_GE(regions.free_bytes(), 252ull << 20);
    EXPECT_LT(regions.free_bytes(), 255ull << 20);
}

TEST_F(PhysicalRegionsBoot, OvmfMapWithModules) {
    load("qemu-ovmf.bin", 0x7000000);
    // Two modules as GRUB would add them.
    info.modules[0] = {0x7100000, 0x7100000 + 12345, {}};
    info.modules[1] = {0x7104000, 0x7105000, {}};
    info.module_count = 2;
    EXPECT_EQ(reserve_boot_regions(regions, params(), kKernel), 0u);
    regions.compute(params().memory_map());
    ASSERT_TRUE(regions.complete());
    usize modules = 0;
    for (const Reservation& r : regions.reservations())
        if (r.kind == ReservationKind::Module) ++modules;
    EXPECT_EQ(modules, 2u);
    check_kept();
    EXPECT_FALSE(regions.any_free(sized(0x7100000, 12345)));
    EXPECT_FALSE(regions.any_free(sized(0x7104000, 0x1000)));
    EXPECT_GT(regions.free_bytes(), 64ull << 20);
    EXPECT_LT(regions.free_bytes(), info.usable_bytes());
}

TEST_F(PhysicalRegionsBoot, NoSymbolsNoFramebuffer) {
    info.memory_map.regions[0] = {0x0, 0x9fc00, 1};  // Multiboot2: available
    info.memory_map.regions[1] = {0x100000, 0x300000, 1};
    info.memory_map.count = 2;
    KernelPlacement kernel{range(0x100000, 0x1df000), {}, {}};
    EXPECT_EQ(reserve_boot_regions(regions, params(), kernel), 0u);
    regions.compute(params().memory_map());
    ASSERT_EQ(regions.reservations().size(), 3u);
    EXPECT_EQ(ranges_of(regions), (Ranges{{0x1000, 0x80000}, {0x1df000, 0x400000}}));
}

}  // namespace
}  // namespace kernel::mm

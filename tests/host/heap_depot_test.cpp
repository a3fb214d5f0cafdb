// kernel::mm::HeapDepot (src/kernel/mm/heap_depot.hpp): full magazines kept
// whole per class, last in first out, within their slot and block bounds.
// The blocks are never touched, so plain tokens stand for the chains.
#include "kernel/mm/heap_depot.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace kernel::mm {
namespace {

void* token(uptr n) { return reinterpret_cast<void*>(n * 64); }

TEST(HeapDepotTest, ChainsComeBackLastInFirstOut) {
    auto depot = std::make_unique<HeapDepot>();
    u32 count = 99;
    EXPECT_EQ(depot->take(3, count), nullptr);
    EXPECT_EQ(count, 0u);
    ASSERT_TRUE(depot->put(3, token(1), 32));
    ASSERT_TRUE(depot->put(3, token(2), 7));
    ASSERT_TRUE(depot->put(5, token(3), 32));
    EXPECT_EQ(depot->blocks(3), 39u);
    EXPECT_EQ(depot->blocks(5), 32u);
    EXPECT_EQ(depot->take(3, count), token(2));
    EXPECT_EQ(count, 7u);
    EXPECT_EQ(depot->take(3, count), token(1));
    EXPECT_EQ(count, 32u);
    EXPECT_EQ(depot->take(3, count), nullptr);
    EXPECT_EQ(depot->blocks(3), 0u);
    EXPECT_EQ(depot->blocks(5), 32u);  // other classes untouched
}

TEST(HeapDepotTest, AClassHoldsAtMostItsBlocks) {
    auto depot = std::make_unique<HeapDepot>();
    const usize c = kHeapClassCount - 1;  // 3072 B: 21 blocks, four slabs' worth
    const u32 most = HeapDepot::max_blocks(c);
    EXPECT_EQ(u64{most} * kHeapClassSizes[c], 4 * kHeapChunkBytes - 4 * kHeapChunkBytes % 3072);
    u32 kept = 0;
    uptr n = 1;
    while (depot->put(c, token(n), 5)) {
        kept += 5;
        ++n;
    }
    EXPECT_LE(kept, most);
    EXPECT_GT(kept + 5, most);  // refused only once the next would not fit
    EXPECT_EQ(depot->blocks(c), kept);
    EXPECT_TRUE(depot->put(c, token(n), most - kept) || most == kept);
}

TEST(HeapDepotTest, AClassHoldsAtMostItsSlots) {
    auto depot = std::make_unique<HeapDepot>();
    for (uptr n = 1; n <= HeapDepot::kSlots; ++n) ASSERT_TRUE(depot->put(0, token(n), 1));
    EXPECT_FALSE(depot->put(0, token(100), 1));
    EXPECT_EQ(depot->blocks(0), HeapDepot::kSlots);
    u32 count = 0;
    EXPECT_EQ(depot->take(0, count), token(HeapDepot::kSlots));  // the refused one was not kept
    EXPECT_TRUE(depot->put(0, token(101), 1));
}

}  // namespace
}  // namespace kernel::mm

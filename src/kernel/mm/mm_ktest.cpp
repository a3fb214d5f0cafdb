// In-kernel tests of the frame allocator and the kernel heap on this
// machine's real memory (test=mm_ on the command line).
#include "arch/arch.hpp"
#include "kernel/mm/frame_allocator.hpp"
#include "kernel/mm/kernel_heap.hpp"
#include "kernel/test/ktest.hpp"
#include "lib/ktl/new.hpp"
#include "lib/ktl/unique_ptr.hpp"
#include "lib/ktl/vector.hpp"

namespace {

namespace mm = kernel::mm;

u64 free_frames() {
    return mm::frame_allocator().with([](mm::BuddyAllocator& b) { return b.free_frames(); });
}

// What a frame holds in the test: a value no other frame has.
u64 pattern(PhysAddr frame, u64 word) { return frame.value() ^ (word * 0x9E3779B97F4A7C15ULL); }

// Running out for real, with the heap's own counts untouched: every frame
// above 1 MiB taken straight from the frame allocator (chained through
// their first word), so that the heap has nothing to refill from. Then the
// nothrow forms must say no (an empty ktl::unique_ptr, a false try_reserve)
// instead of panicking; once the frames are back, every count is as before.
// The heap's high-water mark does not move, whatever order tests run in.
KTEST(mm_heap_oom_nothrow) {
    struct Block {
        u8 bytes[256 * 1024];
    };
    const mm::HeapStats before = mm::heap_stats();
    const u64 frames_before = free_frames();
    PhysAddr head{};
    bool have = false;
    u64 taken = 0;
    while (ktl::optional<PhysAddr> frame = mm::allocate_frames(0, mm::Zone::Normal)) {
        *arch::phys_to_virt<u64>(*frame) = have ? head.value() : ~0ULL;
        head = *frame;
        have = true;
        ++taken;
    }
    const ktl::unique_ptr<Block> block = ktl::try_make_unique<Block>();
    const bool refused = !block;
    ktl::vector<u64> table;
    const bool grew = table.try_reserve(usize{64} * 1024);  // 512 KiB: whole new pages
    while (have) {
        const u64 next = *arch::phys_to_virt<u64>(head);
        mm::free_frames(head, 0);
        have = next != ~0ULL;
        head = PhysAddr{next};
    }
    KEXPECT(taken > 0);
    KEXPECT(refused);
    KEXPECT(!grew);
    KEXPECT(mm::heap_stats().bytes_in_use == before.bytes_in_use);
    KEXPECT(mm::heap_stats().high_water == before.high_water);
    KEXPECT(free_frames() == frames_before);
}

// Every free frame once, from every zone: each filled and checked, then all
// given back. The frames are chained through their first word, so the test
// needs no memory of its own.
KTEST(mm_frames_every_frame_once) {
    const u64 before = free_frames();
    KEXPECT(before > 0);
    u64 taken = 0;
    PhysAddr head{};
    bool have = false;
    constexpr mm::Zone kZones[] = {mm::Zone::Normal, mm::Zone::Low};
    for (mm::Zone zone : kZones) {
        while (ktl::optional<PhysAddr> frame = mm::allocate_frames(0, zone)) {
            u64* words = arch::phys_to_virt<u64>(*frame);
            for (u64 i = 1; i < mm::kFrameSize / 8; ++i) words[i] = pattern(*frame, i);
            words[0] = have ? head.value() : ~0ULL;
            head = *frame;
            have = true;
            ++taken;
        }
    }
    KEXPECT(taken == before);
    KEXPECT(free_frames() == 0);
    u64 bad = 0;
    u64 freed = 0;
    while (have) {
        const u64* words = arch::phys_to_virt<u64>(head);
        for (u64 i = 1; i < mm::kFrameSize / 8; ++i)
            if (words[i] != pattern(head, i)) ++bad;
        const u64 next = words[0];
        mm::free_frames(head, 0);
        ++freed;
        have = next != ~0ULL;
        head = PhysAddr{next};
    }
    KEXPECT(bad == 0);
    KEXPECT(freed == taken);
    KEXPECT(free_frames() == before);
}

// 10^5 random allocations and frees through operator new and delete, of 1 B
// to 64 KiB, each block filled and checked before its free; at the end the
// heap holds what it held before, and the frame allocator the frames.
KTEST(mm_heap_random_100k) {
    constexpr usize kSlots = 512;
    struct Slot {
        u8* block;
        usize size;
        u8 fill;
    };
    static Slot slots[kSlots];
    const mm::HeapStats before = mm::heap_stats();
    const u64 frames_before = free_frames();
    u64 state = 0x2545F4914F6CDD1DULL;
    auto next = [&state] {  // xorshift64
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    u64 corrupted = 0;
    u64 failed = 0;
    u64 peak = 0;  // bytes in use, sampled: the test must really fill the heap
    auto release = [&](Slot& slot) {
        for (usize i = 0; i < slot.size; ++i)
            if (slot.block[i] != slot.fill) ++corrupted;
        delete[] slot.block;
        slot.block = nullptr;
    };
    for (u32 op = 0; op < 100'000; ++op) {
        Slot& slot = slots[next() % kSlots];
        if (slot.block != nullptr) {
            release(slot);
            continue;
        }
        const u64 r = next();
        // Mostly small, now and then a large block.
        const usize size = r % 16 == 0 ? 1 + r % (u64{64} * 1024) : 1 + r % 512;
        slot.block = new (std::nothrow) u8[size];
        if (slot.block == nullptr) {
            ++failed;
            continue;
        }
        slot.size = size;
        slot.fill = static_cast<u8>(op);
        __builtin_memset(slot.block, slot.fill, size);
        if (op % 256 == 0 && mm::heap_stats().bytes_in_use > peak)
            peak = mm::heap_stats().bytes_in_use;
    }
    for (Slot& slot : slots)
        if (slot.block != nullptr) release(slot);
    const mm::HeapStats after = mm::heap_stats();
    KEXPECT(corrupted == 0);
    KEXPECT(failed == 0);
    KEXPECT(after.bytes_in_use == before.bytes_in_use);
    KEXPECT(after.large_blocks == before.large_blocks);
    for (usize c = 0; c < mm::kHeapClassCount; ++c)
        KEXPECT(after.classes[c].blocks_in_use == before.classes[c].blocks_in_use);
    // Not the high-water mark: a second run (`test` typed twice) reaches
    // the same peak as the first and would not raise it.
    KEXPECT(peak > before.bytes_in_use + u64{256} * 1024);
    KEXPECT(after.high_water >= peak);
    // The heap keeps up to kKeptEmptySlabs empty slabs per class: those pages, and no
    // other, are missing from the frame allocator.
    KEXPECT(free_frames() + (after.pages_held - before.pages_held) == frames_before);
}

// The nothrow forms say "no" with null; the heap is left as it was.
KTEST(mm_heap_nothrow_null_when_too_large) {
    const mm::HeapStats before = mm::heap_stats();
    void* huge = ::operator new(1ULL << 45, std::nothrow);  // 32 TiB
    KEXPECT(huge == nullptr);
    void* misaligned = ::operator new (64, std::align_val_t{8192}, std::nothrow);
    KEXPECT(misaligned == nullptr);
    auto* aligned = static_cast<u8*>(::operator new (100, std::align_val_t{256}));
    KEXPECT((reinterpret_cast<uptr>(aligned) & 255) == 0);
    ::operator delete (aligned, 100, std::align_val_t{256});
    KEXPECT(mm::heap_stats().bytes_in_use == before.bytes_in_use);
}

// A block past the frame allocator's largest (4 MiB) is frames mapped for
// it alone in the heap area (kernel/mm/heap_large.cpp): it holds its bytes,
// and freeing it gives back every frame and its range of the area. The
// first round may leave page tables for the area behind; the second must
// give back exactly what it took, at the same address.
KTEST(mm_heap_large_block_of_mapped_pages) {
    const u64 free_bytes = free_frames() * kPageSize;
    const usize size =
        free_bytes >= (u64{64} << 20) ? (usize{24} << 20) + 100 : (usize{4} << 20) + 8292;
    if (free_bytes < size) {
        // A machine this small has no room: the request is refused, not a panic.
        KEXPECT(::operator new(size, std::nothrow) == nullptr);
        return;
    }
    if (free_bytes < size + (u64{1} << 20)) return;  // it might just fit: nothing to assert
    const arch::HeapArea area = arch::heap_area();
    uptr first_address = 0;
    for (int round = 0; round < 2; ++round) {
        const mm::HeapStats before = mm::heap_stats();
        const u64 frames_before = free_frames();
        auto* words = static_cast<u64*>(::operator new(size, std::nothrow));
        KEXPECT(words != nullptr);
        if (words == nullptr) return;
        const auto address = reinterpret_cast<uptr>(words);
        KEXPECT(address >= area.base && address < area.end);
        if (round == 0) first_address = address;
        KEXPECT(address == first_address);
        const usize count = size / sizeof(u64);
        for (usize i = 0; i < count; ++i) words[i] = pattern(PhysAddr{address}, i);
        bool intact = true;
        for (usize i = 0; i < count; ++i)
            intact = intact && words[i] == pattern(PhysAddr{address}, i);
        KEXPECT(intact);
        KEXPECT(mm::heap_stats().large_blocks == before.large_blocks + 1);
        ::operator delete(words);
        // Only the address is looked at, never the block: hidden from GCC's
        // use-after-free warning, which cannot tell the two apart.
        uptr gone = address;
        asm("" : "+r"(gone));
        KEXPECT(!arch::heap_page_mapped(reinterpret_cast<const void*>(gone)));
        KEXPECT(mm::heap_stats().bytes_in_use == before.bytes_in_use);
        KEXPECT(mm::heap_stats().pages_held == before.pages_held);
        if (round == 1) KEXPECT(free_frames() == frames_before);
    }
}

}  // namespace

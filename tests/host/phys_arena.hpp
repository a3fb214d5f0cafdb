// Host stand-in for physical memory: [0, size) of "physical" addresses backed
// by an anonymous mapping that costs nothing until touched, so that the
// allocators can run on the memory maps of machines with a terabyte of RAM
// (they touch only their bookkeeping and the heads of free blocks).
#pragma once

#include <sys/mman.h>

#include <cstdio>
#include <cstdlib>

#include "kernel/mm/buddy.hpp"

namespace keel_test {

class PhysArena {
public:
    explicit PhysArena(u64 size) : size_(size) {
        void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) {
            std::perror("mmap");
            std::abort();
        }
        base_ = static_cast<u8*>(p);
    }
    ~PhysArena() { munmap(base_, size_); }
    PhysArena(const PhysArena&) = delete;
    PhysArena& operator=(const PhysArena&) = delete;

    [[nodiscard]] kernel::mm::PhysicalWindow window() const {
        return {reinterpret_cast<uptr>(base_)};
    }
    [[nodiscard]] u8* at(u64 phys) const { return base_ + phys; }
    [[nodiscard]] u64 size() const { return size_; }

private:
    u8* base_;
    u64 size_;
};

}  // namespace keel_test

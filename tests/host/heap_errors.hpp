// What the heap host tests hand Heap and BuddyAllocator as their error
// handlers: heap errors recorded for the test to look at, any frame error a
// failure (the heap's tests never misuse frames).
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "kernel/mm/buddy.hpp"
#include "kernel/mm/heap.hpp"

namespace keel_test {

struct HeapErrors {
    std::vector<kernel::mm::HeapError> seen;
    static void record(const kernel::mm::HeapError& e, void* self) {
        static_cast<HeapErrors*>(self)->seen.push_back(e);
    }
    static void frame(const kernel::mm::FrameError&, void*) { ADD_FAILURE() << "frame error"; }
};

}  // namespace keel_test

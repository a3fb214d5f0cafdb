#include "failing_heap.hpp"

#include <cstddef>
#include <new>

namespace {
int g_fail_after = -1;

bool refuse() {
    if (g_fail_after == 0) return true;
    if (g_fail_after > 0) --g_fail_after;
    return false;
}
}  // namespace

void test_heap::fail_nothrow_after(int calls) { g_fail_after = calls; }

// Built on the sanitizer's throwing forms, so its operator delete matches.
void* operator new(std::size_t size, const std::nothrow_t& /*unused*/) noexcept {
    return refuse() ? nullptr : ::operator new(size);
}
void* operator new(std::size_t size, std::align_val_t align,
                   const std::nothrow_t& /*unused*/) noexcept {
    return refuse() ? nullptr : ::operator new(size, align);
}

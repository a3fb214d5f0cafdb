// The host tests' nothrow operator new, which a test can make fail: the
// "the heap has no room" paths of ktl::vector, ktl::try_make_unique and
// their users run for real. The throwing forms are untouched.
#pragma once

namespace test_heap {

// The next `calls` nothrow allocations succeed, then they all return null
// until this is called again; -1 (the default): never fail.
void fail_nothrow_after(int calls);

}  // namespace test_heap

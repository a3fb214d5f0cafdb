#include "arch/x86_64/direct_map.hpp"

namespace arch {

namespace {
struct State {
    u64 offset;               // virtual - physical: 0 early, kDirectMapBase after
    const PhysRange* ranges;  // null while early
    usize count;
};
constinit State g_state{0, nullptr, 0};
}  // namespace

void activate_direct_map(const PhysRange* ranges, usize count) {
    g_state = {kDirectMapBase, ranges, count};
}

bool direct_map_active() { return g_state.ranges != nullptr; }

u64 direct_map_offset() { return g_state.offset; }

bool directly_mapped(PhysRange range) {
    if (g_state.ranges == nullptr)
        return PhysRange{PhysAddr{0}, PhysAddr{kEarlyIdentityLimit}}.contains(range);
    for (usize i = 0; i < g_state.count; ++i)
        if (g_state.ranges[i].contains(range)) return true;
    return false;
}

}  // namespace arch

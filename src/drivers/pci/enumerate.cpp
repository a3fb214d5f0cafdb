#include "drivers/pci/enumerate.hpp"

#include "drivers/pci/registers.hpp"

namespace drivers::pci {

ktl::string_view problem_text(ProblemKind kind) {
    switch (kind) {
        case ProblemKind::BridgeToItself:
            return "bridge whose secondary bus is its own bus (not followed)";
        case ProblemKind::BusReachedTwice:
            return "bridge to a bus already reached (not followed)";
        case ProblemKind::BridgeUnassigned:
            return "bridge without a bus number (the firmware did not configure it)";
        case ProblemKind::BadBusRange:
            return "bridge whose subordinate bus is below its secondary bus";
        case ProblemKind::CapabilityLoop:
            return "capability list that loops (walk stopped)";
        case ProblemKind::CapabilityTooLong:
            return "capability list longer than a configuration space holds (walk stopped)";
        case ProblemKind::Bar64InLastSlot:
            return "64-bit BAR in the last slot (ignored)";
        case ProblemKind::TooManyFunctions:
            return "more functions than Keel keeps (the rest are counted only)";
        case ProblemKind::AccessBudgetSpent:
            return "configuration access budget spent (enumeration stopped early)";
    }
    return "unknown problem";
}

namespace {

// Every access enumeration makes goes through here: once the budget is
// spent, reads return all ones (no device) and writes are dropped, so every
// loop below ends however the space answers.
class Budget {
public:
    Budget(ConfigAccess& config, Enumeration& result, u32 max_accesses)
        : config_(config), result_(result), max_(max_accesses) {}

    bool spend() {
        // Once stopped (spent, or a reservation did not fit), nothing more
        // reaches the device: the walk ends here, not at the budget's end.
        if (exhausted_ || result_.accesses >= max_) {
            stop();
            return false;
        }
        ++result_.accesses;
        return true;
    }
    // Whether `n` more accesses fit; if not the walk stops here. A sequence
    // that changes a device and then restores it reserves its whole length
    // first: cut in the middle, the restore would be dropped and leave the
    // device with decoding off and a BAR at all ones.
    bool reserve(u32 n) {
        if (result_.accesses <= max_ && max_ - result_.accesses >= n) return true;
        stop();
        return false;
    }
    [[nodiscard]] bool exhausted() const { return exhausted_; }

    // Out of line: inlined, the budget check is a copy per access site (a
    // few dozen), code that runs at boot and that QEMU's TCG translates per
    // copy.
    [[gnu::noinline]] u8 read8(Address a, u16 off) {
        return spend() ? config_.read8(a, off) : 0xFF;
    }
    [[gnu::noinline]] u16 read16(Address a, u16 off) {
        return spend() ? config_.read16(a, off) : 0xFFFF;
    }
    [[gnu::noinline]] u32 read32(Address a, u16 off) {
        return spend() ? config_.read32(a, off) : 0xFFFFFFFF;
    }
    [[gnu::noinline]] void write16(Address a, u16 off, u16 v) {
        if (spend()) config_.write16(a, off, v);
    }
    [[gnu::noinline]] void write32(Address a, u16 off, u32 v) {
        if (spend()) config_.write32(a, off, v);
    }

    static void add_problem(Enumeration& r, ProblemKind kind, Address where, u8 bus) {
        ++r.problems_total;
        r.kinds_seen |= 1U << static_cast<u32>(kind);
        if (r.problem_count < Enumeration::kMaxProblems)
            r.problems[r.problem_count++] = Problem{kind, where, bus};
    }

private:
    void stop() {
        if (exhausted_) return;
        exhausted_ = true;
        add_problem(result_, ProblemKind::AccessBudgetSpent, {}, 0);
    }

    ConfigAccess& config_;
    Enumeration& result_;
    u32 max_;
    bool exhausted_ = false;
};

// The lowest address bit the device ignores is the size: probing writes
// all ones and the device keeps only the bits it decodes.
constexpr u64 size_from_mask(u64 mask) { return mask & (~mask + 1); }

// Sizes BAR `index`; returns how many BAR slots it took (2 for 64-bit).
u8 probe_bar(Budget& io, Address a, u8 index, u8 bar_count, Bar& bar, Enumeration& result) {
    const u16 off = static_cast<u16>(reg::kBar0 + 4 * index);
    const u32 original = io.read32(a, off);
    io.write32(a, off, 0xFFFFFFFF);
    const u32 probed = io.read32(a, off);
    io.write32(a, off, original);

    if ((original & reg::kBarIo) != 0) {
        bar.kind = BarKind::Io;
        bar.base = original & ~u32{3};
        u32 mask = probed & ~u32{3};
        // Devices may leave the upper 16 bits of an I/O BAR as zero.
        if (mask != 0 && (mask & 0xFFFF0000U) == 0) mask |= 0xFFFF0000U;
        bar.size = size_from_mask(mask);
        if (bar.size == 0) bar.kind = BarKind::Unused;
        return 1;
    }
    bar.prefetchable = (original & reg::kBarPrefetchable) != 0;
    const u32 type = original & reg::kBarMemTypeMask;
    if (type == reg::kBarMemReserved) {
        bar.kind = BarKind::Bogus;
        return 1;
    }
    if (type == reg::kBarMem64) {
        if (index + 1 >= bar_count) {
            bar.kind = BarKind::Bogus;
            Budget::add_problem(result, ProblemKind::Bar64InLastSlot, a, 0);
            return 1;
        }
        const u16 high_off = static_cast<u16>(off + 4);
        const u32 high = io.read32(a, high_off);
        io.write32(a, high_off, 0xFFFFFFFF);
        const u32 probed_high = io.read32(a, high_off);
        io.write32(a, high_off, high);
        bar.kind = BarKind::Memory64;
        bar.base = (u64{high} << 32) | (original & ~u32{0xF});
        bar.size = size_from_mask((u64{probed_high} << 32) | (probed & ~u32{0xF}));
        if (bar.size == 0) bar.kind = BarKind::Unused;
        return 2;
    }
    bar.kind = BarKind::Memory32;
    bar.base = original & ~u32{0xF};
    bar.size = size_from_mask(probed & ~u32{0xF});
    if (bar.size == 0) bar.kind = BarKind::Unused;
    return 1;
}

// The most accesses probe_bars() makes: the command register read, turned
// off and restored, and four per BAR slot (a 64-bit BAR's eight cover two).
constexpr u32 probe_cost(u8 bar_count) { return 3 + 4 * u32{bar_count}; }

// A host bridge carries the CPU's own path to memory and to the other
// devices: some chipsets hang when its decoding goes off, so Linux never
// turns it off (its mmio_always_on) and neither does Keel.
bool keeps_decoding(const Function& f) {
    return f.class_code == reg::kClassBridge && f.subclass == reg::kSubclassHostBridge;
}

void probe_bars(Budget& io, Address a, Function& f, Enumeration& result) {
    if (f.bar_count == 0) return;
    // All of it or none: the device is left as found either way.
    if (!io.reserve(probe_cost(f.bar_count))) return;
    // Decoding off while a BAR holds all ones, so the device cannot claim
    // addresses that belong to something else meanwhile.
    const bool toggle = !keeps_decoding(f);
    const u16 command = io.read16(a, reg::kCommand);
    if (toggle)
        io.write16(a, reg::kCommand,
                   static_cast<u16>(command & ~(reg::kCommandIo | reg::kCommandMemory)));
    for (u8 i = 0; i < f.bar_count;) i += probe_bar(io, a, i, f.bar_count, f.bars[i], result);
    if (toggle) io.write16(a, reg::kCommand, command);
}

void walk_capabilities(Budget& io, Address a, Function& f, Enumeration& result) {
    if ((io.read16(a, reg::kStatus) & reg::kStatusCapabilities) == 0) return;
    const u16 head = f.header_kind() == HeaderKind::CardBus ? reg::kCardBusCapabilityPointer
                                                            : reg::kCapabilityPointer;
    u8 pointer = io.read8(a, head) & 0xFC;
    u64 seen = 0;  // one bit per dword from 0x40 to 0xFC
    for (u32 hops = 0; pointer >= reg::kFirstCapability; ++hops) {
        if (io.exhausted()) return;
        if (hops == kMaxCapabilityHops) {
            Budget::add_problem(result, ProblemKind::CapabilityTooLong, a, 0);
            return;
        }
        const u64 bit = u64{1} << ((pointer - reg::kFirstCapability) / 4);
        if ((seen & bit) != 0) {
            f.capability_loop = true;
            Budget::add_problem(result, ProblemKind::CapabilityLoop, a, 0);
            return;
        }
        seen |= bit;
        const u8 id = io.read8(a, pointer);
        if (f.capability_count < Function::kMaxCapabilities)
            f.capabilities[f.capability_count++] = Capability{id, pointer};
        ++f.capabilities_total;
        pointer = io.read8(a, static_cast<u16>(pointer + 1)) & 0xFC;
    }
}

void read_function(Budget& io, Address a, Function& f, Enumeration& result) {
    f = Function{};
    f.address = a;
    f.vendor_id = io.read16(a, reg::kVendorId);
    f.device_id = io.read16(a, reg::kDeviceId);
    f.revision = io.read8(a, reg::kRevision);
    f.prog_if = io.read8(a, reg::kProgIf);
    f.subclass = io.read8(a, reg::kSubclass);
    f.class_code = io.read8(a, reg::kClass);
    const u8 header = io.read8(a, reg::kHeaderType);
    f.multifunction = (header & reg::kHeaderMultifunction) != 0;
    f.header_type = header & 0x7F;
    switch (f.header_kind()) {
        case HeaderKind::Device:
            f.bar_count = 6;
            break;
        case HeaderKind::Bridge:
            f.bar_count = 2;
            f.primary_bus = io.read8(a, reg::kPrimaryBus);
            f.secondary_bus = io.read8(a, reg::kSecondaryBus);
            f.subordinate_bus = io.read8(a, reg::kSubordinateBus);
            break;
        default:
            break;
    }
    if (f.header_kind() != HeaderKind::Unknown) {
        f.interrupt_line = io.read8(a, reg::kInterruptLine);
        f.interrupt_pin = io.read8(a, reg::kInterruptPin);
        probe_bars(io, a, f, result);
        walk_capabilities(io, a, f, result);
    }
}

// Buses still to scan, each queued at most once: a bus number is marked
// when queued, so no bridge can bring it back.
class BusQueue {
public:
    bool push(u8 bus) {
        const u32 word = bus / 64;
        const u64 bit = u64{1} << (bus % 64);
        if ((marked_[word] & bit) != 0) return false;
        marked_[word] |= bit;
        queue_[tail_++] = bus;
        return true;
    }
    [[nodiscard]] bool empty() const { return head_ == tail_; }
    u8 pop() { return queue_[head_++]; }

private:
    u64 marked_[kBusCount / 64] = {};
    u8 queue_[kBusCount] = {};
    u32 head_ = 0;
    u32 tail_ = 0;  // at most 256: each bus is pushed once
};

void follow_bridge(const Function& f, BusQueue& buses, Enumeration& result) {
    const Address a = f.address;
    if (f.secondary_bus == 0) {
        Budget::add_problem(result, ProblemKind::BridgeUnassigned, a, 0);
        return;
    }
    if (f.secondary_bus == a.bus) {
        Budget::add_problem(result, ProblemKind::BridgeToItself, a, f.secondary_bus);
        return;
    }
    if (f.subordinate_bus < f.secondary_bus)
        Budget::add_problem(result, ProblemKind::BadBusRange, a, f.subordinate_bus);
    if (!buses.push(f.secondary_bus))
        Budget::add_problem(result, ProblemKind::BusReachedTwice, a, f.secondary_bus);
}

void sort_by_address(ktl::span<Function> functions) {
    // Insertion sort: a few dozen entries, already almost in order.
    for (usize i = 1; i < functions.size(); ++i) {
        for (usize j = i; j > 0 && functions[j].address.key() < functions[j - 1].address.key();
             --j) {
            const Function t = functions[j];
            functions[j] = functions[j - 1];
            functions[j - 1] = t;
        }
    }
}

}  // namespace

void read_function(ConfigAccess& config, Address address, Function& out, Enumeration& result) {
    Budget io(config, result, kMaxAccesses);
    read_function(io, address, out, result);
}

// One walk over buses, devices and functions with every bound in sight.
// NOLINTNEXTLINE(readability-function-cognitive-complexity)
Enumeration enumerate(ConfigAccess& config, ktl::span<Function> out, u32 max_accesses) {
    Enumeration result;
    Budget io(config, result, max_accesses);
    BusQueue buses;
    buses.push(0);
    Function scratch;
    while (!buses.empty() && !io.exhausted()) {
        const u8 bus = buses.pop();
        ++result.buses_scanned;
        for (u8 device = 0; device < kDevicesPerBus; ++device) {
            for (u8 function = 0; function < kFunctionsPerDevice; ++function) {
                const Address a{bus, device, function};
                if (io.read16(a, reg::kVendorId) == reg::kNoVendor) {
                    // No function 0, no device: functions 1-7 are not looked at.
                    if (function == 0) break;
                    continue;
                }
                Function& f = result.kept < out.size() ? out[result.kept] : scratch;
                read_function(io, a, f, result);
                if (io.exhausted()) break;
                if (&f != &scratch) {
                    ++result.kept;
                } else if (result.functions == out.size()) {
                    Budget::add_problem(result, ProblemKind::TooManyFunctions, a, 0);
                }
                ++result.functions;
                if (f.header_kind() == HeaderKind::Bridge) follow_bridge(f, buses, result);
                if (function == 0 && !f.multifunction) break;
            }
        }
    }
    sort_by_address(out.subspan(0, result.kept));
    return result;
}

}  // namespace drivers::pci

#include "kernel/acpi/tables.hpp"

#include "kernel/acpi/bytes.hpp"
#include "kernel/acpi/fadt.hpp"

namespace kernel::acpi {
namespace {

const Signature kFacs = Signature::of("FACS");
const Signature kDsdt = Signature::of("DSDT");
const Signature kFacp = Signature::of("FACP");
const Signature kSsdt = Signature::of("SSDT");
// The FACS has no checksum and a 64-byte minimum (ACPI 6.5 §5.2.10).
constexpr u32 kFacsMinLength = 64;

}  // namespace

void TableList::add(PhysicalReader& reader, PhysAddr phys, const Signature* expected) {
    if (phys.value() == 0) {
        ++null_entries_;
        return;
    }
    if (count_ == kCapacity) {
        ++ignored_;
        return;
    }
    TableEntry& e = entries_[count_];
    e = TableEntry{};
    e.phys = phys;
    e.status = TableStatus::Unusable;
    for (usize i = 0; i < count_; ++i) {
        if (entries_[i].phys == phys) {
            e.signature = entries_[i].signature;
            e.error = Error::Duplicate;
            ++count_;
            return;
        }
    }
    ++count_;
    if (phys == rsdp_.root()) {
        e.error = Error::ListsItself;
        return;
    }
    // The signature and length first: the length says how much to map.
    const Bytes head{reader.read(phys, 8)};
    if (head.size() == 0) {
        e.error = Error::Unreadable;
        return;
    }
    e.signature = Signature::from(head);
    e.length = head.u32_at(4);
    const bool facs = e.signature == kFacs;
    if (expected != nullptr && !(e.signature == *expected)) {
        e.error = Error::BadSignature;
        return;
    }
    if (e.length < (facs ? kFacsMinLength : kHeaderSize)) {
        e.error = Error::TooShort;
        return;
    }
    if (e.length > kMaxTableLength) {
        e.error = Error::TooLong;
        return;
    }
    const ktl::span<const u8> all = reader.read(phys, e.length);
    if (all.empty()) {
        e.error = Error::Unreadable;
        return;
    }
    if (!facs) e.revision = Bytes{all}.u8_at(8);
    if (facs || checksum_ok(all)) {
        e.status = TableStatus::Ok;
    } else {
        e.status = TableStatus::BadChecksum;
        e.error = Error::BadChecksum;
    }
}

Result<void, Error> TableList::discover(PhysicalReader& reader, const Rsdp& rsdp, TableList& out) {
    out = TableList{};
    out.rsdp_ = rsdp;
    const Bytes head{reader.read(rsdp.root(), kHeaderSize)};
    if (head.size() == 0) return Error::Unreadable;
    const Signature want = Signature::of(rsdp.uses_xsdt() ? "XSDT" : "RSDT");
    if (!(Signature::from(head) == want)) return Error::BadSignature;
    const u32 length = head.u32_at(4);
    if (length < kHeaderSize) return Error::TooShort;
    if (length > kMaxTableLength) return Error::TooLong;
    const Bytes root{reader.read(rsdp.root(), length)};
    if (root.size() == 0) return Error::Unreadable;
    out.root_checksum_ok_ = checksum_ok(root.span());

    // Entries are 8 bytes in the XSDT, 4 in the RSDT; a trailing partial
    // entry is ignored.
    const usize entry_size = rsdp.uses_xsdt() ? 8 : 4;
    const usize entries = (length - kHeaderSize) / entry_size;
    for (usize i = 0; i < entries; ++i) {
        if (i == kMaxRootEntries) {
            out.ignored_ += entries - i;
            break;
        }
        const u64 phys = root.le(kHeaderSize + i * entry_size, entry_size);
        out.add(reader, PhysAddr{phys}, nullptr);
    }

    // The DSDT and FACS are not in the root table; the FADT points to them.
    if (const TableEntry* facp = out.find(kFacp)) {
        auto fadt = parse_fadt(Bytes{bytes(reader, *facp)});
        if (fadt) {
            // 0 means absent here (no FACS on hardware-reduced machines).
            if (fadt->dsdt != 0) out.add(reader, PhysAddr{fadt->dsdt}, &kDsdt);
            if (fadt->facs != 0) out.add(reader, PhysAddr{fadt->facs}, &kFacs);
        }
    }
    return {};
}

usize TableList::usable_count() const {
    usize n = 0;
    for (const TableEntry& e : entries())
        if (e.usable()) ++n;
    return n;
}

const TableEntry* TableList::find(Signature signature) const {
    const TableEntry* fallback = nullptr;
    for (const TableEntry& e : entries()) {
        if (!(e.signature == signature) || !e.usable()) continue;
        if (e.status == TableStatus::Ok) return &e;
        if (fallback == nullptr) fallback = &e;
    }
    return fallback;
}

Result<TableEntry, Error> TableList::override_with(PhysicalReader& reader, PhysAddr phys,
                                                   u64 available) {
    if (available < kHeaderSize) return Error::TooShort;
    const Bytes head{reader.read(phys, kHeaderSize)};
    if (head.size() == 0) return Error::Unreadable;
    TableEntry e{};
    e.signature = Signature::from(head);
    // The FACS is the firmware's own memory for waking up, and a root table
    // lists tables: neither is one a module can stand in for.
    if (e.signature == kFacs || e.signature == Signature::of("XSDT") ||
        e.signature == Signature::of("RSDT"))
        return Error::BadSignature;
    e.length = head.u32_at(4);
    if (e.length < kHeaderSize) return Error::TooShort;
    if (e.length > available) return Error::PastModuleEnd;
    if (e.length > kMaxTableLength) return Error::TooLong;
    const ktl::span<const u8> all = reader.read(phys, e.length);
    if (all.empty()) return Error::Unreadable;
    if (!checksum_ok(all)) return Error::BadChecksum;
    e.phys = phys;
    e.revision = Bytes{all}.u8_at(8);
    e.status = TableStatus::Ok;
    e.supplied = true;
    const TableEntry* used = e.signature == kSsdt ? nullptr : find(e.signature);
    if (used != nullptr) {
        TableEntry& target = entries_[used - entries_];
        e.replaced = target.phys;
        target = e;
        return e;
    }
    if (count_ == kCapacity) return Error::ListFull;
    entries_[count_++] = e;
    return e;
}

ktl::span<const u8> TableList::bytes(PhysicalReader& reader, const TableEntry& entry) {
    if (!entry.usable()) return {};
    return reader.read(entry.phys, entry.length);
}

}  // namespace kernel::acpi

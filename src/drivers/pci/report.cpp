#include "drivers/pci/report.hpp"

#include "drivers/pci/names.hpp"
#include "lib/format/format.hpp"
#include "lib/units.hpp"

namespace drivers::pci {

namespace {

void put_size(ReportLine& out, u64 size) {
    // Sizes are powers of two; the largest unit that divides them exactly.
    if (size >= kGiB && size % kGiB == 0)
        kfmt::format_to(out, "{} GiB", size / kGiB);
    else if (size >= kMiB && size % kMiB == 0)
        kfmt::format_to(out, "{} MiB", size / kMiB);
    else if (size >= kKiB && size % kKiB == 0)
        kfmt::format_to(out, "{} KiB", size / kKiB);
    else
        kfmt::format_to(out, "{} B", size);
}

void put_bar(ReportLine& out, u8 index, const Bar& bar) {
    kfmt::format_to(out, ", BAR{} ", index);
    if (bar.kind == BarKind::Bogus) {
        kfmt::format_to(out, "invalid");
        return;
    }
    put_size(out, bar.size);
    kfmt::format_to(out, " {}{}", bar.kind == BarKind::Io ? "io" : "mem",
                    bar.kind == BarKind::Memory64 ? "64" : "");
    if (bar.prefetchable) kfmt::format_to(out, " pref");
}

void put_capabilities(ReportLine& out, const Function& f) {
    const bool msi = f.has_capability(kCapMsi);
    const bool msix = f.has_capability(kCapMsiX);
    const bool pcie = f.has_capability(kCapPciExpress);
    if (!msi && !msix && !pcie && !f.capability_loop) return;
    kfmt::format_to(out, ", caps");
    if (msi) kfmt::format_to(out, " MSI");
    if (msix) kfmt::format_to(out, " MSI-X");
    if (pcie) kfmt::format_to(out, " PCIe");
    if (f.capability_loop) kfmt::format_to(out, " (list loops)");
}

}  // namespace

void describe(const Function& f, ReportLine& out, const names::NameTable& table) {
    const Address a = f.address;
    kfmt::format_to(out, "pci {:02x}:{:02x}.{} [{:04x}] ", a.bus, a.device, a.function,
                    f.class_word());
    const Name cls = class_name(f.class_code, f.subclass, table);
    kfmt::format_to(out, "{}: ", cls.empty() ? ktl::string_view{"Unknown class"} : cls.view());
    const Name vendor = vendor_name(f.vendor_id, table);
    const Name device = device_name(f.vendor_id, f.device_id, table);
    if (!vendor.empty()) kfmt::format_to(out, "{} ", vendor.view());
    if (!device.empty())
        kfmt::format_to(out, "{} [{:04x}:{:04x}]", device.view(), f.vendor_id, f.device_id);
    else
        kfmt::format_to(out, "{:04x}:{:04x} (unknown device)", f.vendor_id, f.device_id);
    if (f.revision != 0) kfmt::format_to(out, " (rev {:02x})", f.revision);
    if (f.header_kind() == HeaderKind::Unknown)
        kfmt::format_to(out, ", header type {:#x} (not read further)", f.header_type);
    for (u8 i = 0; i < f.bar_count; ++i)
        if (f.bars[i].kind != BarKind::Unused) put_bar(out, i, f.bars[i]);
    if (f.header_kind() == HeaderKind::Bridge)
        kfmt::format_to(out, ", buses {:02x}-{:02x}", f.secondary_bus, f.subordinate_bus);
    if (f.interrupt_pin >= 1 && f.interrupt_pin <= 4) {
        kfmt::format_to(out, ", INT{}", static_cast<char>('A' + f.interrupt_pin - 1));
        if (f.interrupt_line != 0xFF) kfmt::format_to(out, " IRQ {}", f.interrupt_line);
    }
    put_capabilities(out, f);
}

void describe(const Problem& p, ReportLine& out) {
    kfmt::format_to(out, "pci {:02x}:{:02x}.{}: {}", p.where.bus, p.where.device, p.where.function,
                    problem_text(p.kind));
    if (p.kind == ProblemKind::BusReachedTwice || p.kind == ProblemKind::BridgeToItself ||
        p.kind == ProblemKind::BadBusRange)
        kfmt::format_to(out, " (bus {:02x})", p.bus);
}

}  // namespace drivers::pci

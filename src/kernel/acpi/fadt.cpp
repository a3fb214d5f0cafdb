#include "kernel/acpi/fadt.hpp"

#include "kernel/acpi/header.hpp"

namespace kernel::acpi {
namespace {

// Field offsets (ACPI 6.5 table 5.9).
constexpr usize kFirmwareCtrl = 36, kDsdt = 40, kSciInt = 46, kSmiCmd = 48, kAcpiEnable = 52,
                kAcpiDisable = 53, kPm1aEvt = 56, kPm1bEvt = 60, kPm1aCnt = 64, kPm1bCnt = 68,
                kPmTmr = 76, kGpe0Blk = 80, kGpe1Blk = 84, kGpe0BlkLen = 92, kGpe1BlkLen = 93,
                kGpe1Base = 94, kPm1EvtLen = 88, kPm1CntLen = 89, kPmTmrLen = 91, kBootArch = 109,
                kFlags = 112, kResetReg = 116, kResetValue = 128, kMinorVersion = 131,
                kXFirmwareCtrl = 132, kXDsdt = 140, kXPm1aEvt = 148, kXPm1bEvt = 160,
                kXPm1aCnt = 172, kXPm1bCnt = 184, kXPmTmr = 208, kXGpe0Blk = 220, kXGpe1Blk = 232,
                kSleepControl = 244, kSleepStatus = 256;
// The RTC's century register index (ACPI 6.5 table 5.9, CENTURY).
constexpr usize kCentury = 108;

// The X_ register when the table holds it and it is set, else the 32-bit
// I/O block of `length` bytes.
GenericAddress pick(Bytes t, usize x_offset, usize block_offset, u8 length) {
    if (t.covers(x_offset, kGenericAddressSize)) {
        const GenericAddress x = GenericAddress::read(t, x_offset);
        if (x.present()) return x;
    }
    const u32 port = t.u32_at(block_offset);
    if (port == 0) return {};
    return GenericAddress::io_port(port, length);
}

// A GPE block, absent when it has no address or fewer than two bytes (one
// status and one enable register). The length must be even (§5.2.9): an
// odd last byte is dropped rather than taken for half a pair.
GpeBlock pick_gpe(Bytes t, usize x_offset, usize block_offset, u8 length) {
    GpeBlock b{pick(t, x_offset, block_offset, 1), static_cast<u8>(length & ~1U)};
    b.where.bit_width = 8;
    if (!b.present()) return {};
    return b;
}

u64 pick_address(Bytes t, usize x_offset, usize offset) {
    if (t.covers(x_offset, 8) && t.u64_at(x_offset) != 0) return t.u64_at(x_offset);
    return t.u32_at(offset);
}

}  // namespace

Result<Fadt, TableError> parse_fadt(Bytes table) {
    auto header = read_header(table);
    if (!header) return TableError{header.error(), 0};
    if (!(header->signature == Signature::of("FACP"))) return TableError{Error::BadSignature, 0};
    if (header->length < kFadtMinLength || header->length > table.size())
        return TableError{Error::TooShort, 0};
    // From here on only the table's own length is visible.
    const Bytes t = table.sub(0, header->length);

    Fadt f{};
    f.revision = header->revision;
    f.length = header->length;
    f.minor_revision = static_cast<u8>(t.u8_at(kMinorVersion) & 0x0f);
    f.facs = pick_address(t, kXFirmwareCtrl, kFirmwareCtrl);
    f.dsdt = pick_address(t, kXDsdt, kDsdt);
    f.sci_interrupt = t.u16_at(kSciInt);
    f.smi_command_port = t.u32_at(kSmiCmd);
    f.acpi_enable = t.u8_at(kAcpiEnable);
    f.acpi_disable = t.u8_at(kAcpiDisable);
    const u8 evt_len = t.u8_at(kPm1EvtLen);
    const u8 cnt_len = t.u8_at(kPm1CntLen);
    f.pm1a_event = pick(t, kXPm1aEvt, kPm1aEvt, evt_len);
    f.pm1b_event = pick(t, kXPm1bEvt, kPm1bEvt, evt_len);
    f.pm1a_control = pick(t, kXPm1aCnt, kPm1aCnt, cnt_len);
    f.pm1b_control = pick(t, kXPm1bCnt, kPm1bCnt, cnt_len);
    f.pm_timer = pick(t, kXPmTmr, kPmTmr, t.u8_at(kPmTmrLen));
    f.gpe0 = pick_gpe(t, kXGpe0Blk, kGpe0Blk, t.u8_at(kGpe0BlkLen));
    f.gpe1 = pick_gpe(t, kXGpe1Blk, kGpe1Blk, t.u8_at(kGpe1BlkLen));
    if (f.gpe1.present()) f.gpe1_base = t.u8_at(kGpe1Base);
    f.century = t.u8_at(kCentury);
    f.flags = t.u32_at(kFlags);
    // Revision 1 defines the two bytes at 109 as reserved.
    f.has_boot_arch = f.revision >= 2 && t.covers(kBootArch, 2);
    if (f.has_boot_arch) f.boot_arch = t.u16_at(kBootArch);
    f.has_reset_register = t.covers(kResetValue, 1);
    if (f.has_reset_register) {
        f.reset_register = GenericAddress::read(t, kResetReg);
        f.reset_value = t.u8_at(kResetValue);
    }
    if (t.covers(kSleepControl, kGenericAddressSize))
        f.sleep_control = GenericAddress::read(t, kSleepControl);
    if (t.covers(kSleepStatus, kGenericAddressSize))
        f.sleep_status = GenericAddress::read(t, kSleepStatus);
    return f;
}

}  // namespace kernel::acpi

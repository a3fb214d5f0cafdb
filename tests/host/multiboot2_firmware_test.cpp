// The Multiboot2 tags that locate firmware and loader data (boot device, ELF
// sections, APM, EFI, SMBIOS, ACPI, network): where each points, and its checks.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>

#include "mbi_parse.hpp"

namespace mb2 = boot::multiboot2;
using mb2::Error;
using mbi_test::expect_tag_error;
using mbi_test::kPhys;
using mbi_test::MbiBuilder;
using mbi_test::Parsed;
using mbi_test::Payload;
using mbi_test::run_ok;

TEST(Multiboot2Tags, BootDevice) {
    Parsed p = run_ok(MbiBuilder().boot_device(0x80, 1, 0xffffffff));
    EXPECT_TRUE(p.info->boot_device.present);
    EXPECT_EQ(p.info->boot_device.biosdev, 0x80u);
    EXPECT_EQ(p.info->boot_device.partition, 1u);
    EXPECT_EQ(p.info->boot_device.sub_partition, 0xffffffffu);
    expect_tag_error(MbiBuilder().tag(5, Payload().u32(1).u32(2)), Error::TagTooShort, 8, 5);
}

TEST(Multiboot2Tags, ElfSections) {
    MbiBuilder b;
    b.cmdline("x");
    const uint32_t at = b.offset();
    Parsed p = run_ok(b.elf_sections(12, 64, 11));
    const mb2::ElfSections& elf = p.info->elf_sections;
    EXPECT_TRUE(elf.present);
    EXPECT_EQ(elf.num, 12u);
    EXPECT_EQ(elf.entsize, 64u);
    EXPECT_EQ(elf.shndx, 11u);
    EXPECT_EQ(elf.headers_phys, kPhys + at + 20);
    EXPECT_EQ(elf.headers_size, 12u * 64);
}

TEST(Multiboot2Tags, ElfSections32BitAndEmpty) {
    EXPECT_EQ(run_ok(MbiBuilder().elf_sections(3, 40, 2)).info->elf_sections.entsize, 40u);
    Parsed empty = run_ok(MbiBuilder().elf_sections(0, 0, 0));
    EXPECT_TRUE(empty.info->elf_sections.present);
    EXPECT_EQ(empty.info->elf_sections.headers_size, 0u);
}

TEST(Multiboot2Tags, ElfSectionsErrors) {
    expect_tag_error(MbiBuilder().elf_sections(3, 8, 1), Error::ElfEntsizeInvalid, 8, 9);
    expect_tag_error(MbiBuilder().elf_sections(3, 64, 3), Error::ElfShndxOutOfRange, 8, 9);
    // Claims 100 headers but carries 2.
    expect_tag_error(MbiBuilder().tag(9, Payload().u32(100).u32(64).u32(1).zeros(128)),
                     Error::ElfSectionsOverrun, 8, 9);
    // num * entsize far beyond 32 bits must not wrap into a small number.
    expect_tag_error(
        MbiBuilder().tag(9, Payload().u32(0x80000000).u32(0x80000000).u32(1).zeros(64)),
        Error::ElfSectionsOverrun, 8, 9);
    expect_tag_error(MbiBuilder().tag(9, Payload().u32(1).u32(64)), Error::TagTooShort, 8, 9);
}

TEST(Multiboot2Tags, Apm) {
    Parsed p = run_ok(MbiBuilder().apm());
    const mb2::Apm& apm = p.info->apm;
    EXPECT_TRUE(apm.present);
    EXPECT_EQ(apm.version, 0x0102u);
    EXPECT_EQ(apm.cseg, 0xf000u);
    EXPECT_EQ(apm.offset, 0x1234u);
    EXPECT_EQ(apm.cseg_16, 0xf000u);
    EXPECT_EQ(apm.dseg, 0x40u);
    EXPECT_EQ(apm.flags, 3u);
    EXPECT_EQ(apm.cseg_len, 0xffffu);
    EXPECT_EQ(apm.cseg_16_len, 0xfff0u);
    EXPECT_EQ(apm.dseg_len, 0x100u);
    expect_tag_error(MbiBuilder().tag(10, Payload().zeros(19)), Error::TagTooShort, 8, 10);
}

TEST(Multiboot2Tags, EfiSystemTablesAndImageHandles) {
    Parsed p = run_ok(MbiBuilder()
                          .efi32(0x7f000000)
                          .efi64(0x1'7f9e'e018ull)
                          .efi32_image_handle(0x7e000000)
                          .efi64_image_handle(0x2'0000'1000ull)
                          .load_base(0x1000000));
    ASSERT_TRUE(p.info->efi32_system_table.has_value());
    EXPECT_EQ(*p.info->efi32_system_table, 0x7f000000u);
    ASSERT_TRUE(p.info->efi64_system_table.has_value());
    EXPECT_EQ(*p.info->efi64_system_table, 0x1'7f9e'e018ull);
    EXPECT_EQ(*p.info->efi32_image_handle, 0x7e000000u);
    EXPECT_EQ(*p.info->efi64_image_handle, 0x2'0000'1000ull);
    ASSERT_TRUE(p.info->load_base_addr.has_value());
    EXPECT_EQ(*p.info->load_base_addr, 0x1000000u);
    Parsed none = run_ok(MbiBuilder());
    EXPECT_FALSE(none.info->efi64_system_table.has_value());
    EXPECT_FALSE(none.info->load_base_addr.has_value());
}

TEST(Multiboot2Tags, EfiPointerTagsTooShort) {
    for (uint32_t type : {11u, 19u, 21u})
        expect_tag_error(MbiBuilder().tag(type, Payload().u16(1)), Error::TagTooShort, 8, type);
    for (uint32_t type : {12u, 20u})
        expect_tag_error(MbiBuilder().tag(type, Payload().u32(1)), Error::TagTooShort, 8, type);
}

TEST(Multiboot2Tags, EfiBootServicesNotTerminated) {
    EXPECT_TRUE(run_ok(MbiBuilder().efi_boot_services()).info->efi_boot_services_not_terminated);
    EXPECT_FALSE(run_ok(MbiBuilder()).info->efi_boot_services_not_terminated);
}

TEST(Multiboot2Tags, Smbios) {
    MbiBuilder b;
    const uint32_t at = b.offset();
    Parsed p = run_ok(b.smbios(3, 2, 24));
    EXPECT_TRUE(p.info->smbios.present);
    EXPECT_EQ(p.info->smbios.major, 3);
    EXPECT_EQ(p.info->smbios.minor, 2);
    EXPECT_EQ(p.info->smbios.tables_phys, kPhys + at + 16);
    EXPECT_EQ(p.info->smbios.tables_size, 24u);
    expect_tag_error(MbiBuilder().tag(13, Payload().u8(2).u8(8)), Error::TagTooShort, 8, 13);
}

TEST(Multiboot2Tags, AcpiOldRsdp) {
    MbiBuilder b;
    const uint32_t at = b.offset();
    const auto rsdp = mbi_test::make_rsdp(0, "BOCHS");
    Parsed p = run_ok(b.acpi_old(rsdp));
    const mb2::Rsdp& r = p.info->acpi_old;
    EXPECT_TRUE(r.present);
    EXPECT_FALSE(p.info->acpi_new.present);
    EXPECT_EQ(r.revision, 0);
    EXPECT_EQ(std::string(r.oem_id), "BOCHS ");
    EXPECT_EQ(r.length, 20u);
    EXPECT_EQ(r.phys, kPhys + at + 8);
    EXPECT_EQ(0, std::memcmp(r.bytes, rsdp.data(), 20));
}

TEST(Multiboot2Tags, AcpiNewRsdp) {
    const auto rsdp = mbi_test::make_rsdp(2, "ALASKA");
    Parsed p = run_ok(MbiBuilder().acpi_old(mbi_test::make_rsdp(0)).acpi_new(rsdp));
    const mb2::Rsdp& r = p.info->acpi_new;
    EXPECT_TRUE(r.present);
    EXPECT_TRUE(p.info->acpi_old.present);
    EXPECT_EQ(r.revision, 2);
    EXPECT_EQ(std::string(r.oem_id), "ALASKA");
    EXPECT_EQ(r.length, 36u);
    EXPECT_EQ(0, std::memcmp(r.bytes, rsdp.data(), 36));
    EXPECT_EQ(p.info->duplicate_tags, 0u);
}

TEST(Multiboot2Tags, AcpiNewRsdpLongerThan36) {
    auto rsdp = mbi_test::make_rsdp(2);
    rsdp.resize(40, 0xee);
    rsdp[20] = 40;
    Parsed p = run_ok(MbiBuilder().acpi_new(rsdp));
    EXPECT_EQ(p.info->acpi_new.length, 40u);
}

TEST(Multiboot2Tags, RsdpErrors) {
    auto v1 = mbi_test::make_rsdp(0);
    auto v2 = mbi_test::make_rsdp(2);
    expect_tag_error(MbiBuilder().acpi_old({v1.begin(), v1.begin() + 19}), Error::RsdpTooShort, 8,
                     14);
    expect_tag_error(MbiBuilder().acpi_new(v1), Error::RsdpTooShort, 8, 15);
    expect_tag_error(MbiBuilder().acpi_new({v2.begin(), v2.begin() + 35}), Error::RsdpTooShort, 8,
                     15);
    auto bad_sig = v1;
    bad_sig[0] = 'X';
    expect_tag_error(MbiBuilder().acpi_old(bad_sig), Error::RsdpBadSignature, 8, 14);
    auto short_len = v2;
    short_len[20] = 20;
    expect_tag_error(MbiBuilder().acpi_new(short_len), Error::RsdpLengthInvalid, 8, 15);
    auto long_len = v2;
    long_len[20] = 37;  // One byte more than the tag holds.
    expect_tag_error(MbiBuilder().acpi_new(long_len), Error::RsdpLengthInvalid, 8, 15);
    auto huge_len = v2;
    huge_len[23] = 0xff;
    expect_tag_error(MbiBuilder().acpi_new(huge_len), Error::RsdpLengthInvalid, 8, 15);
}

TEST(Multiboot2Tags, Network) {
    MbiBuilder b;
    const uint32_t at = b.offset();
    Parsed p = run_ok(b.network(300).network(548));
    EXPECT_EQ(p.info->network.count, 2u);
    EXPECT_EQ(p.info->network.first_dhcp_ack_size, 300u);
    EXPECT_EQ(p.info->network.first_dhcp_ack_phys, kPhys + at + 8);
    EXPECT_EQ(p.info->duplicate_tags, 0u);
}

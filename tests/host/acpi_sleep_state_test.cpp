// The \_S5_ byte scan (kernel/acpi/sleep_state.hpp): hand-made AML for each
// encoding and each hostile shape, QEMU's own DSDTs (tests/data/acpi), and
// the 200 real machines' DSDTs of ../shared/acpi-corpus (skipped, saying
// so, where that folder is absent).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "acpi_builder.hpp"
#include "kernel/acpi/sleep_state.hpp"

namespace kernel::acpi {
namespace {

namespace fs = std::filesystem;
using acpi_test::Bytes;

Result<SleepType, SleepTypeError> scan(const Bytes& table) {
    return find_s5(acpi_test::view(table));
}

Bytes dsdt(const Bytes& aml) { return acpi_test::table("DSDT", aml, 2); }

// Name (_S5_, Package (n) { elements }) with a one-byte PkgLength.
Bytes s5(const Bytes& elements, uint8_t count, bool root = false) {
    Bytes aml = {0x08};
    if (root) aml.push_back('\\');
    for (char c : std::string("_S5_")) aml.push_back(static_cast<uint8_t>(c));
    aml.push_back(0x12);
    aml.push_back(static_cast<uint8_t>(2 + elements.size()));  // itself, NumElements
    aml.push_back(count);
    aml.insert(aml.end(), elements.begin(), elements.end());
    return aml;
}

TEST(SleepState, ByteConstants) {
    const auto r = scan(dsdt(s5({0x0A, 0x07, 0x0A, 0x05, 0x00, 0x00}, 4)));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->a, 7);
    EXPECT_EQ(r->b, 5);
    EXPECT_EQ(r->offset, 36U);
}

TEST(SleepState, ZeroOneAndWiderPrefixes) {
    auto r = scan(dsdt(s5({0x01, 0x00}, 2)));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->a, 1);
    EXPECT_EQ(r->b, 0);
    r = scan(dsdt(s5({0x0B, 0x06, 0x00, 0x0C, 0x03, 0, 0, 0}, 2)));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->a, 6);
    EXPECT_EQ(r->b, 3);
    r = scan(dsdt(s5({0x0E, 2, 0, 0, 0, 0, 0, 0, 0, 0x00}, 2)));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->a, 2);
}

TEST(SleepState, RootPrefixAndOffset) {
    Bytes aml = {0x10, 0x20, 0x30};  // something before it
    const Bytes name = s5({0x0A, 0x05, 0x0A, 0x05}, 2, true);
    aml.insert(aml.end(), name.begin(), name.end());
    const auto r = scan(dsdt(aml));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->a, 5);
    EXPECT_EQ(r->offset, 36U + 3);
}

TEST(SleepState, OneIntegerHoldsBothTypes) {
    // The ACPI 1.0 form: SLP_TYPa in the low byte, SLP_TYPb in the next.
    const auto r = scan(dsdt(s5({0x0B, 0x07, 0x05}, 1)));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->a, 7);
    EXPECT_EQ(r->b, 5);
}

TEST(SleepState, MultiBytePackageLength) {
    // PkgLength 0x41 0x01: one more byte, length = 1 | 0x01 << 4 = 17.
    Bytes aml = {0x08, '_', 'S', '5', '_', 0x12, 0x41, 0x01, 0x04, 0x0A, 0x03, 0x0A, 0x04};
    aml.resize(aml.size() + 10, 0x00);  // the rest of the 17 bytes: Zero elements
    const auto r = scan(dsdt(aml));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->a, 3);
    EXPECT_EQ(r->b, 4);
}

TEST(SleepState, SkipsMethodsAndReferencesForTheRealPackage) {
    // A reference to _S5_ (no NameOp), a Method named _S5_, then the package.
    Bytes aml = {0x70, '_', 'S', '5', '_', 0x60, 0x14, 0x08, '_', 'S', '5', '_', 0x00, 0xA4, 0x00};
    const Bytes name = s5({0x0A, 0x07, 0x0A, 0x07}, 2);
    aml.insert(aml.end(), name.begin(), name.end());
    const auto r = scan(dsdt(aml));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->a, 7);
}

TEST(SleepState, APackageAfterTheNameIsNotEnoughWithoutNameOp) {
    // Return (_S5_ (Package () {3, 3})): a call, no NameOp; then the object.
    Bytes aml = {0xA4, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0A, 0x03, 0x0A, 0x03};
    const Bytes name = s5({0x0A, 0x07, 0x0A, 0x07}, 2);
    aml.insert(aml.end(), name.begin(), name.end());
    const auto r = scan(dsdt(aml));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->a, 7);
    EXPECT_EQ(r->offset, 36U + 12);
}

TEST(SleepState, SaysWhyThereIsNone) {
    EXPECT_EQ(scan(dsdt({0x10, 0x20})).error(), SleepTypeError::NotFound);
    // Named, but as a package of an expression: needs an interpreter.
    EXPECT_EQ(scan(dsdt(s5({0x72, 0x01, 0x01, 0x00}, 2))).error(), SleepTypeError::Undecodable);
    EXPECT_EQ(scan(dsdt(s5({0x0A, 0x09, 0x00}, 2))).error(), SleepTypeError::OutOfRange);
    EXPECT_EQ(scan(acpi_test::table("FACP", s5({0x00, 0x00}, 2))).error(),
              SleepTypeError::NotAnAmlTable);
    EXPECT_EQ(scan(Bytes(20, 0)).error(), SleepTypeError::NotAnAmlTable);
    EXPECT_FALSE(describe(SleepTypeError::Undecodable).empty());
}

TEST(SleepState, SsdtIsScannedToo) {
    const auto r = scan(acpi_test::table("SSDT", s5({0x0A, 0x05, 0x0A, 0x05}, 2)));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->a, 5);
}

TEST(SleepState, TruncationsNeverReadPastTheEnd) {
    // Every prefix of a good table, with its header length left claiming
    // the whole: the scan is bounded by the bytes it is given (ASan checks
    // the reads; each prefix either finds nothing or the full package).
    const Bytes whole = dsdt(s5({0x0C, 0x07, 0, 0, 0, 0x0A, 0x07}, 2));
    for (size_t n = 0; n < whole.size(); ++n) {
        std::vector<uint8_t> cut(whole.begin(), whole.begin() + static_cast<long>(n));
        EXPECT_FALSE(scan(cut).ok()) << n;
    }
    EXPECT_TRUE(scan(whole).ok());
    // A package length past the table's end is refused.
    Bytes lying = s5({0x0A, 0x07, 0x0A, 0x07}, 2);
    lying[6] = 0x3F;
    EXPECT_EQ(scan(dsdt(lying)).error(), SleepTypeError::Undecodable);
    // A header length shorter than the bytes hides what lies beyond it.
    Bytes shortened = dsdt(s5({0x0A, 0x07, 0x0A, 0x07}, 2));
    acpi_test::put(shortened, 4, shortened.size() - 1, 4);
    EXPECT_EQ(scan(shortened).error(), SleepTypeError::Undecodable);
}

std::vector<uint8_t> read_file(const fs::path& path) {
    std::vector<uint8_t> bytes(fs::file_size(path));
    std::ifstream in(path, std::ios::binary);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return bytes;
}

TEST(SleepStateGolden, QemuSoftOffIsTypeZeroOnEveryFirmware) {
    // QEMU's DSDT: Name (_S5, Package (0x04) { Zero, Zero, Zero, Zero }).
    for (const char* name :
         {"seabios-pc", "seabios-pc-nohpet", "seabios-q35", "ovmf-pc", "ovmf-q35"}) {
        const auto table = read_file(fs::path(KEEL_TEST_DATA_DIR) / "acpi" / name / "dsdt.dat");
        const auto r = scan(table);
        ASSERT_TRUE(r.ok()) << name << ": " << describe(r.error()).data();
        EXPECT_EQ(r->a, 0) << name;
        EXPECT_EQ(r->b, 0) << name;
        EXPECT_EQ(table[r->offset], 0x08) << name;
    }
}

fs::path corpus_dir() {
    if (const char* env = std::getenv("KEEL_ACPI_CORPUS")) return env;
    return fs::path(KEEL_TEST_DATA_DIR) / ".." / ".." / ".." / "shared" / "acpi-corpus";
}

TEST(SleepStateCorpus, RealMachinesDsdtsYieldSoftOff) {
    const fs::path dir = corpus_dir();
    if (!fs::is_directory(dir)) GTEST_SKIP() << "no ACPI corpus at " << dir;
    int machines = 0, found = 0;
    std::map<int, int> slp_typ_a;
    std::vector<std::string> exceptions;
    for (const auto& entry : fs::directory_iterator(dir)) {
        const fs::path file = entry.path() / "dsdt.dat";
        if (!fs::exists(file)) continue;
        ++machines;
        const auto r = scan(read_file(file));
        if (r.ok()) {
            ++found;
            ++slp_typ_a[r->a];
        } else {
            exceptions.push_back(entry.path().filename().string() + ": " +
                                 std::string(describe(r.error()).data()));
        }
    }
    for (const std::string& e : exceptions) std::printf("no \\_S5_: %s\n", e.c_str());
    std::printf("\\_S5_ found in %d of %d DSDTs;", found, machines);
    for (auto [type, n] : slp_typ_a) std::printf(" SLP_TYPa %d: %d", type, n);
    std::printf("\n");
    ASSERT_EQ(machines, 200);
    // The corpus README's own count (an independent scan): 198 of 200, with
    // SLP_TYPa 7 on Intel chipsets (145) and 5 on AMD (50).
    EXPECT_GE(found, 198);
    EXPECT_EQ(slp_typ_a[7], 145);
    EXPECT_EQ(slp_typ_a[5], 50);
}

}  // namespace
}  // namespace kernel::acpi

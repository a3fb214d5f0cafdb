// The PCI name table (drivers/pci/names.hpp): the generated table checked
// against pci.ids itself, read here independently of tools/pciids2cpp.py,
// and the token expansion against hand-made tables, hostile ones included.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "drivers/pci/names.hpp"

namespace {

using drivers::pci::Name;
using drivers::pci::names::NameTable;

std::string str(const Name& name) { return {name.text, name.length}; }

bool printable_ascii(const std::string& text) {
    for (const char c : text)
        if (c < 0x20 || c > 0x7E) return false;
    return true;
}

std::string trim(const std::string& text) {
    const size_t first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

TEST(PciNames, FromPciIds) {
    EXPECT_EQ(str(drivers::pci::vendor_name(0x8086)), "Intel Corporation");
    EXPECT_EQ(str(drivers::pci::device_name(0x8086, 0x100e)),
              "82540EM Gigabit Ethernet Controller");
    EXPECT_EQ(str(drivers::pci::class_name(0x03, 0x00)), "VGA compatible controller");
    // A subclass pci.ids lacks falls back to the class name.
    EXPECT_EQ(str(drivers::pci::class_name(0x03, 0x7f)), "Display controller");
    EXPECT_TRUE(drivers::pci::device_name(0x1234, 0x1111).empty());
    EXPECT_TRUE(drivers::pci::class_name(0xfe, 0x00).empty());
}

// Every vendor and device line of pci.ids whose name is plain ASCII (the
// generator reduces other letters) comes back from the table letter for
// letter: the words it replaced with tokens are expanded exactly.
TEST(PciNames, EveryAsciiNameOfPciIdsExpandsExactly) {
    std::ifstream ids(KEEL_PCI_IDS_FILE);
    ASSERT_TRUE(ids) << "cannot read " << KEEL_PCI_IDS_FILE;
    int vendor = -1;
    size_t vendors = 0;
    size_t devices = 0;
    std::string line;
    while (std::getline(ids, line)) {
        if (line.empty() || line[0] == '#') continue;
        if (line.rfind("C ", 0) == 0) break;  // the class list follows the vendors
        const bool is_device = line[0] == '\t' && line.size() > 1 && line[1] != '\t';
        if (!is_device && !isxdigit(static_cast<unsigned char>(line[0]))) continue;
        const size_t at = is_device ? 1 : 0;
        if (line.size() < at + 6) continue;
        const int id = std::stoi(line.substr(at, 4), nullptr, 16);
        const std::string name = trim(line.substr(at + 4));
        if (!is_device) vendor = id;
        if (!printable_ascii(name)) continue;
        if (!is_device) {
            ASSERT_EQ(str(drivers::pci::vendor_name(static_cast<u16>(id))), name)
                << "vendor " << std::hex << id;
            ++vendors;
        } else {
            // Device names are kept for some vendors only (docs/pci.md).
            const Name got =
                drivers::pci::device_name(static_cast<u16>(vendor), static_cast<u16>(id));
            if (got.empty()) continue;
            ASSERT_EQ(str(got), name) << "device " << std::hex << vendor << ":" << id;
            ++devices;
        }
    }
    // pci.ids 2023: some 2300 vendors, 8000 devices of the default vendors.
    EXPECT_GT(vendors, 2000U);
    EXPECT_GT(devices, 5000U);
}

TEST(PciNames, TheTableUsesItsTokens) {
    const NameTable& t = drivers::pci::names::kTable;
    EXPECT_EQ(t.token_offsets.size(), 128U);
    size_t token_bytes = 0;
    for (size_t i = 0; i < t.pool_size; ++i)
        if (static_cast<unsigned char>(t.pool[i]) >= drivers::pci::names::kFirstToken)
            ++token_bytes;
    EXPECT_GT(token_bytes, 10000U) << "names are stored without their tokens";
}

// A small table: token 0 "Gigabit ", token 1 "Controller".
struct Fixture {
    std::vector<char> pool;
    std::vector<char> tokens{'G', 'i', 'g', 'a', 'b', 'i', 't', ' ', 0,   'C',
                             'o', 'n', 't', 'r', 'o', 'l', 'l', 'e', 'r', 0};
    std::vector<u16> offsets{0, 9};
    std::vector<drivers::pci::names::VendorName> vendors{{0x1111, 0}};

    explicit Fixture(std::vector<char> p) : pool(std::move(p)) {}
    NameTable table() const {
        NameTable t;
        t.pool = pool.data();
        t.pool_size = pool.size();
        t.vendors = {vendors.data(), vendors.size()};
        t.tokens = tokens.data();
        t.tokens_size = tokens.size();
        t.token_offsets = {offsets.data(), offsets.size()};
        return t;
    }
    std::string name() const { return str(drivers::pci::vendor_name(0x1111, table())); }
};

constexpr char kToken0 = static_cast<char>(0x80);
constexpr char kToken1 = static_cast<char>(0x81);

TEST(PciNames, TokensExpandInPlace) {
    EXPECT_EQ(Fixture({'8', '2', ' ', kToken0, 'E', 't', 'h', ' ', kToken1, 0}).name(),
              "82 Gigabit Eth Controller");
    EXPECT_EQ(Fixture({kToken1, kToken1, 0}).name(), "ControllerController");
    EXPECT_EQ(Fixture({'a', 0}).name(), "a");
}

TEST(PciNames, HostileTablesGiveEmptyOrCutNames) {
    // A byte past the last token: no name rather than a guess.
    EXPECT_EQ(Fixture({'a', static_cast<char>(0x82), 0}).name(), "");
    // A token whose offset is past the token text.
    Fixture past({kToken1, 0});
    past.offsets[1] = 500;
    EXPECT_EQ(past.name(), "");
    // Token text without its NUL ends at the text's end.
    Fixture open({kToken1, 'x', 0});
    open.tokens.pop_back();
    EXPECT_EQ(open.name(), "Controllerx");
    // A pool without its last NUL ends at the pool's end.
    EXPECT_EQ(Fixture({'a', 'b'}).name(), "ab");
    // A name offset past the pool.
    Fixture outside({'a', 0});
    outside.vendors[0].name = 99;
    EXPECT_EQ(outside.name(), "");
    // An expansion longer than a Name is cut at kMaxNameLength.
    EXPECT_EQ(Fixture(std::vector<char>(20, kToken1)).name().size(),
              drivers::pci::names::kMaxNameLength);
}

}  // namespace

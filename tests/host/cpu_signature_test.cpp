// arch::decode_signature, decode_vendor and needs_init_wait
// (src/arch/x86_64/cpu_signature.hpp): CPUID's family and model as the SDM
// says to read them, and which processors need the MP start protocol's
// 10 ms between INIT and SIPI.
#include "arch/x86_64/cpu_signature.hpp"

#include <gtest/gtest.h>

namespace {

using arch::decode_signature;
using arch::decode_vendor;
using arch::needs_init_wait;

TEST(CpuSignature, ExtendedFieldsCountOnlyWhereTheSdmSays) {
    // QEMU's qemu64: family 0xF, extended model 6, model 0xB.
    const arch::CpuSignature qemu64 = decode_signature(0x00060FB1);
    EXPECT_EQ(qemu64.family, 0xFU);
    EXPECT_EQ(qemu64.model, 0x6BU);
    EXPECT_EQ(qemu64.stepping, 1U);
    // An AMD Zen 3: base family 0xF plus extended family 0xA.
    EXPECT_EQ(decode_signature(0x00A20F10).family, 0x19U);
    // An Intel family 6 (Alder Lake, model 0x97).
    const arch::CpuSignature alder = decode_signature(0x00090672);
    EXPECT_EQ(alder.family, 6U);
    EXPECT_EQ(alder.model, 0x97U);
    // Family 5: the extended fields do not count.
    const arch::CpuSignature p5 = decode_signature(0x0FF10543);
    EXPECT_EQ(p5.family, 5U);
    EXPECT_EQ(p5.model, 4U);
}

TEST(CpuSignature, VendorIsEbxEdxEcx) {
    // "Genu" "ineI" "ntel", little-endian.
    EXPECT_EQ(decode_vendor(0x756E6547, 0x49656E69, 0x6C65746E).view(), "GenuineIntel");
    EXPECT_EQ(decode_vendor(0x68747541, 0x69746E65, 0x444D4163).view(), "AuthenticAMD");
}

TEST(CpuSignature, OnlyOldOrUnknownProcessorsWaitBetweenInitAndSipi) {
    EXPECT_FALSE(needs_init_wait("GenuineIntel", 6));
    EXPECT_TRUE(needs_init_wait("GenuineIntel", 0xF));  // NetBurst
    EXPECT_TRUE(needs_init_wait("GenuineIntel", 5));
    EXPECT_FALSE(needs_init_wait("AuthenticAMD", 0xF));  // K8, and QEMU's qemu64
    EXPECT_FALSE(needs_init_wait("AuthenticAMD", 0x19));
    EXPECT_TRUE(needs_init_wait("AuthenticAMD", 6));  // K7
    EXPECT_FALSE(needs_init_wait("HygonGenuine", 0x18));
    EXPECT_TRUE(needs_init_wait("CentaurHauls", 6));
    EXPECT_TRUE(needs_init_wait("", 6));
}

}  // namespace

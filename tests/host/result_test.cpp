// Result<T, E> (src/lib/result.hpp): success and failure, comparison, the
// KEEL_TRY macro, and that ignoring one does not compile.
#include "lib/result.hpp"

#include <gtest/gtest.h>

#include <type_traits>

#include "lib/address.hpp"

namespace {

enum class Error : u8 { Bad, Worse };

Result<PhysAddr, Error> find(u64 value) {
    if (value == 0) return Error::Bad;
    return PhysAddr{value};
}

Result<void, Error> check(int value) {
    if (value < 0) return Error::Worse;
    return {};
}

int g_steps = 0;

// Stops at the first failing step and hands its error up.
Result<void, Error> steps(int a, int b) {
    KEEL_TRY(check(a));
    ++g_steps;
    KEEL_TRY(check(b));
    ++g_steps;
    return {};
}

// A value result whose caller only propagates the error.
Result<u64, Error> doubled(u64 value) {
    KEEL_TRY(find(value));
    return 2 * value;
}

TEST(Result, ValueOrError) {
    auto ok = find(0x1000);
    ASSERT_TRUE(ok.ok());
    EXPECT_TRUE(static_cast<bool>(ok));
    EXPECT_EQ(ok.value(), PhysAddr{0x1000});
    EXPECT_EQ(*ok, PhysAddr{0x1000});
    EXPECT_EQ(ok->value(), 0x1000u);
    EXPECT_EQ(ok.value_or(PhysAddr{1}), PhysAddr{0x1000});

    auto bad = find(0);
    ASSERT_FALSE(bad.ok());
    EXPECT_FALSE(static_cast<bool>(bad));
    EXPECT_EQ(bad.error(), Error::Bad);
    EXPECT_EQ(bad.value_or(PhysAddr{1}), PhysAddr{1});
}

TEST(Result, VoidResult) {
    EXPECT_TRUE(check(1).ok());
    EXPECT_FALSE(check(-1).ok());
    EXPECT_EQ(check(-1).error(), Error::Worse);
}

TEST(Result, Comparison) {
    EXPECT_EQ(find(5), (Result<PhysAddr, Error>{PhysAddr{5}}));
    EXPECT_NE(find(5), (Result<PhysAddr, Error>{PhysAddr{6}}));
    EXPECT_NE(find(5), (Result<PhysAddr, Error>{Error::Bad}));
    EXPECT_TRUE(find(0) == Error::Bad);
    EXPECT_FALSE(find(0) == Error::Worse);
    EXPECT_TRUE(check(1) == (Result<void, Error>{}));
    EXPECT_TRUE(check(-1) == Error::Worse);
    EXPECT_FALSE(check(1) == Error::Worse);
}

TEST(Result, TryPropagatesTheFirstError) {
    g_steps = 0;
    EXPECT_TRUE(steps(1, 2).ok());
    EXPECT_EQ(g_steps, 2);
    g_steps = 0;
    EXPECT_EQ(steps(-1, 2).error(), Error::Worse);
    EXPECT_EQ(g_steps, 0);
    g_steps = 0;
    EXPECT_EQ(steps(1, -2).error(), Error::Worse);
    EXPECT_EQ(g_steps, 1);
    EXPECT_EQ(doubled(4).value(), 8u);
    EXPECT_EQ(doubled(0).error(), Error::Bad);
}

TEST(Result, MisuseTraps) {
    EXPECT_DEATH((void)find(0).value(), "");
    EXPECT_DEATH((void)find(1).error(), "");
    EXPECT_DEATH((void)check(1).error(), "");
}

static_assert(std::is_trivially_copyable_v<Result<PhysAddr, Error>>);
static_assert(std::is_trivially_copyable_v<Result<void, Error>>);
static_assert(sizeof(Result<void, Error>) == 2);

}  // namespace

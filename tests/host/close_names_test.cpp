// kernel::close_names (src/kernel/test/close_names.hpp): the "did you mean"
// list for a test= prefix that matches nothing.
#include "kernel/test/close_names.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

std::vector<std::string> close(const std::string& typed, const std::vector<std::string>& names,
                               size_t room = 4) {
    std::vector<ktl::string_view> views;
    for (const std::string& n : names) views.emplace_back(n.data(), n.size());
    std::vector<ktl::string_view> out(room);
    size_t found = kernel::close_names({typed.data(), typed.size()}, {views.data(), views.size()},
                                       {out.data(), out.size()});
    std::vector<std::string> result;
    for (size_t i = 0; i < found; ++i) result.emplace_back(out[i].data(), out[i].size());
    return result;
}

const std::vector<std::string> kTests = {"paging_kernel_text_is_read_only", "paging_null_page",
                                         "mm_free_memory_found", "format_in_kernel",
                                         "tsc_is_calibrated_and_monotonic"};

TEST(CloseNames, PrefixDistanceComparesTheStartOfTheName) {
    EXPECT_EQ(kernel::prefix_distance("paging", "paging_null_page"), 0u);
    EXPECT_EQ(kernel::prefix_distance("pagign", "paging_null_page"), 2u);
    EXPECT_EQ(kernel::prefix_distance("pmm", "mm_free"), 2u);
    EXPECT_EQ(kernel::prefix_distance("abc", "ab"), 1u);
    EXPECT_EQ(kernel::prefix_distance("", "anything"), 0u);
}

TEST(CloseNames, TyposFindTheMeantTests) {
    EXPECT_EQ(close("pagign", kTests),
              (std::vector<std::string>{"paging_kernel_text_is_read_only", "paging_null_page"}));
    EXPECT_EQ(close("fromat", kTests), (std::vector<std::string>{"format_in_kernel"}));
    EXPECT_EQ(close("tcs_is", kTests),
              (std::vector<std::string>{"tsc_is_calibrated_and_monotonic"}));
}

TEST(CloseNames, NothingCloseGivesNothing) {
    EXPECT_TRUE(close("zzzzzzzz", kTests).empty());
    EXPECT_TRUE(close("x", {}).empty());
}

TEST(CloseNames, ClosestFirstAndBoundedByRoom) {
    auto got = close("paging_n", kTests, 1);
    EXPECT_EQ(got, (std::vector<std::string>{"paging_null_page"}));
    EXPECT_EQ(close("mm", {"mm_a", "mm_a", "mm_b"}), (std::vector<std::string>{"mm_a", "mm_b"}));
}

TEST(CloseNames, VeryLongInputIsClipped) {
    std::string longname(500, 'a');
    EXPECT_EQ(close(longname, {longname}).size(), 1u);
}

}  // namespace

// ktl::unique_ptr, ktl::vector and ktl::intrusive_list against the standard
// library's as models, with random operations, under ASan (leaks, use after
// free and overflows of the storage are caught by the sanitizer).
#include <gtest/gtest.h>

#include <algorithm>
#include <list>
#include <memory>
#include <new>
#include <random>
#include <string>
#include <vector>

#include "failing_heap.hpp"
#include "lib/ktl/intrusive_list.hpp"
#include "lib/ktl/unique_ptr.hpp"
#include "lib/ktl/vector.hpp"

namespace {

int g_live_objects = 0;

// Counts live instances, and holds heap memory so a lost destructor leaks.
struct Tracked {
    Tracked() : Tracked(0) {}
    explicit Tracked(int v) : value(std::make_unique<int>(v)) { ++g_live_objects; }
    Tracked(const Tracked& o) : value(std::make_unique<int>(*o.value)) { ++g_live_objects; }
    Tracked(Tracked&& o) noexcept : value(std::make_unique<int>(*o.value)) { ++g_live_objects; }
    Tracked& operator=(const Tracked& o) {
        *value = *o.value;
        return *this;
    }
    Tracked& operator=(Tracked&& o) noexcept {
        *value = *o.value;
        return *this;
    }
    ~Tracked() { --g_live_objects; }
    [[nodiscard]] int get() const { return *value; }
    std::unique_ptr<int> value;
};

struct alignas(64) Wide {
    int value;
};

// ---- unique_ptr ----

struct Counted {
    explicit Counted(int* deaths) : deaths(deaths) {}
    ~Counted() { ++*deaths; }
    int* deaths;
};

struct CountingDeleter {
    int* calls;
    void operator()(int* p) const {
        ++*calls;
        delete p;
    }
};

TEST(KtlUniquePtr, OwnsMovesResetsAndReleases) {
    int deaths = 0;
    {
        ktl::unique_ptr<Counted> a = ktl::try_make_unique<Counted>(&deaths);
        ASSERT_TRUE(a);
        ktl::unique_ptr<Counted> b = std::move(a);
        EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move): moved-from is empty
        EXPECT_EQ(b->deaths, &deaths);
        b.reset(new Counted(&deaths));
        EXPECT_EQ(deaths, 1);  // the first one, replaced
        Counted* raw = b.release();
        EXPECT_FALSE(b);
        delete raw;
        EXPECT_EQ(deaths, 2);
        b = ktl::try_make_unique<Counted>(&deaths);
        a = std::move(b);
        EXPECT_EQ(deaths, 2);
    }
    EXPECT_EQ(deaths, 3);  // a's at the end of the scope
}

TEST(KtlUniquePtr, RunsItsDeleterOnce) {
    int calls = 0;
    {
        ktl::unique_ptr<int, CountingDeleter> p(new int(5), CountingDeleter{&calls});
        EXPECT_EQ(*p, 5);
        ktl::unique_ptr<int, CountingDeleter> q = std::move(p);
        EXPECT_EQ(calls, 0);
    }
    EXPECT_EQ(calls, 1);
    static_assert(sizeof(ktl::unique_ptr<int>) == sizeof(int*), "an empty deleter costs nothing");
}

TEST(KtlUniquePtr, ReportsAnExhaustedHeapAsEmpty) {
    test_heap::fail_nothrow_after(0);
    ktl::unique_ptr<int> p = ktl::try_make_unique<int>(3);
    test_heap::fail_nothrow_after(-1);
    EXPECT_FALSE(p);
}

// ---- vector ----

TEST(KtlVector, GrowsErasesAndIterates) {
    ktl::vector<int> v;
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(v.try_push_back(i));
    EXPECT_EQ(v.size(), 100U);
    EXPECT_GE(v.capacity(), 100U);
    v.erase(v.begin() + 10);
    EXPECT_EQ(v[10], 11);
    int sum = 0;
    for (int x : v) sum += x;
    EXPECT_EQ(sum, 4950 - 10);
    ASSERT_TRUE(v.try_insert(0, -1));
    EXPECT_EQ(v.front(), -1);
    EXPECT_EQ(v.back(), 99);
    ASSERT_TRUE(v.try_resize(3));
    EXPECT_EQ(v.size(), 3U);
}

TEST(KtlVector, ReportsFailedGrowthAndStaysIntact) {
    ktl::vector<Tracked> v;
    ASSERT_TRUE(v.try_reserve(4));
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(v.try_emplace_back(i));
    test_heap::fail_nothrow_after(0);
    EXPECT_FALSE(v.try_push_back(Tracked(4)));
    EXPECT_FALSE(v.try_insert(0, Tracked(5)));
    EXPECT_FALSE(v.try_reserve(5));
    EXPECT_FALSE(v.try_resize(10));
    test_heap::fail_nothrow_after(-1);
    ASSERT_EQ(v.size(), 4U);
    for (int i = 0; i < 4; ++i) EXPECT_EQ(v[i].get(), i);
    EXPECT_FALSE(v.try_reserve(ktl::vector<Tracked>::max_size() + 1));
}

TEST(KtlVector, PushesAnElementOfItselfWhileGrowing) {
    ktl::vector<std::string> v;
    ASSERT_TRUE(v.try_push_back("a long string that does not fit the small buffer"));
    while (v.size() < v.capacity()) ASSERT_TRUE(v.try_push_back("x"));
    ASSERT_TRUE(v.try_push_back(v[0]));  // grows: v[0] moves during the call
    EXPECT_EQ(v.back(), v[0]);
}

TEST(KtlVector, KeepsOverAlignedElementsAligned) {
    ktl::vector<Wide> v;
    for (int i = 0; i < 40; ++i) {
        ASSERT_TRUE(v.try_push_back(Wide{i}));
        EXPECT_EQ(reinterpret_cast<std::uintptr_t>(v.data()) % 64, 0U);
    }
}

TEST(KtlVector, MatchesStdVectorOverRandomOperations) {
    std::mt19937 random(8);
    for (int round = 0; round < 20; ++round) {
        ktl::vector<Tracked> v;
        std::vector<int> model;
        for (int step = 0; step < 2000; ++step) {
            const int value = static_cast<int>(random() % 1000);
            const bool fail = random() % 16 == 0;  // now and then the heap is full
            test_heap::fail_nothrow_after(fail ? 0 : -1);
            const bool room = v.size() < v.capacity();
            switch (random() % 7) {
                case 0:
                case 1: {
                    const bool ok = v.try_push_back(Tracked(value));
                    ASSERT_EQ(ok, !fail || room);
                    if (ok) model.push_back(value);
                    break;
                }
                case 2: {
                    const usize at = random() % (model.size() + 1);
                    const bool ok = v.try_insert(at, Tracked(value));
                    ASSERT_EQ(ok, !fail || room);
                    if (ok) model.insert(model.begin() + static_cast<long>(at), value);
                    break;
                }
                case 3:
                    if (!model.empty()) {
                        const usize at = random() % model.size();
                        auto next = v.erase(v.begin() + at);
                        ASSERT_EQ(next, v.begin() + at);
                        model.erase(model.begin() + static_cast<long>(at));
                    }
                    break;
                case 4:
                    if (!model.empty()) {
                        v.pop_back();
                        model.pop_back();
                    }
                    break;
                case 5: {
                    const usize count = random() % 64;
                    const bool ok = v.try_resize(count);
                    if (ok) model.resize(count, 0);
                    ASSERT_TRUE(ok || (fail && count > v.capacity()));
                    break;
                }
                default: {
                    ktl::vector<Tracked> other = std::move(v);
                    v = std::move(other);
                    break;
                }
            }
            test_heap::fail_nothrow_after(-1);
            ASSERT_EQ(v.size(), model.size());
            ASSERT_LE(v.size(), v.capacity());
            for (usize i = 0; i < model.size(); ++i) ASSERT_EQ(v[i].get(), model[i]) << i;
        }
        v.clear();
        EXPECT_EQ(g_live_objects, 0);
    }
}

// ---- intrusive_list ----

struct RunQueue {};
struct Item : ktl::list_node<>, ktl::list_node<RunQueue> {
    explicit Item(int v) : value(v) {}
    int value;
};

std::vector<int> values(const ktl::intrusive_list<Item>& list) {
    std::vector<int> out;
    for (const Item& item : list) out.push_back(item.value);
    return out;
}

std::vector<int> backwards(const ktl::intrusive_list<Item>& list) {
    std::vector<int> out;
    for (Item* item = list.back(); item != nullptr; item = list.prev(*item))
        out.push_back(item->value);
    return out;
}

TEST(KtlIntrusiveList, LinksUnlinksAndKeepsTwoListsApart) {
    Item a(1), b(2), c(3);
    ktl::intrusive_list<Item> list;
    ktl::intrusive_list<Item, RunQueue> queue;
    EXPECT_TRUE(list.empty());
    list.push_back(b);
    list.push_front(a);
    list.push_back(c);
    queue.push_back(c);
    queue.push_back(a);
    EXPECT_EQ(values(list), (std::vector<int>{1, 2, 3}));
    list.remove(b);
    EXPECT_EQ(values(list), (std::vector<int>{1, 3}));
    list.insert_before(c, b);
    EXPECT_EQ(values(list), (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(backwards(list), (std::vector<int>{3, 2, 1}));
    EXPECT_EQ(queue.front()->value, 3);
    EXPECT_EQ(queue.next(c)->value, 1);
    EXPECT_EQ(list.pop_front()->value, 1);
    EXPECT_EQ(list.pop_back()->value, 3);
    EXPECT_EQ(list.size(), 1U);
    EXPECT_EQ(queue.size(), 2U);
}

TEST(KtlIntrusiveList, MatchesStdListOverRandomOperations) {
    std::mt19937 random(7);
    std::vector<std::unique_ptr<Item>> items;
    for (int i = 0; i < 64; ++i) items.push_back(std::make_unique<Item>(i));
    std::vector<bool> linked(items.size(), false);
    ktl::intrusive_list<Item> list;
    std::list<int> model;
    for (int step = 0; step < 100000; ++step) {
        const usize i = random() % items.size();
        Item& item = *items[i];
        switch (random() % 5) {
            case 0:
                if (!linked[i]) {
                    list.push_back(item);
                    model.push_back(item.value);
                    linked[i] = true;
                }
                break;
            case 1:
                if (!linked[i]) {
                    list.push_front(item);
                    model.push_front(item.value);
                    linked[i] = true;
                }
                break;
            case 2:
                if (linked[i]) {
                    list.remove(item);
                    model.remove(item.value);
                    linked[i] = false;
                }
                break;
            case 3:
                if (!linked[i] && !list.empty()) {
                    Item& position = *list.front();
                    list.insert_before(position, item);
                    model.insert(std::find(model.begin(), model.end(), position.value), item.value);
                    linked[i] = true;
                } else if (Item* first = list.pop_front(); first != nullptr) {
                    ASSERT_EQ(first->value, model.front());
                    model.pop_front();
                    linked[static_cast<usize>(first->value)] = false;
                }
                break;
            default:
                if (Item* last = list.pop_back(); last != nullptr) {
                    ASSERT_EQ(last->value, model.back());
                    model.pop_back();
                    linked[static_cast<usize>(last->value)] = false;
                }
                break;
        }
        ASSERT_EQ(list.size(), model.size());
        if (step % 97 == 0) {
            ASSERT_EQ(values(list), std::vector<int>(model.begin(), model.end()));
            ASSERT_EQ(backwards(list), std::vector<int>(model.rbegin(), model.rend()));
        }
    }
}

}  // namespace

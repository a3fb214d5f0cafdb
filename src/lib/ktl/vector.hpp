// A growable array on the kernel heap, like std::vector, except that growth
// can fail and says so: every operation that may allocate is named try_*
// and returns a [[nodiscard]] bool, false with the vector unchanged when
// the heap has no room (or the size would overflow). Nothing panics here;
// the caller decides what running out means (docs/ktl.md).
//
// Not copyable (a copy could fail halfway); movable. Elements are moved
// when the storage grows, so T needs a move constructor that cannot fail.
// Owner and locking are the owner's business, as for any other member.
#pragma once

#include "lib/ktl/new.hpp"
#include "lib/ktl/type_traits.hpp"
#include "lib/ktl/types.hpp"
#include "lib/no_unroll.hpp"

namespace ktl {

template <typename T>
class vector {
public:
    using value_type = T;
    using iterator = T*;
    using const_iterator = const T*;

    constexpr vector() = default;
    vector(const vector&) = delete;
    vector& operator=(const vector&) = delete;
    vector(vector&& other) noexcept
        : data_(other.data_), size_(other.size_), capacity_(other.capacity_) {
        other.data_ = nullptr;
        other.size_ = other.capacity_ = 0;
    }
    vector& operator=(vector&& other) noexcept {
        if (this != &other) {
            destroy_all();
            data_ = other.data_;
            size_ = other.size_;
            capacity_ = other.capacity_;
            other.data_ = nullptr;
            other.size_ = other.capacity_ = 0;
        }
        return *this;
    }
    ~vector() { destroy_all(); }

    [[nodiscard]] usize size() const { return size_; }
    [[nodiscard]] usize capacity() const { return capacity_; }
    [[nodiscard]] bool empty() const { return size_ == 0; }
    [[nodiscard]] T* data() { return data_; }
    [[nodiscard]] const T* data() const { return data_; }
    T& operator[](usize i) { return data_[i]; }
    const T& operator[](usize i) const { return data_[i]; }
    [[nodiscard]] T& front() { return data_[0]; }
    [[nodiscard]] T& back() { return data_[size_ - 1]; }
    [[nodiscard]] const T& front() const { return data_[0]; }
    [[nodiscard]] const T& back() const { return data_[size_ - 1]; }
    [[nodiscard]] iterator begin() { return data_; }
    [[nodiscard]] iterator end() { return data_ + size_; }
    [[nodiscard]] const_iterator begin() const { return data_; }
    [[nodiscard]] const_iterator end() const { return data_ + size_; }

    // The largest element count whose bytes fit in a usize.
    // NOLINTNEXTLINE(bugprone-sizeof-expression): the element's size, also when T is a pointer
    static constexpr usize max_size() { return ~usize{0} / sizeof(T); }

    // Room for `count` elements without another allocation.
    [[nodiscard]] bool try_reserve(usize count) {
        if (count <= capacity_) return true;
        if (count > max_size()) return false;
        T* fresh = allocate(count);
        if (fresh == nullptr) return false;
        move_into(fresh, count);
        return true;
    }

    // Constructs the new element before moving the old ones, so `args` may
    // refer to an element of this vector.
    template <typename... Args>
    [[nodiscard]] bool try_emplace_back(Args&&... args) {
        if (size_ < capacity_) {
            new (data_ + size_) T(ktl::forward<Args>(args)...);
            ++size_;
            return true;
        }
        const usize next = grown_capacity();
        T* fresh = next == 0 ? nullptr : allocate(next);
        if (fresh == nullptr) return false;
        new (fresh + size_) T(ktl::forward<Args>(args)...);
        move_into(fresh, next);
        ++size_;
        return true;
    }
    [[nodiscard]] bool try_push_back(const T& value) { return try_emplace_back(value); }
    [[nodiscard]] bool try_push_back(T&& value) { return try_emplace_back(ktl::move(value)); }

    // Inserts before position `at` (at most size()), moving the rest up.
    [[nodiscard]] bool try_insert(usize at, T value) {
        if (at > size_) return false;
        if (size_ == capacity_ && (grown_capacity() == 0 || !try_reserve(grown_capacity())))
            return false;
        if (at == size_) {
            new (data_ + size_) T(ktl::move(value));
        } else {
            new (data_ + size_) T(ktl::move(data_[size_ - 1]));
            for (usize i = size_ - 1; i > at; --i) data_[i] = ktl::move(data_[i - 1]);
            data_[at] = ktl::move(value);
        }
        ++size_;
        return true;
    }

    // Grows with value-initialised elements, or shrinks (never fails then).
    [[nodiscard]] bool try_resize(usize count) {
        if (count < size_) {
            while (size_ > count) pop_back();
            return true;
        }
        if (!try_reserve(count)) return false;
        // Rolled: unrolled, the loop is several blocks that the boot's
        // tables (sized once) each run, translated anew by QEMU's TCG.
        KEEL_NO_UNROLL
        for (; size_ < count; ++size_) new (data_ + size_) T();
        return true;
    }

    void pop_back() { data_[--size_].~T(); }
    // Removes the element at `position`, keeping the order of the rest;
    // returns the position of the element after it.
    iterator erase(const_iterator position) {
        const auto at = static_cast<usize>(position - data_);
        for (usize i = at; i + 1 < size_; ++i) data_[i] = ktl::move(data_[i + 1]);
        pop_back();
        return data_ + at;
    }
    void clear() {
        while (size_ > 0) pop_back();
    }

private:
    static constexpr bool kOverAligned = alignof(T) > __STDCPP_DEFAULT_NEW_ALIGNMENT__;

    static T* allocate(usize count) {
        if constexpr (kOverAligned)
            return static_cast<T*>(
                ::operator new (count * sizeof(T), std::align_val_t{alignof(T)}, std::nothrow));
        else
            // NOLINTNEXTLINE(bugprone-sizeof-expression): the element's size, also for pointers
            return static_cast<T*>(::operator new(count * sizeof(T), std::nothrow));
    }
    static void release(T* p) {
        if (p == nullptr) return;
        if constexpr (kOverAligned)
            ::operator delete (p, std::align_val_t{alignof(T)});
        else
            ::operator delete(p);
    }

    // Doubles the capacity (at least 4); 0 when the vector cannot grow.
    [[nodiscard]] usize grown_capacity() const {
        if (capacity_ >= max_size()) return 0;
        if (capacity_ > max_size() / 2) return max_size();
        return capacity_ < 4 ? 4 : capacity_ * 2;
    }
    // Moves the elements into `fresh` (room for `count`), which replaces
    // the old storage.
    void move_into(T* fresh, usize count) {
        for (usize i = 0; i < size_; ++i) {
            new (fresh + i) T(ktl::move(data_[i]));
            data_[i].~T();
        }
        release(data_);
        data_ = fresh;
        capacity_ = count;
    }
    void destroy_all() {
        clear();
        release(data_);
        data_ = nullptr;
        capacity_ = 0;
    }

    T* data_ = nullptr;
    usize size_ = 0;
    usize capacity_ = 0;
};

}  // namespace ktl

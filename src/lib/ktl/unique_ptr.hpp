// An owning pointer, as std::unique_ptr for single objects: one owner,
// moved never copied, the deleter runs when the owner goes. The default
// deleter is `delete` (the kernel heap); another deleter is any type with
// `void operator()(T*)`, stored at no cost when it is empty.
//
// try_make_unique allocates with the nothrow `new` and hands back an empty
// pointer when the heap is exhausted, for callers that can cope with that
// (docs/memory-allocators.md, "Out of memory").
#pragma once

#include "lib/ktl/new.hpp"
#include "lib/ktl/type_traits.hpp"
#include "lib/ktl/types.hpp"

namespace ktl {

template <typename T>
struct default_delete {
    void operator()(T* p) const { delete p; }
};

template <typename T, typename Deleter = default_delete<T>>
class unique_ptr {
public:
    constexpr unique_ptr() = default;
    // NOLINTNEXTLINE(google-explicit-constructor): as std::unique_ptr.
    constexpr unique_ptr(decltype(nullptr) /*unused*/) {}
    constexpr explicit unique_ptr(T* p) : pointer_(p) {}
    constexpr unique_ptr(T* p, Deleter deleter) : pointer_(p), deleter_(ktl::move(deleter)) {}
    unique_ptr(const unique_ptr&) = delete;
    unique_ptr& operator=(const unique_ptr&) = delete;
    unique_ptr(unique_ptr&& other) noexcept
        : pointer_(other.release()), deleter_(ktl::move(other.deleter_)) {}
    unique_ptr& operator=(unique_ptr&& other) noexcept {
        if (this != &other) {
            reset(other.release());
            deleter_ = ktl::move(other.deleter_);
        }
        return *this;
    }
    ~unique_ptr() { reset(); }

    [[nodiscard]] T* get() const { return pointer_; }
    T& operator*() const { return *pointer_; }
    T* operator->() const { return pointer_; }
    explicit operator bool() const { return pointer_ != nullptr; }
    [[nodiscard]] Deleter& get_deleter() { return deleter_; }
    // Gives up ownership without deleting.
    [[nodiscard]] T* release() {
        T* p = pointer_;
        pointer_ = nullptr;
        return p;
    }
    // Deletes the current object (if any), then owns `p`.
    void reset(T* p = nullptr) {
        T* old = pointer_;
        pointer_ = p;
        if (old != nullptr) deleter_(old);
    }

private:
    T* pointer_ = nullptr;
    [[no_unique_address]] Deleter deleter_{};
};

// A new T owned by the result, or an empty pointer when the heap has no
// room (the nothrow `new`: no panic).
template <typename T, typename... Args>
[[nodiscard]] unique_ptr<T> try_make_unique(Args&&... args) {
    return unique_ptr<T>(new (std::nothrow) T(ktl::forward<Args>(args)...));
}

}  // namespace ktl

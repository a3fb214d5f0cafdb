// Result<T, E>: a value or the error that prevented it, for everything
// fallible in the kernel. [[nodiscard]] on the type itself, so ignoring a
// fallible call's outcome is a warning (an error with -Werror) wherever it
// happens, not only where someone remembered to mark the function.
//
//   enum class MapError : u8 { Misaligned, OutOfTables };   // names the errors
//   Result<PhysAddr, MapError> find(VirtAddr v);
//   Result<void, MapError> map(...);
//
//   return PhysAddr{0x1000};          // success: converts from T
//   return MapError::Misaligned;      // failure: converts from E
//   return {};                        // success of a Result<void, E>
//
//   auto r = find(v);
//   if (!r) log::warn("{}", describe(r.error()));
//   else use(*r);
//
// T and E must differ (each converts implicitly) and be trivially copyable,
// like ktl::optional: the kernel's results are addresses, counts and small
// structs. Reading value() of a failure, or error() of a success, is a bug
// and traps at once rather than returning garbage.
//
// KEEL_TRY(expr) returns expr's error from the enclosing function, whose
// return type must be constructible from that error; it is a statement and
// discards the value, so it suits Result<void, E> steps in a sequence.
#pragma once

#include "lib/ktl/type_traits.hpp"

template <typename T, typename E>
class [[nodiscard]] Result {
    static_assert(!ktl::is_same_v<ktl::remove_cvref_t<T>, ktl::remove_cvref_t<E>>,
                  "Result<T, E>: T and E must differ, or success and failure look alike");
    static_assert(ktl::is_trivially_copyable_v<T> && ktl::is_trivially_copyable_v<E>,
                  "Result holds trivially copyable types only");

public:
    // NOLINTNEXTLINE(google-explicit-constructor): `return value;` is success.
    constexpr Result(const T& value) : value_(value), ok_(true) {}
    // NOLINTNEXTLINE(google-explicit-constructor): `return Error::X;` is failure.
    constexpr Result(const E& error) : error_(error), ok_(false) {}

    [[nodiscard]] constexpr bool ok() const { return ok_; }
    constexpr explicit operator bool() const { return ok_; }

    [[nodiscard]] constexpr const T& value() const {
        if (!ok_) __builtin_trap();
        return value_;
    }
    [[nodiscard]] constexpr T& value() {
        if (!ok_) __builtin_trap();
        return value_;
    }
    constexpr const T& operator*() const { return value(); }
    constexpr T& operator*() { return value(); }
    constexpr const T* operator->() const { return &value(); }
    constexpr T* operator->() { return &value(); }
    [[nodiscard]] constexpr T value_or(const T& fallback) const { return ok_ ? value_ : fallback; }

    [[nodiscard]] constexpr const E& error() const {
        if (ok_) __builtin_trap();
        return error_;
    }

    friend constexpr bool operator==(const Result& a, const Result& b) {
        if (a.ok_ != b.ok_) return false;
        return a.ok_ ? a.value_ == b.value_ : a.error_ == b.error_;
    }

private:
    union {
        T value_;
        E error_;
    };
    bool ok_;
};

template <typename E>
class [[nodiscard]] Result<void, E> {
    static_assert(ktl::is_trivially_copyable_v<E>, "Result holds trivially copyable types only");

public:
    // Success.
    constexpr Result() = default;
    // NOLINTNEXTLINE(google-explicit-constructor): `return Error::X;` is failure.
    constexpr Result(const E& error) : error_(error), ok_(false) {}

    [[nodiscard]] constexpr bool ok() const { return ok_; }
    constexpr explicit operator bool() const { return ok_; }

    [[nodiscard]] constexpr const E& error() const {
        if (ok_) __builtin_trap();
        return error_;
    }

    friend constexpr bool operator==(const Result& a, const Result& b) {
        if (a.ok_ != b.ok_) return false;
        return a.ok_ || a.error_ == b.error_;
    }

private:
    E error_{};
    bool ok_ = true;
};

// Returns the error of `expr` (a Result) from the enclosing function.
#define KEEL_TRY(expr)                                                                          \
    do {                                                                                        \
        if (auto keel_try_result_ = (expr); !keel_try_result_) return keel_try_result_.error(); \
    } while (0)

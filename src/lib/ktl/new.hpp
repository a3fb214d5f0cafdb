// operator new and delete. Placement new is here; the allocating forms are
// declared here and defined by the kernel heap (src/kernel/mm/new.cpp), in
// every form: plain, sized delete, aligned, nothrow, arrays.
//
// Failure is explicit: the nothrow forms return null; the others never
// return null, they panic with "out of memory: <N> bytes" and the caller.
// Before the Heap init phase every allocating form fails that way.
//
// Host builds get all of it from the C++ library instead.
#pragma once

#include "lib/ktl/types.hpp"

#ifdef KERNEL_HOST_TEST
#include <new>
#else
// The names the language gives these overloads: the compiler looks them up
// in namespace std, which only the kernel's own headers fill (-nostdinc++).
namespace std {
enum class align_val_t : usize {};
struct nothrow_t {
    explicit nothrow_t() = default;
};
extern const nothrow_t nothrow;
}  // namespace std

[[nodiscard]] void* operator new(usize size);
[[nodiscard]] void* operator new[](usize size);
[[nodiscard]] void* operator new(usize size, std::align_val_t align);
[[nodiscard]] void* operator new[](usize size, std::align_val_t align);
[[nodiscard]] void* operator new(usize size, const std::nothrow_t& /*unused*/) noexcept;
[[nodiscard]] void* operator new[](usize size, const std::nothrow_t& /*unused*/) noexcept;
[[nodiscard]] void* operator new(usize size, std::align_val_t align,
                                 const std::nothrow_t& /*unused*/) noexcept;
[[nodiscard]] void* operator new[](usize size, std::align_val_t align,
                                   const std::nothrow_t& /*unused*/) noexcept;
void operator delete(void* block) noexcept;
void operator delete[](void* block) noexcept;
void operator delete(void* block, usize size) noexcept;
void operator delete[](void* block, usize size) noexcept;
void operator delete(void* block, std::align_val_t align) noexcept;
void operator delete[](void* block, std::align_val_t align) noexcept;
void operator delete(void* block, usize size, std::align_val_t align) noexcept;
void operator delete[](void* block, usize size, std::align_val_t align) noexcept;
void operator delete(void* block, const std::nothrow_t& /*unused*/) noexcept;
void operator delete[](void* block, const std::nothrow_t& /*unused*/) noexcept;
void operator delete(void* block, std::align_val_t align,
                     const std::nothrow_t& /*unused*/) noexcept;
void operator delete[](void* block, std::align_val_t align,
                       const std::nothrow_t& /*unused*/) noexcept;

inline void* operator new(usize /*unused*/, void* place) noexcept { return place; }
inline void* operator new[](usize /*unused*/, void* place) noexcept { return place; }
#endif

// The C memory functions the compiler may call implicitly (struct copies,
// zero-initialisation). Written with string instructions so the compiler
// cannot turn them back into calls to themselves.
//
// Bulk moves go 8 bytes an iteration (rep movsq/stosq), the tail a byte at
// a time: on CPUs with fast string operations (ERMSB) both forms run at the
// same speed, but an emulator runs a rep loop one iteration at a time (QEMU
// TCG: a 4 KiB page poisoned by rep stosb was 4096 trips through its loop,
// most of a debug frame free's 12 us), so 8 bytes a trip is 8x less work.
#include "lib/ktl/types.hpp"

extern "C" {

void* memcpy(void* dst, const void* src, usize n) {
    void* ret = dst;
    usize words = n / 8;
    usize bytes = n % 8;
    asm volatile("rep movsq" : "+D"(dst), "+S"(src), "+c"(words) : : "memory");
    asm volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(bytes) : : "memory");
    return ret;
}

void* memset(void* dst, int value, usize n) {
    void* ret = dst;
    const u64 pattern = u64{static_cast<u8>(value)} * 0x0101'0101'0101'0101ULL;
    usize words = n / 8;
    usize bytes = n % 8;
    asm volatile("rep stosq" : "+D"(dst), "+c"(words) : "a"(pattern) : "memory");
    asm volatile("rep stosb" : "+D"(dst), "+c"(bytes) : "a"(pattern) : "memory");
    return ret;
}

void* memmove(void* dst, const void* src, usize n) {
    auto* d = static_cast<u8*>(dst);
    const auto* s = static_cast<const u8*>(src);
    if (d <= s || d >= s + n) return memcpy(dst, src, n);
    // Overlapping with dst above src: copy backwards (DF=1), then restore DF.
    const u8* s_end = s + n - 1;
    u8* d_end = d + n - 1;
    asm volatile("std; rep movsb; cld" : "+D"(d_end), "+S"(s_end), "+c"(n) : : "memory");
    return dst;
}

int memcmp(const void* a, const void* b, usize n) {
    const auto* x = static_cast<const u8*>(a);
    const auto* y = static_cast<const u8*>(b);
    for (usize i = 0; i < n; ++i)
        if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
}

usize strlen(const char* s) {
    usize n = 0;
    while (s[n] != '\0') ++n;
    return n;
}

}  // extern "C"

// Zeroes every heap block freed in the core's address space, so personal data dropped by an update
// or an anonymization does not linger in freed memory (spec §5: "freed memory it controls").
// In WASM, `free` itself is replaced (Emscripten's malloc family is weak), which also covers the
// buffers Embind allocates for strings passed in from JS. Natively, new/delete are replaced as a pair.
#include <malloc.h>  // malloc_usable_size: glibc and Emscripten's dlmalloc

#include <cstdlib>
#include <cstring>
#include <new>

#ifdef __EMSCRIPTEN__
extern "C" void emscripten_builtin_free(void* p);
extern "C" void free(void* p) {
    if (p) std::memset(p, 0, malloc_usable_size(p));
    emscripten_builtin_free(p);
}
#else
#include "util/alloc_faults.hpp"

namespace {
long allocations_until_failure = -1;  // none planned

void* allocate(std::size_t n) {
    if (allocations_until_failure >= 0 && allocations_until_failure-- == 0) throw std::bad_alloc();
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void release(void* p) noexcept {
    if (!p) return;
    std::memset(p, 0, malloc_usable_size(p));
    std::free(p);
}
}  // namespace

void clientele::fail_allocation_in(long n) { allocations_until_failure = n; }
void clientele::no_allocation_failure() { allocations_until_failure = -1; }

void* operator new(std::size_t n) { return allocate(n); }
void* operator new[](std::size_t n) { return allocate(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return std::malloc(n ? n : 1); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return std::malloc(n ? n : 1); }
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }
#endif

// Allocation failures on demand, for the exception-safety tests of native builds (util/zero_on_free.cpp
// implements them; WebAssembly builds have none): the n-th operator new from now on (0: the next) throws
// std::bad_alloc, once.
#pragma once

namespace clientele {

void fail_allocation_in(long n);
void no_allocation_failure();

}  // namespace clientele

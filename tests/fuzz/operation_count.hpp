// How many allocator operations a fuzzer checked against its model, over
// the whole process: printed when libFuzzer exits normally (-runs=N ends),
// so the long run (fuzz-mm-long, tests/fuzz/long_run.cmake) can add up the
// operations of its rounds until it reaches the 10^7 it promises.
#pragma once

#include <cstdint>
#include <cstdio>

namespace fuzz {

struct OperationCount {
    const char* name;
    std::uint64_t operations = 0;
    ~OperationCount() {
        std::printf("%s: %llu operations checked against the model\n", name,
                    static_cast<unsigned long long>(operations));
    }
};

}  // namespace fuzz

// expect: nodiscard
#include "lib/result.hpp"

enum class Error { Bad };

Result<void, Error> fallible() { return Error::Bad; }

// Result is [[nodiscard]] as a type: dropping one is an error under -Werror.
void use() { fallible(); }

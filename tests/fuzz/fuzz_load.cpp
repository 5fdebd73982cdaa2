// The front door: decompression (gzip, zstd), sniffing, import and model build.
#include "fuzz_check.h"

using namespace spanwise;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const LoadResult result = loadBytes({reinterpret_cast<const char*>(data), size}, "fuzz");
    fuzz::abortOn(check::findLoadProblem(result, size));
    return 0;
}

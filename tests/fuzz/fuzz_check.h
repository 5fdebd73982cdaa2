#pragma once
// The end of every fuzz input: the model must hold, or the process aborts so libFuzzer keeps the input.

#include "model_check.h"

#include <cstdio>
#include <cstdlib>

namespace spanwise::fuzz {

inline void abortOn(const std::string& problem)
{
    if (problem.empty())
        return;
    std::fprintf(stderr, "model problem: %s\n", problem.c_str());
    std::abort();
}

} // namespace spanwise::fuzz

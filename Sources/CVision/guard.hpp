// Internal to CVision: how every C entry point reports failure. No C++ exception may cross the C header.
#ifndef CVS_GUARD_HPP
#define CVS_GUARD_HPP

#include <cstdio>
#include <exception>
#include <string>

#include "cvision.h"

// dlib is template code compiled here: unoptimised, landmark fitting and face detection are tens of
// times slower, so no build configuration may compile CVision without optimisation (Package.swift).
#ifndef __OPTIMIZE__
#error "CVision must be compiled with optimisation (-O3 in Package.swift's cxxOptimised), debug builds included"
#endif

namespace cvs_detail {

inline void fail(cvs_error *error, cvs_status code, const std::string &message) {
    if (!error) return;
    error->code = code;
    std::snprintf(error->message, sizeof error->message, "%s", message.c_str());
}

inline void clear(cvs_error *error) {
    if (!error) return;
    error->code = CVS_OK;
    error->message[0] = 0;
}

/// Runs `body`, turning any exception into CVS_ERR_INTERNAL with a message prefixed by `call`.
template <typename Body> cvs_status guarded(cvs_error *error, const char *call, Body body) {
    try {
        return body();
    } catch (const std::exception &e) {
        fail(error, CVS_ERR_INTERNAL, std::string(call) + ": " + e.what());
    } catch (...) {
        fail(error, CVS_ERR_INTERNAL, std::string(call) + ": unknown exception");
    }
    return CVS_ERR_INTERNAL;
}

} // namespace cvs_detail

#endif

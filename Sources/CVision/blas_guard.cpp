#include "blas_guard.hpp"

#include <dlfcn.h>

namespace cvs_detail {
namespace {

std::mutex &blas_lock() {
    static std::mutex lock;
    return lock;
}

// Looked up at run time rather than linked: libblas.so.3 may be any BLAS, and only OpenBLAS has these.
cvs_blas_mode detect() {
    using get_parallel_fn = int (*)();
    using set_threads_fn = void (*)(int);
    const auto get_parallel = reinterpret_cast<get_parallel_fn>(dlsym(RTLD_DEFAULT, "openblas_get_parallel"));
    const auto set_threads = reinterpret_cast<set_threads_fn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    if (!get_parallel) return CVS_BLAS_OTHER;
    // 0: the sequential build, without locks; 1: pthreads; 2: OpenMP.
    const int parallel = get_parallel();
    if (parallel == 0) return CVS_BLAS_SERIALISED;
    if (set_threads) set_threads(1);
    return CVS_BLAS_THREAD_SAFE;
}

} // namespace

cvs_blas_mode BlasSection::mode() {
    static const cvs_blas_mode found = detect(); // once, thread-safe (C++11 statics)
    return found;
}

BlasSection::BlasSection() : locked_(mode() == CVS_BLAS_SERIALISED) {
    if (locked_) blas_lock().lock();
}

BlasSection::~BlasSection() {
    if (locked_) blas_lock().unlock();
}

} // namespace cvs_detail

extern "C" cvs_blas_mode cvs_blas_mode_in_use(void) { return cvs_detail::BlasSection::mode(); }

// Internal to CVision: BLAS and LAPACK work (dlib's face-recognition network, OpenCV's pose solver) from
// several threads at once, safely.
#ifndef CVS_BLAS_GUARD_HPP
#define CVS_BLAS_GUARD_HPP

#include <mutex>

#include "cvision.h"

namespace cvs_detail {

/// gazetop runs vision on several threads (the server's workers, a challenge's face describer, tests in
/// parallel), and the BLAS behind dlib and OpenCV's LAPACK is whichever libblas.so.3 the system selects.
/// Debian's serial OpenBLAS (libopenblas0-serial) is built without locking: two threads in it at once get
/// wrong numbers, silently (measured here: 4 of 24,000 concurrent 64x1152x400 sgemm calls; a face
/// descriptor off by 1e29 in a test run). Its pthread build is safe; gazetop asks it for one thread per call
/// (its workers are the parallelism) and takes no lock. With the serial build, or an OpenBLAS that does not
/// say, every BLAS section takes one process-wide lock instead. Other BLAS libraries (the reference BLAS)
/// keep no shared state and need neither.
class BlasSection {
  public:
    BlasSection();
    ~BlasSection();
    BlasSection(const BlasSection &) = delete;
    BlasSection &operator=(const BlasSection &) = delete;

    /// How the loaded BLAS is used (cvs_blas_mode).
    static cvs_blas_mode mode();

  private:
    bool locked_;
};

} // namespace cvs_detail

#endif

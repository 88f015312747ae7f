// Internal to CVision: dlib's HOG face detector run on part of a picture only.
//
// A followed face is re-detected now and then so the landmarks stay anchored to the detector's box. A
// full scan (dlib's object_detector) builds HOG features over the whole picture at every pyramid level
// and slides the five face filters over all of them; the face, though, can only be near where it was and
// about the size it had. This search does the same work on a window of each pyramid level around the
// face, and only on the levels whose detection window is within a band of the face's size.
//
// It reproduces the full scan's answer for that face exactly (same box, same score): each level's picture
// is the full scan's (dlib's pyramid over the whole picture, which is cheap), HOG cells are cut on the
// full scan's 8-pixel grid, and a window counts only where every feature under it lies three cells or more
// inside the cut (or at the picture's own edge), where dlib's features do not depend on the cut. dlib's
// non-maximum suppression then runs on the windows found.
#ifndef CVS_FACE_SEARCH_HPP
#define CVS_FACE_SEARCH_HPP

#include <cstddef>
#include <vector>

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/opencv/cv_image.h>

namespace cvs_detail {

class FaceSearch {
public:
    explicit FaceSearch(const dlib::frontal_face_detector &detector);

    /// Faces in `image` whose detection window is centred inside `centres` and is between `min_width` and
    /// `max_width` pixels wide, after dlib's non-maximum suppression, best first; `adjust_threshold` as in
    /// dlib's object_detector (the score cut).
    std::vector<dlib::rect_detection> run(const dlib::cv_image<unsigned char> &image, const dlib::drectangle &centres,
                                          double min_width, double max_width, double adjust_threshold);

private:
    using scanner_type = dlib::scan_fhog_pyramid<dlib::pyramid_down<6>>;
    std::vector<scanner_type::fhog_filterbank> filters_;
    std::vector<double> biases_;
    dlib::test_box_overlap overlaps_;
    long cell_, padding_, window_cols_, window_rows_; // window in HOG cells, padding included
    unsigned long min_level_width_, min_level_height_, max_levels_;
    // Scratch kept between calls: pyramid levels, HOG planes, filter output.
    dlib::array2d<unsigned char> level_, next_;
    dlib::array<dlib::array2d<float>> features_;
    dlib::array2d<float> saliency_;
};

} // namespace cvs_detail

#endif

// Internal to CVision: see face_search.hpp.
#include "face_search.hpp"

#include <algorithm>
#include <climits>
#include <cmath>

namespace cvs_detail {

FaceSearch::FaceSearch(const dlib::frontal_face_detector &detector) {
    const scanner_type &scanner = detector.get_scanner();
    cell_ = static_cast<long>(scanner.get_cell_size());
    padding_ = static_cast<long>(scanner.get_padding());
    window_cols_ = static_cast<long>(scanner.get_fhog_window_width());
    window_rows_ = static_cast<long>(scanner.get_fhog_window_height());
    min_level_width_ = scanner.get_min_pyramid_layer_width();
    min_level_height_ = scanner.get_min_pyramid_layer_height();
    max_levels_ = scanner.get_max_pyramid_levels();
    for (unsigned long i = 0; i < detector.num_detectors(); ++i) {
        // What object_detector builds from each weight vector; the last weight is the score's bias.
        filters_.push_back(scanner.build_fhog_filterbank(detector.get_w(i)));
        biases_.push_back(detector.get_w(i)(scanner.get_num_dimensions()));
    }
    overlaps_ = detector.get_overlap_tester();
}

std::vector<dlib::rect_detection> FaceSearch::run(const dlib::cv_image<unsigned char> &image,
                                                  const dlib::drectangle &centres, double min_width, double max_width,
                                                  double adjust_threshold) {
    dlib::pyramid_down<6> pyramid;
    // As many levels as dlib's create_fhog_pyramid makes for the whole picture.
    unsigned long levels = 0;
    dlib::rectangle r = dlib::get_rect(image);
    do {
        r = pyramid.rect_down(r);
        ++levels;
    } while (r.width() >= min_level_width_ && r.height() >= min_level_height_ && levels < max_levels_);

    dlib::default_fhog_feature_extractor extractor;
    const long window_width = (window_cols_ - 2 * padding_) * cell_; // the detection box at its own level
    const long margin = 3 * cell_;                                   // where a cut changes dlib's features
    std::vector<dlib::rect_detection> found;
    for (unsigned long l = 0; l < levels; ++l) {
        if (l == 1) pyramid(image, level_);
        if (l > 1) {
            pyramid(level_, next_);
            dlib::swap(level_, next_);
        }
        // The window's width in the picture's pixels at this level (dlib's rect_up of a window).
        const double width = pyramid.rect_up(dlib::drectangle(0, 0, window_width - 1, window_width - 1), l).width();
        if (width > max_width) break; // levels only grow the window from here
        if (width < min_width) continue;

        const long rows = l == 0 ? image.nr() : level_.nr(), cols = l == 0 ? image.nc() : level_.nc();
        const dlib::drectangle here = pyramid.rect_down(centres, l);
        // Cut: the centres plus half a window and the margin, on the 8-pixel cell grid of the whole level.
        const long reach_x = cell_ * ((window_cols_ + 1) / 2) + margin, reach_y = cell_ * ((window_rows_ + 1) / 2) + margin;
        long left = std::max(0L, static_cast<long>(std::floor(here.left())) - reach_x) / cell_ * cell_;
        long top = std::max(0L, static_cast<long>(std::floor(here.top())) - reach_y) / cell_ * cell_;
        long right = (static_cast<long>(std::ceil(here.right())) + 1 + reach_x + cell_ - 1) / cell_ * cell_;
        long bottom = (static_cast<long>(std::ceil(here.bottom())) + 1 + reach_y + cell_ - 1) / cell_ * cell_;
        const bool right_edge = right >= cols, bottom_edge = bottom >= rows;
        right = std::min(right, cols);
        bottom = std::min(bottom, rows);
        if (right <= left || bottom <= top) continue;
        const dlib::rectangle cut(left, top, right - 1, bottom - 1);
        if (l == 0) {
            extractor(dlib::sub_image(image, cut), features_, cell_, window_rows_, window_cols_);
        } else {
            extractor(dlib::sub_image(level_, cut), features_, cell_, window_rows_, window_cols_);
        }
        if (features_.size() == 0 || features_[0].size() == 0) continue;
        // Where features equal the whole level's: away from every cut that is not the level's own edge.
        const long safe_left = left == 0 ? LONG_MIN : left + margin, safe_top = top == 0 ? LONG_MIN : top + margin;
        const long safe_right = right_edge ? LONG_MAX : right - 1 - margin;
        const long safe_bottom = bottom_edge ? LONG_MAX : bottom - 1 - margin;
        const long cell_x = left / cell_, cell_y = top / cell_; // the cut's offset in HOG cells

        for (size_t i = 0; i < filters_.size(); ++i) {
            const dlib::rectangle area = dlib::impl::apply_filters_to_fhog(filters_[i], features_, saliency_);
            const double threshold = biases_[i] + adjust_threshold;
            for (long y = area.top(); y <= area.bottom(); ++y) {
                for (long x = area.left(); x <= area.right(); ++x) {
                    const float score = saliency_[y][x];
                    if (score < threshold) continue;
                    // Positions in the whole level's HOG grid, mapped as dlib's detect_from_fhog_pyramid does.
                    const dlib::point at(x + cell_x, y + cell_y);
                    const dlib::rectangle under = dlib::fhog_to_image(dlib::centered_rect(at, window_cols_, window_rows_),
                                                                      cell_, window_rows_, window_cols_);
                    if (under.left() < safe_left || under.top() < safe_top || under.right() > safe_right ||
                        under.bottom() > safe_bottom)
                        continue;
                    const dlib::rectangle box = extractor.feats_to_image(
                        dlib::centered_rect(at, window_cols_ - 2 * padding_, window_rows_ - 2 * padding_), cell_,
                        window_rows_, window_cols_);
                    if (!here.contains(dlib::dcenter(box))) continue;
                    dlib::rect_detection d;
                    d.detection_confidence = score - biases_[i];
                    d.weight_index = i;
                    d.rect = pyramid.rect_up(box, l);
                    found.push_back(d);
                }
            }
        }
    }
    // dlib's object_detector: best first, then drop every window overlapping a better one.
    std::sort(found.rbegin(), found.rend());
    std::vector<dlib::rect_detection> kept;
    for (const auto &d : found) {
        if (std::none_of(kept.begin(), kept.end(), [&](const auto &k) { return overlaps_(k.rect, d.rect); }))
            kept.push_back(d);
    }
    return kept;
}

} // namespace cvs_detail

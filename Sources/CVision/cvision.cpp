// CVision: dlib and OpenCV behind the pure C header include/cvision.h.
// Every entry point catches everything: no C++ exception may unwind into Swift.
#include "cvision.h"
#include "blas_guard.hpp"
#include "face_search.hpp"
#include "guard.hpp"
#include "iris_centre.hpp"
#include "pose_refine.hpp"
#include "landmark_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/opencv/cv_image.h>
#include <opencv2/calib3d.hpp>
#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace {

using cvs_detail::BlasSection;
using cvs_detail::clear;
using cvs_detail::fail;

/// OpenCV's own warnings would land on the user's terminal, under the dashboard; the C API reports
/// every failure itself, so they are silenced once, before the first OpenCV call.
void quiet_opencv() {
    static const bool done = [] {
        cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
        return true;
    }();
    (void)done;
}

bool valid(cvs_image image) {
    return image.pixels && image.width > 0 && image.height > 0 && image.stride >= image.width;
}

/// A cv::Mat header over the caller's pixels: no copy, read only by convention.
cv::Mat as_mat(cvs_image image) {
    return cv::Mat(image.height, image.width, CV_8UC1, const_cast<uint8_t *>(image.pixels),
                   static_cast<size_t>(image.stride));
}

/// Every entry point runs its body through this: an exception becomes CVS_ERR_INTERNAL.
template <typename Body> cvs_status guarded(cvs_error *error, Body body) {
    return cvs_detail::guarded(error, "vision", body);
}

} // namespace

// MARK: - Faces

struct cvs_face_detector {
    dlib::frontal_face_detector detector = dlib::get_frontal_face_detector();
    cvs_detail::FaceSearch near{detector};
    cv::Mat scaled; // reused buffer for the downscaled detection copy
};

struct cvs_face_model {
    cvs_face_detector faces;
    std::unique_ptr<cvs_detail::LandmarkModel> landmarks;
};

cvs_face_detector *cvs_face_detector_create(cvs_error *error) {
    clear(error);
    cvs_face_detector *detector = nullptr;
    guarded(error, [&] {
        detector = new cvs_face_detector();
        return CVS_OK;
    });
    return detector;
}

void cvs_face_detector_destroy(cvs_face_detector *detector) { delete detector; }

cvs_face_model *cvs_face_model_create(const char *path, cvs_error *error) {
    clear(error);
    cvs_face_model *model = nullptr;
    guarded(error, [&] {
        if (!path || !*path) {
            fail(error, CVS_ERR_MODEL, "no model path given");
            return CVS_ERR_MODEL;
        }
        FILE *probe = std::fopen(path, "rb");
        if (!probe) {
            fail(error, CVS_ERR_MODEL, std::string("cannot read model ") + path + ": " + std::strerror(errno));
            return CVS_ERR_MODEL;
        }
        std::fclose(probe);
        auto *candidate = new cvs_face_model();
        try {
            std::ifstream in(path, std::ios::binary);
            candidate->landmarks = std::make_unique<cvs_detail::LandmarkModel>(in);
        } catch (const std::exception &) {
            delete candidate;
            fail(error, CVS_ERR_MODEL, std::string("model ") + path + " is corrupt or not a dlib shape predictor");
            return CVS_ERR_MODEL;
        }
        if (candidate->landmarks->num_parts() != 68) {
            const auto parts = candidate->landmarks->num_parts();
            delete candidate;
            fail(error, CVS_ERR_MODEL,
                 std::string("model ") + path + " has " + std::to_string(parts) + " points, not 68");
            return CVS_ERR_MODEL;
        }
        model = candidate;
        return CVS_OK;
    });
    return model;
}

void cvs_face_model_destroy(cvs_face_model *model) { delete model; }

namespace {

/// Runs `search` on `image` scaled by `scale` (a copy in the detector's buffer when below 1) and writes
/// the faces found, largest first, in full-frame pixels. Returns how many were found, -1 on error.
template <typename Search>
int32_t detect_scaled(cvs_face_detector *detector, cvs_image image, float scale, cvs_rect *boxes, int32_t capacity,
                      cvs_error *error, Search search) {
    int32_t found = -1;
    guarded(error, [&] {
        cv::Mat full = as_mat(image);
        const cv::Mat *source = &full;
        if (scale < 1.f) {
            cv::resize(full, detector->scaled, cv::Size(), scale, scale, cv::INTER_AREA);
            source = &detector->scaled;
        }
        dlib::cv_image<unsigned char> view(*source);
        std::vector<dlib::rect_detection> detections = search(view);
        std::sort(detections.begin(), detections.end(), [](const auto &a, const auto &b) {
            return a.rect.area() > b.rect.area();
        });
        const float back = 1.f / scale;
        for (size_t i = 0; i < detections.size() && static_cast<int32_t>(i) < capacity; ++i) {
            const auto &r = detections[i].rect;
            boxes[i] = cvs_rect{r.left() * back, r.top() * back, r.width() * back, r.height() * back,
                                static_cast<float>(detections[i].detection_confidence)};
        }
        found = static_cast<int32_t>(detections.size());
        return CVS_OK;
    });
    return found;
}

bool valid_detection_call(cvs_face_detector *detector, cvs_image image, float scale, int32_t capacity,
                          const cvs_rect *boxes) {
    return detector && valid(image) && scale > 0.f && scale <= 1.f && capacity >= 0 && (capacity == 0 || boxes);
}

} // namespace

int32_t cvs_face_detector_run(cvs_face_detector *detector, cvs_image image, float scale, float min_score,
                              cvs_rect *boxes, int32_t capacity, cvs_error *error) {
    clear(error);
    if (!valid_detection_call(detector, image, scale, capacity, boxes)) {
        fail(error, CVS_ERR_ARGUMENT, "cvs_face_detector_run: bad arguments");
        return -1;
    }
    return detect_scaled(detector, image, scale, boxes, capacity, error, [&](const dlib::cv_image<unsigned char> &view) {
        std::vector<dlib::rect_detection> detections;
        detector->detector(view, detections, min_score);
        return detections;
    });
}

int32_t cvs_face_detector_run_near(cvs_face_detector *detector, cvs_image image, float scale, float min_score,
                                   cvs_rect centres, float min_width, float max_width, cvs_rect *boxes,
                                   int32_t capacity, cvs_error *error) {
    clear(error);
    if (!valid_detection_call(detector, image, scale, capacity, boxes) || !(centres.width >= 0 && centres.height >= 0) ||
        !(min_width >= 0 && max_width >= min_width)) {
        fail(error, CVS_ERR_ARGUMENT, "cvs_face_detector_run_near: bad arguments");
        return -1;
    }
    return detect_scaled(detector, image, scale, boxes, capacity, error, [&](const dlib::cv_image<unsigned char> &view) {
        const dlib::drectangle at(centres.x * scale, centres.y * scale, (centres.x + centres.width) * scale,
                                  (centres.y + centres.height) * scale);
        return detector->near.run(view, at, min_width * scale, max_width * scale, min_score);
    });
}

int32_t cvs_detect_faces(cvs_face_model *model, cvs_image image, float scale, float min_score,
                         cvs_rect *boxes, int32_t capacity, cvs_error *error) {
    if (!model) {
        fail(error, CVS_ERR_ARGUMENT, "cvs_detect_faces: bad arguments");
        return -1;
    }
    return cvs_face_detector_run(&model->faces, image, scale, min_score, boxes, capacity, error);
}

int32_t cvs_detect_faces_near(cvs_face_model *model, cvs_image image, float scale, float min_score, cvs_rect centres,
                              float min_width, float max_width, cvs_rect *boxes, int32_t capacity, cvs_error *error) {
    if (!model) {
        fail(error, CVS_ERR_ARGUMENT, "cvs_detect_faces_near: bad arguments");
        return -1;
    }
    return cvs_face_detector_run_near(&model->faces, image, scale, min_score, centres, min_width, max_width, boxes,
                                      capacity, error);
}

cvs_status cvs_fit_landmarks(cvs_face_model *model, cvs_image image, cvs_rect box, float *points_xy,
                             cvs_error *error) {
    clear(error);
    if (!model || !valid(image) || !points_xy || !(box.width > 0 && box.height > 0)) {
        fail(error, CVS_ERR_ARGUMENT, "cvs_fit_landmarks: bad arguments");
        return CVS_ERR_ARGUMENT;
    }
    return guarded(error, [&] {
        cv::Mat full = as_mat(image);
        dlib::cv_image<unsigned char> view(full);
        const dlib::rectangle rect(std::lround(box.x), std::lround(box.y), std::lround(box.x + box.width - 1),
                                   std::lround(box.y + box.height - 1));
        const std::vector<dlib::point> points = model->landmarks->fit(view, rect);
        for (unsigned long i = 0; i < 68; ++i) {
            points_xy[2 * i] = static_cast<float>(points[i].x());
            points_xy[2 * i + 1] = static_cast<float>(points[i].y());
        }
        return CVS_OK;
    });
}

// MARK: - Eyes

namespace {

constexpr int kPatchW = CVS_EYE_PATCH_WIDTH;
constexpr int kPatchH = CVS_EYE_PATCH_HEIGHT;
/// The corners sit at 10% and 90% of the patch width, so the patch shows a little skin beyond them.
constexpr float kCornerSpan = 0.8f;

/// Maps canonical patch coordinates to the image and back for one eye.
struct EyeFrame {
    cv::Point2f centre, along, across; // across = along turned 90 degrees clockwise on screen (downwards)
    float pixels_per_unit;             // image pixels per patch pixel
    float eye_width;

    explicit EyeFrame(const float *e) {
        const cv::Point2f left(e[0], e[1]), right(e[6], e[7]);
        const cv::Point2f d = right - left;
        eye_width = std::max(1e-3f, std::hypot(d.x, d.y));
        centre = (left + right) * 0.5f;
        along = d * (1.f / eye_width);
        across = cv::Point2f(-along.y, along.x);
        pixels_per_unit = eye_width / (kCornerSpan * kPatchW);
    }
    cv::Point2f to_image(float u, float v) const {
        return centre + along * ((u - kPatchW * 0.5f) * pixels_per_unit) +
               across * ((v - kPatchH * 0.5f) * pixels_per_unit);
    }
    cv::Point2f to_patch(cv::Point2f p) const {
        const cv::Point2f d = p - centre;
        return {kPatchW * 0.5f + d.dot(along) / pixels_per_unit, kPatchH * 0.5f + d.dot(across) / pixels_per_unit};
    }
    /// The 2x3 matrix that takes a patch pixel to its image position (for WARP_INVERSE_MAP).
    cv::Mat patch_to_image() const {
        const cv::Point2f origin = to_image(0, 0);
        cv::Mat m(2, 3, CV_64F);
        m.at<double>(0, 0) = along.x * pixels_per_unit;
        m.at<double>(0, 1) = across.x * pixels_per_unit;
        m.at<double>(0, 2) = origin.x;
        m.at<double>(1, 0) = along.y * pixels_per_unit;
        m.at<double>(1, 1) = across.y * pixels_per_unit;
        m.at<double>(1, 2) = origin.y;
        return m;
    }
};

/// Otsu's threshold over a histogram: the level that best splits dark iris from lighter skin and sclera.
int otsu(const int *hist, int total) {
    double sum = 0;
    for (int i = 0; i < 256; ++i) sum += static_cast<double>(i) * hist[i];
    double sum_dark = 0, best = -1;
    int weight_dark = 0, level = 0;
    for (int t = 0; t < 256; ++t) {
        weight_dark += hist[t];
        if (weight_dark == 0) continue;
        const int weight_light = total - weight_dark;
        if (weight_light == 0) break;
        sum_dark += static_cast<double>(t) * hist[t];
        const double mean_dark = sum_dark / weight_dark, mean_light = (sum - sum_dark) / weight_light;
        const double between = static_cast<double>(weight_dark) * weight_light * (mean_dark - mean_light) *
                               (mean_dark - mean_light);
        if (between > best) best = between, level = t;
    }
    return level;
}

} // namespace

cvs_status cvs_measure_eye(cvs_image image, const float *eye_xy, cvs_eye_measure *out, cvs_error *error) {
    clear(error);
    if (!valid(image) || !eye_xy || !out) {
        fail(error, CVS_ERR_ARGUMENT, "cvs_measure_eye: bad arguments");
        return CVS_ERR_ARGUMENT;
    }
    return guarded(error, [&] {
        const EyeFrame frame(eye_xy);
        cv::Mat patch(kPatchH, kPatchW, CV_8UC1);
        cv::warpAffine(as_mat(image), patch, frame.patch_to_image(), patch.size(),
                       cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_REPLICATE);

        // The eye opening as the landmarks see it, in patch coordinates, grown by a pixel so the iris
        // edge under a slightly wrong lid point still counts.
        std::vector<cv::Point> polygon;
        for (int i = 0; i < 6; ++i) {
            const cv::Point2f p = frame.to_patch({eye_xy[2 * i], eye_xy[2 * i + 1]});
            polygon.emplace_back(cvRound(p.x), cvRound(p.y));
        }
        cv::Mat mask = cv::Mat::zeros(patch.size(), CV_8UC1);
        cv::fillConvexPoly(mask, polygon, 255);
        cv::dilate(mask, mask, cv::Mat(), cv::Point(-1, -1), 1);

        // Otsu over the central band between the corners, where the iris can be.
        const int band_left = kPatchW * 2 / 10, band_right = kPatchW * 8 / 10;
        int hist[256] = {0}, total = 0;
        long level_sum = 0;
        for (int y = 0; y < kPatchH; ++y) {
            const uint8_t *row = patch.ptr<uint8_t>(y);
            for (int x = 0; x < kPatchW; ++x) level_sum += row[x];
            for (int x = band_left; x < band_right; ++x) ++hist[row[x]], ++total;
        }
        const float mean_level = static_cast<float>(level_sum) / (kPatchW * kPatchH);
        int median = 0;
        for (int acc = 0; median < 255 && (acc += hist[median]) < total / 2;) ++median;
        // A patch with no real dark part (skin only) must not invent an iris: cap the split well below
        // the band's median.
        const int threshold = std::min(otsu(hist, total), static_cast<int>(median * 0.8f));

        // Visible iris height: the longest vertical run of dark pixels in each central column, averaged
        // over the three tallest columns.
        std::vector<int> runs;
        runs.reserve(band_right - band_left);
        for (int x = band_left; x < band_right; ++x) {
            int run = 0, longest = 0;
            for (int y = 0; y < kPatchH; ++y) {
                if (patch.at<uint8_t>(y, x) <= threshold) {
                    longest = std::max(longest, ++run);
                } else {
                    run = 0;
                }
            }
            runs.push_back(longest);
        }
        std::partial_sort(runs.begin(), runs.begin() + 3, runs.end(), std::greater<int>());
        const float tallest = (runs[0] + runs[1] + runs[2]) / 3.f;

        // How dark the iris is: the dark pixels inside the eye opening.
        double weight = 0, dark_sum = 0;
        int dark_count = 0;
        for (int y = 0; y < kPatchH; ++y) {
            const uint8_t *row = patch.ptr<uint8_t>(y);
            const uint8_t *inside = mask.ptr<uint8_t>(y);
            for (int x = 0; x < kPatchW; ++x) {
                if (!inside[x] || row[x] > threshold) continue;
                const double w = threshold - row[x] + 1;
                weight += w;
                dark_sum += row[x], ++dark_count;
            }
        }
        // The pupil is the iris centre (cvs::locate_iris); the dark blob here gives the contrast only.
        const cv::Point2f pupil = cvs::locate_iris(as_mat(image), eye_xy);
        float contrast = 0;
        if (weight > 0) {
            const float dark_mean = static_cast<float>(dark_sum / dark_count);
            contrast = median > 0 ? std::clamp((median - dark_mean) / median, 0.f, 1.f) : 0.f;
        }
        out->pupil_x = pupil.x;
        out->pupil_y = pupil.y;
        out->pupil_contrast = contrast;
        out->iris_height = tallest * frame.pixels_per_unit / frame.eye_width;
        out->mean_level = mean_level;
        return CVS_OK;
    });
}

// MARK: - Head pose

cvs_status cvs_estimate_head_pose(const float *p, int32_t width, int32_t height, cvs_pose_state *state,
                                  cvs_head_pose *out, cvs_error *error) {
    clear(error);
    if (!p || !out || width <= 0 || height <= 0) {
        fail(error, CVS_ERR_ARGUMENT, "cvs_estimate_head_pose: bad arguments");
        return CVS_ERR_ARGUMENT;
    }
    return guarded(error, [&] {
        // A generic face in millimetre-like units, in camera axes (x right, y down, z away from the
        // camera), facing the camera: the nose tip is nearest.
        static const std::vector<cv::Point3d> model = {
            {0, 0, 0},         // 30 nose tip
            {0, 330, 65},      // 8 chin
            {-225, -170, 135}, // 36 outer corner of the eye on the image's left
            {225, -170, 135},  // 45 outer corner of the eye on the image's right
            {-150, 150, 125},  // 48 mouth corner, image left
            {150, 150, 125},   // 54 mouth corner, image right
        };
        static const int index[] = {30, 8, 36, 45, 48, 54};
        std::vector<cv::Point2d> seen;
        for (int i : index) seen.emplace_back(p[2 * i], p[2 * i + 1]);
        const double f = width;
        const cv::Matx33d camera(f, 0, width / 2.0, 0, f, height / 2.0, 0, 0, 1);
        cv::Mat rvec(3, 1, CV_64F), tvec(3, 1, CV_64F), rotation;
        // From the last frame's pose, the least-squares fit that solvePnP makes, run to its minimum in a
        // sixth of the time (pose_refine.hpp); from scratch, or where that cannot start, OpenCV's solver.
        bool refined = false;
        if (state && state->valid) {
            cv::Vec3d r(state->rotation), t(state->translation);
            refined = cvs::refine_pose(model.data(), seen.data(), static_cast<int>(seen.size()),
                                       cvs::Pinhole{f, width / 2.0, height / 2.0}, r, t);
            if (refined) {
                for (int i = 0; i < 3; ++i) rvec.at<double>(i) = r[i], tvec.at<double>(i) = t[i];
            }
        }
        bool solved = refined;
        if (!solved) {
            const BlasSection blas; // OpenCV's solver runs on LAPACK, and so on the system's BLAS
            solved = cv::solvePnP(model, seen, camera, cv::noArray(), rvec, tvec, false, cv::SOLVEPNP_ITERATIVE);
        }
        if (!solved) {
            if (state) state->valid = 0;
            fail(error, CVS_ERR_INTERNAL, "solvePnP found no pose");
            return CVS_ERR_INTERNAL;
        }
        if (state) {
            state->refined = refined;
            for (int i = 0; i < 3; ++i) state->rotation[i] = rvec.at<double>(i), state->translation[i] = tvec.at<double>(i);
            // A face behind the camera is a solver's mirror solution: do not start the next frame from it.
            state->valid = tvec.at<double>(2) > 0;
        }
        cv::Rodrigues(rvec, rotation);
        // The face looks along -z of its model; where that direction points now gives yaw and pitch,
        // and where the model's x axis points gives roll.
        const cv::Vec3d facing(-rotation.at<double>(0, 2), -rotation.at<double>(1, 2), -rotation.at<double>(2, 2));
        const cv::Vec3d sideways(rotation.at<double>(0, 0), rotation.at<double>(1, 0), rotation.at<double>(2, 0));
        constexpr double deg = 180.0 / M_PI;
        out->yaw_deg = static_cast<float>(std::atan2(facing[0], -facing[2]) * deg);
        out->pitch_deg = static_cast<float>(std::atan2(-facing[1], std::hypot(facing[0], facing[2])) * deg);
        out->roll_deg = static_cast<float>(std::atan2(sideways[1], sideways[0]) * deg);
        return CVS_OK;
    });
}

// MARK: - Pictures (video files are in video.cpp)

struct cvs_picture {
    cv::Mat pixels;
    cv::Mat colour; // empty unless loaded in colour
};

cvs_picture *cvs_picture_load_gray(const char *path, cvs_error *error) {
    clear(error);
    quiet_opencv();
    cvs_picture *picture = nullptr;
    guarded(error, [&] {
        if (!path) {
            fail(error, CVS_ERR_ARGUMENT, "no image path given");
            return CVS_ERR_ARGUMENT;
        }
        cv::Mat decoded = cv::imread(path, cv::IMREAD_GRAYSCALE);
        if (decoded.empty()) {
            fail(error, CVS_ERR_OPEN, std::string("cannot read image ") + path);
            return CVS_ERR_OPEN;
        }
        picture = new cvs_picture{decoded};
        return CVS_OK;
    });
    return picture;
}

cvs_picture *cvs_picture_load_colour(const char *path, cvs_error *error) {
    clear(error);
    quiet_opencv();
    cvs_picture *picture = nullptr;
    guarded(error, [&] {
        if (!path) {
            fail(error, CVS_ERR_ARGUMENT, "no image path given");
            return CVS_ERR_ARGUMENT;
        }
        cv::Mat decoded = cv::imread(path, cv::IMREAD_COLOR);
        if (decoded.empty()) {
            fail(error, CVS_ERR_OPEN, std::string("cannot read image ") + path);
            return CVS_ERR_OPEN;
        }
        cv::Mat grey;
        cv::cvtColor(decoded, grey, cv::COLOR_BGR2GRAY);
        picture = new cvs_picture{grey, decoded};
        return CVS_OK;
    });
    return picture;
}

void cvs_picture_destroy(cvs_picture *picture) { delete picture; }

cvs_bgr_image cvs_picture_bgr_view(const cvs_picture *picture) {
    if (!picture || picture->colour.empty()) return cvs_bgr_image{nullptr, 0, 0, 0};
    const cv::Mat &m = picture->colour;
    return cvs_bgr_image{m.data, m.cols, m.rows, static_cast<int32_t>(m.step[0])};
}

cvs_image cvs_picture_view(const cvs_picture *picture) {
    if (!picture) return cvs_image{nullptr, 0, 0, 0};
    const cv::Mat &m = picture->pixels;
    return cvs_image{m.data, m.cols, m.rows, static_cast<int32_t>(m.step[0])};
}

// MARK: - Build

const char *cvs_instruction_set(void) {
#if defined(__x86_64__)
#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512CD__) && defined(__AVX512DQ__) && \
    defined(__AVX512VL__)
    return "x86-64-v4";
#elif defined(__AVX2__) && defined(__BMI2__) && defined(__FMA__)
    return "x86-64-v3";
#elif defined(__SSE4_2__) && defined(__POPCNT__) && defined(__SSSE3__)
    return "x86-64-v2";
#else
    return "x86-64";
#endif
#elif defined(__aarch64__)
    return "aarch64";
#else
    return "unknown";
#endif
}

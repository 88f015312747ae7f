#include "iris_centre.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace cvs {
namespace {

// The eye is resampled so its corners are kUnit pixels apart: x from -0.7 to 0.7 eye widths around the
// corners' midpoint, y from -0.6 (above) to 0.5 (below).
constexpr int kUnit = 40;
constexpr float kLeft = -0.7f, kTop = -0.6f;
constexpr int kWidth = 56, kHeight = 44;
// Iris radius in eye widths: a visible iris is about 11.7 mm across and the corner-to-corner width of an
// adult eye about 28-30 mm (0.2); 0.23 matched MediaPipe's iris centre best on the shared clips.
constexpr float kIrisRadius = 0.23f;
// The ring around the disc whose mean is the reference (sclera and skin), in eye widths.
constexpr float kRingWidth = 0.12f;
// How far from the corners' midpoint the iris centre is looked for, in eye widths: an eye turns at most
// about 45 degrees in the head (the oculomotor range is about 50, and people turn the head beyond 20-30),
// which puts the iris centre 0.36 * sin(45) = 0.25 eye widths off (see GazeCore's EyeModel). Beyond that
// the darkest disc is a corner's shadow or a spectacle frame's rim, not an iris.
constexpr float kMaxIrisOffset = 0.26f;
// The darkest share of the opening's pixels that the vertical centroid weighs.
constexpr float kDarkShare = 0.3f;

/// Sums over discs, by rows: prefix sums of each row, and each disc as its rows' half-widths.
struct DiscSums {
    int width, height;
    std::vector<double> prefix; // (width + 1) per row

    DiscSums(const cv::Mat &values) : width(values.cols), height(values.rows), prefix((values.cols + 1) * values.rows) {
        for (int y = 0; y < height; ++y) {
            const float *row = values.ptr<float>(y);
            double *p = &prefix[y * (width + 1)];
            p[0] = 0;
            for (int x = 0; x < width; ++x) p[x + 1] = p[x] + row[x];
        }
    }

    /// The sum over the pixels within `radius` of (cx, cy) (x^2 + y^2 <= r^2), zero outside the picture.
    double disc(int cx, int cy, const std::vector<int> &half) const {
        const int k = static_cast<int>(half.size()) / 2;
        double sum = 0;
        for (int dy = -k; dy <= k; ++dy) {
            const int y = cy + dy;
            if (y < 0 || y >= height) continue;
            const int h = half[dy + k];
            if (h < 0) continue;
            const int a = std::max(0, cx - h), b = std::min(width, cx + h + 1);
            if (b > a) sum += prefix[y * (width + 1) + b] - prefix[y * (width + 1) + a];
        }
        return sum;
    }
};

/// Half-width of each row of a disc of `radius`, rows -k..k (k = ceil(radius)); -1 for an empty row.
std::vector<int> disc_rows(float radius) {
    const int k = static_cast<int>(std::ceil(radius));
    std::vector<int> half;
    for (int dy = -k; dy <= k; ++dy) {
        const float left = radius * radius - static_cast<float>(dy * dy);
        half.push_back(left < 0 ? -1 : static_cast<int>(std::floor(std::sqrt(left))));
    }
    return half;
}

int disc_area(const std::vector<int> &half) {
    int area = 0;
    for (int h : half) area += h < 0 ? 0 : 2 * h + 1;
    return area;
}

/// The offset of a parabola's peak through three samples, -0.5...0.5 (0 when they do not peak).
float parabola_peak(double a, double b, double c) {
    const double den = a - 2 * b + c;
    return den >= 0 ? 0.f : static_cast<float>(std::clamp(0.5 * (a - c) / den, -0.5, 0.5));
}

} // namespace

cv::Point2f locate_iris(const cv::Mat &grey, const float *e) {
    const cv::Point2f left(e[0], e[1]), right(e[6], e[7]);
    const cv::Point2f d = right - left;
    const float eye_width = std::max(1e-3f, std::hypot(d.x, d.y));
    const cv::Point2f centre = (left + right) * 0.5f;
    const cv::Point2f along = d * (1.f / eye_width), across(-along.y, along.x);
    const float scale = eye_width / kUnit; // image pixels per patch pixel
    auto to_image = [&](float u, float v) {
        return centre + along * ((u + kLeft * kUnit) * scale) + across * ((v + kTop * kUnit) * scale);
    };
    const cv::Point2f origin = to_image(0, 0);
    const cv::Matx23d warp(along.x * scale, across.x * scale, origin.x, along.y * scale, across.y * scale, origin.y);
    cv::Mat patch;
    cv::warpAffine(grey, patch, warp, cv::Size(kWidth, kHeight), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
                   cv::BORDER_REPLICATE);

    std::vector<cv::Point> polygon;
    for (int i = 0; i < 6; ++i) {
        const cv::Point2f q = cv::Point2f(e[2 * i], e[2 * i + 1]) - centre;
        polygon.emplace_back(cvRound(q.dot(along) / scale - kLeft * kUnit), cvRound(q.dot(across) / scale - kTop * kUnit));
    }
    cv::Mat mask = cv::Mat::zeros(kHeight, kWidth, CV_8UC1);
    cv::fillConvexPoly(mask, polygon, 255);

    cv::Mat inside(kHeight, kWidth, CV_32F), darkness(kHeight, kWidth, CV_32F);
    std::vector<float> levels;
    for (int y = 0; y < kHeight; ++y) {
        for (int x = 0; x < kWidth; ++x) {
            const bool in = mask.at<uint8_t>(y, x) != 0;
            const float level = patch.at<uint8_t>(y, x);
            inside.at<float>(y, x) = in ? 1.f : 0.f;
            darkness.at<float>(y, x) = in ? 255.f - level : 0.f;
            if (in) levels.push_back(level);
        }
    }
    if (levels.size() < 10) return centre;

    // Horizontal: the disc darkest against its ring, inside the opening.
    const std::vector<int> iris = disc_rows(kIrisRadius * kUnit), outer = disc_rows((kIrisRadius + kRingWidth) * kUnit);
    const int iris_area = disc_area(iris), ring_area = disc_area(outer) - iris_area;
    const DiscSums dark_sums(darkness), inside_sums(inside);
    cv::Rect box = cv::boundingRect(polygon) & cv::Rect(0, 0, kWidth, kHeight);
    cv::Mat score(kHeight, kWidth, CV_64F, cv::Scalar(-1e9));
    // Scored one column beyond the reach on either side, so a disc at the reach's edge whose score still
    // climbs outward (the dark edge beyond) is seen not to peak there.
    const int reach_left = static_cast<int>(std::ceil((-kMaxIrisOffset - kLeft) * kUnit));
    const int reach_right = static_cast<int>(std::floor((kMaxIrisOffset - kLeft) * kUnit));
    const int from_x = std::max(box.x, reach_left - 1), to_x = std::min(box.x + box.width, reach_right + 2);
    for (int y = box.y; y < box.y + box.height; ++y) {
        for (int x = from_x; x < to_x; ++x) {
            const double n_in = inside_sums.disc(x, y, iris), s_in = dark_sums.disc(x, y, iris);
            const double n_ring = inside_sums.disc(x, y, outer) - n_in, s_ring = dark_sums.disc(x, y, outer) - s_in;
            if (n_in <= 0.3 * iris_area || n_ring <= 0.1 * ring_area) continue;
            score.at<double>(y, x) = s_in / n_in - s_ring / n_ring;
        }
    }
    // The best disc that peaks across (no better one beside it) within the reach; failing that, the best
    // within the reach.
    double best = -1e9, best_any = -1e9;
    cv::Point at(-1, -1), at_any(-1, -1);
    for (int y = box.y; y < box.y + box.height; ++y) {
        for (int x = std::max(from_x, reach_left); x < std::min(to_x, reach_right + 1); ++x) {
            const double s = score.at<double>(y, x);
            if (s <= -1e9) continue;
            if (s > best_any) best_any = s, at_any = {x, y};
            const bool peaks = (x == 0 || score.at<double>(y, x - 1) <= s) && (x == kWidth - 1 || score.at<double>(y, x + 1) <= s);
            if (peaks && s > best) best = s, at = {x, y};
        }
    }
    if (at.x < 0) at = at_any, best = best_any;
    if (at.x < 0) return centre;
    float u = static_cast<float>(at.x);
    if (at.x > 0 && at.x < kWidth - 1) {
        u += parabola_peak(score.at<double>(at.y, at.x - 1), best, score.at<double>(at.y, at.x + 1));
    }

    // Vertical: the darkness-weighted centroid of the opening's darkest pixels.
    const size_t k = static_cast<size_t>(kDarkShare * (levels.size() - 1));
    std::nth_element(levels.begin(), levels.begin() + k, levels.end());
    const float threshold = levels[k];
    double weight = 0, wy = 0;
    for (int y = 0; y < kHeight; ++y) {
        for (int x = 0; x < kWidth; ++x) {
            const float level = patch.at<uint8_t>(y, x);
            if (!mask.at<uint8_t>(y, x) || level > threshold) continue;
            const double w = threshold - level + 1;
            weight += w, wy += w * y;
        }
    }
    const float v = weight > 0 ? static_cast<float>(wy / weight) : -kTop * kUnit;
    return to_image(u, v);
}

} // namespace cvs

// Levenberg-Marquardt on a handful of points with fixed-size matrices: no allocation, no LAPACK.
#include "pose_refine.hpp"

#include <algorithm>
#include <cmath>

namespace cvs {
namespace {

/// More points than a face's pose uses; a fixed bound keeps every buffer on the stack.
constexpr int kMaxPoints = 16;

/// The rotation matrix of a Rodrigues vector (as cv::Rodrigues; its first-order form near zero).
cv::Matx33d rotation_matrix(const cv::Vec3d &r) {
    const double theta = std::sqrt(r.dot(r));
    if (theta < 1e-12) return cv::Matx33d(1, -r[2], r[1], r[2], 1, -r[0], -r[1], r[0], 1);
    const cv::Vec3d k = r * (1.0 / theta);
    const cv::Matx33d cross(0, -k[2], k[1], k[2], 0, -k[0], -k[1], k[0], 0);
    return cv::Matx33d::eye() + std::sin(theta) * cross + (1 - std::cos(theta)) * (cross * cross);
}

/// Where the model lands in the picture with pose `p` (rotation, then translation) less where it was
/// seen, two numbers a point, into `out`; false when a point lies at or behind the camera.
bool reprojection_errors(const cv::Point3d *model, const cv::Point2d *seen, int count, const Pinhole &camera,
                         const cv::Vec6d &p, double *out) {
    const cv::Matx33d r = rotation_matrix(cv::Vec3d(p[0], p[1], p[2]));
    for (int i = 0; i < count; ++i) {
        const cv::Vec3d x = r * cv::Vec3d(model[i].x, model[i].y, model[i].z) + cv::Vec3d(p[3], p[4], p[5]);
        if (!(x[2] > 1e-9)) return false;
        out[2 * i] = camera.focal * x[0] / x[2] + camera.cx - seen[i].x;
        out[2 * i + 1] = camera.focal * x[1] / x[2] + camera.cy - seen[i].y;
    }
    return true;
}

double squared_sum(const double *e, int n) {
    double sum = 0;
    for (int i = 0; i < n; ++i) sum += e[i] * e[i];
    return sum;
}

} // namespace

bool refine_pose(const cv::Point3d *model, const cv::Point2d *seen, int count, const Pinhole &camera,
                 cv::Vec3d &rotation, cv::Vec3d &translation) {
    if (count < 4 || count > kMaxPoints) return false;
    const int n = 2 * count;
    cv::Vec6d p(rotation[0], rotation[1], rotation[2], translation[0], translation[1], translation[2]);
    double e[2 * kMaxPoints], plus[2 * kMaxPoints], minus[2 * kMaxPoints], trial[2 * kMaxPoints];
    if (!reprojection_errors(model, seen, count, camera, p, e)) return false;
    double cost = squared_sum(e, n);
    double damping = 1e-3;
    for (int iteration = 0; iteration < 100; ++iteration) {
        // The Jacobian by central differences: six parameters, a dozen numbers, cheaper than it reads.
        double jacobian[2 * kMaxPoints][6];
        for (int j = 0; j < 6; ++j) {
            const double h = 1e-6 * std::max(1.0, std::abs(p[j]));
            cv::Vec6d up = p, down = p;
            up[j] += h;
            down[j] -= h;
            if (!reprojection_errors(model, seen, count, camera, up, plus) ||
                !reprojection_errors(model, seen, count, camera, down, minus))
                return false;
            for (int i = 0; i < n; ++i) jacobian[i][j] = (plus[i] - minus[i]) / (2 * h);
        }
        cv::Matx66d normal = cv::Matx66d::zeros();
        cv::Vec6d gradient(0, 0, 0, 0, 0, 0);
        for (int i = 0; i < n; ++i)
            for (int a = 0; a < 6; ++a) {
                gradient[a] += jacobian[i][a] * e[i];
                for (int b = 0; b < 6; ++b) normal(a, b) += jacobian[i][a] * jacobian[i][b];
            }
        // Damp until a step lowers the error; none at any damping means the minimum is reached.
        bool improved = false;
        cv::Vec6d step;
        while (damping < 1e12) {
            cv::Matx66d damped = normal;
            for (int d = 0; d < 6; ++d) damped(d, d) += damping * std::max(normal(d, d), 1e-12);
            step = damped.solve(-gradient, cv::DECOMP_CHOLESKY);
            const cv::Vec6d next = p + step;
            if (std::isfinite(step.dot(step)) && reprojection_errors(model, seen, count, camera, next, trial)) {
                const double next_cost = squared_sum(trial, n);
                if (next_cost < cost) {
                    p = next;
                    std::copy(trial, trial + n, e);
                    const double gain = cost - next_cost;
                    cost = next_cost;
                    damping = std::max(damping / 10, 1e-12);
                    improved = gain > 1e-14 * (cost + 1e-12);
                    break;
                }
            }
            damping *= 10;
        }
        if (!improved || std::sqrt(step.dot(step)) <= 1e-12 * (std::sqrt(p.dot(p)) + 1e-12)) break;
    }
    if (!std::isfinite(p.dot(p))) return false;
    rotation = cv::Vec3d(p[0], p[1], p[2]);
    translation = cv::Vec3d(p[3], p[4], p[5]);
    return true;
}

} // namespace cvs

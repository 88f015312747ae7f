// Head pose refined from the last frame's: the least-squares pose of a few 3D points seen in a picture.
#pragma once

#include <opencv2/core.hpp>

namespace cvs {

/// A pinhole camera without distortion, in pixels.
struct Pinhole {
    double focal;
    double cx;
    double cy;
};

/// Moves `rotation` (a Rodrigues vector) and `translation` to the pose that puts `model` (camera axes: x
/// right, y down, z away from the camera) where `seen` says, by Levenberg-Marquardt on the squared
/// reprojection error: the objective of OpenCV's `solvePnP(SOLVEPNP_ITERATIVE)` with an extrinsic guess,
/// without its per-call matrix allocations and LAPACK solves, which cost a face more than its landmarks
/// on six points. Returns false (the pose untouched) when the points cannot be solved from this start
/// (a point at or behind the camera, or no finite step); the caller then solves from scratch.
bool refine_pose(const cv::Point3d *model, const cv::Point2d *seen, int count, const Pinhole &camera,
                 cv::Vec3d &rotation, cv::Vec3d &translation);

} // namespace cvs

// Where the iris centre of one eye is, from the eye's six landmarks and the grey picture.
#pragma once

#include <opencv2/core.hpp>

namespace cvs {

/// The iris centre in image pixels, or the corners' midpoint when the eye opening holds nothing to
/// measure. `eye_xy`: the eye's six landmarks (12 floats, iBUG order: corners are points 0 and 3).
///
/// Horizontally: the centre of the disc of an iris's size (radius `kIrisRadius` eye widths) that is
/// darkest against the ring around it, both counted only inside the eye opening, so the lids may cover
/// any part of the iris; the sclera beside the iris fixes its left and right edges. Vertically: the
/// darkness-weighted centroid of the darkest pixels of the opening, which the lids bias less than they
/// mislead the disc (the opening is about as tall as the iris, so the disc has no edge to find there).
/// Measured against MediaPipe's iris on the shared ZJU clips (docs/GAZE.md).
cv::Point2f locate_iris(const cv::Mat &grey, const float *eye_xy);

} // namespace cvs

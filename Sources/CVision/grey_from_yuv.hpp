// Internal to CVision: the grey picture OpenCV's video path makes from a YUV 4:2:0 picture, in one pass.
//
// gazetop's accuracy was measured on grey pictures made the way OpenCV's VideoCapture and cv::cvtColor
// make them: libswscale converts the decoded YUV to BGR, then OpenCV weighs B, G and R into grey. At
// 1280x720 the two passes and the colour picture between them cost 0.7 ms a frame. This does the same
// integer arithmetic per pixel without the colour picture: libswscale's x86 converter for 4:2:0 to BGR
// (yuv_2_rgb.asm: samples shifted up 3 bits, 16-bit multiplies keeping the high half, coefficients from
// yuv2rgb.c's BT.601 table in 13-bit fixed point, each channel clamped to 0-255) followed by OpenCV's
// 15-bit grey weights (3735, 19235, 9798 for B, G, R, rounded). It must give the same bytes: the video
// reader checks it against libswscale and OpenCV on a picture of random samples of the video's format and
// size, and uses it only if it does (another libswscale build or processor rounds differently: with
// FFmpeg's SIMD switched off, no record of videos/video00.mp4 stays the same), and a test checks it on
// every frame of two shared clips.
#ifndef CVS_GREY_FROM_YUV_HPP
#define CVS_GREY_FROM_YUV_HPP

#include <cstdint>
#include <vector>

namespace cvs_detail {

class GreyFromYuv420 {
public:
    /// `full_range`: the source is JPEG-range YUV (libswscale's yuvj formats), else studio range.
    explicit GreyFromYuv420(bool full_range);

    /// Writes `width` x `height` grey pixels, rows packed, into `out` from the three planes.
    void convert(const uint8_t *const planes[3], const int strides[3], int width, int height, uint8_t *out);

private:
    int16_t y_coeff_, y_offset_, vr_coeff_, ub_coeff_, ug_coeff_, vg_coeff_;
    // One pair of rows' chroma contributions to B, G and R: per chroma sample, then per pixel.
    std::vector<int16_t> half_b_, half_g_, half_r_, blue_, green_, red_;

    void chroma_row(const uint8_t *u, const uint8_t *v, int width);
    void grey_row(const uint8_t *y, uint8_t *out, int width) const;
};

} // namespace cvs_detail

#endif

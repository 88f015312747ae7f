// CVision codecs over OpenCV, behind include/cvision_codec.h.
// Every entry point catches everything: no C++ exception may unwind into Swift.
#include "cvision_codec.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "guard.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace {

using cvs_detail::clear;
using cvs_detail::fail;
using cvs_detail::guarded;

cvs_status argument(cvs_error *error, const char *call) {
    fail(error, CVS_ERR_ARGUMENT, std::string(call) + ": bad arguments");
    return CVS_ERR_ARGUMENT;
}

/// BT.601 studio-swing chroma, the convention of YUYV webcams.
inline uint8_t clamp_byte(int v) { return static_cast<uint8_t>(std::min(255, std::max(0, v))); }

} // namespace

/// The encoded picture decoded with `flags` and, when its longer side exceeds `max_side`, scaled down
/// (area averaging) to fit it; empty when OpenCV cannot decode it. One place for both the grey and the
/// colour decode, so a picture is scaled to the same size either way.
static cv::Mat decoded_within(const uint8_t *data, size_t size, int flags, int max_side) {
    const cv::Mat encoded(1, static_cast<int>(size), CV_8UC1, const_cast<uint8_t *>(data));
    cv::Mat picture = cv::imdecode(encoded, flags);
    if (picture.empty()) return picture;
    const int longest = std::max(picture.cols, picture.rows);
    if (longest > max_side) {
        const double scale = static_cast<double>(max_side) / longest;
        const int w = std::max(1, std::min(max_side, static_cast<int>(picture.cols * scale + 0.5)));
        const int h = std::max(1, std::min(max_side, static_cast<int>(picture.rows * scale + 0.5)));
        cv::Mat scaled;
        cv::resize(picture, scaled, cv::Size(w, h), 0, 0, cv::INTER_AREA);
        picture = scaled;
    }
    return picture;
}

extern "C" {

cvs_status cvs_resize(const uint8_t *src, int32_t src_width, int32_t src_height, int32_t channels,
                      uint8_t *dst, int32_t dst_width, int32_t dst_height, cvs_error *error) {
    clear(error);
    if (!src || !dst || src_width <= 0 || src_height <= 0 || dst_width <= 0 || dst_height <= 0 ||
        (channels != 1 && channels != 3))
        return argument(error, "cvs_resize");
    return guarded(error, "cvs_resize", [&] {
        const int type = channels == 1 ? CV_8UC1 : CV_8UC3;
        cv::Mat in(src_height, src_width, type, const_cast<uint8_t *>(src));
        cv::Mat out(dst_height, dst_width, type, dst);
        const bool shrinking = dst_width < src_width || dst_height < src_height;
        cv::resize(in, out, out.size(), 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
        return CVS_OK;
    });
}

cvs_status cvs_yuyv_from_bgr(const uint8_t *bgr, const uint8_t *gray, int32_t width, int32_t height,
                             uint8_t *yuyv, cvs_error *error) {
    clear(error);
    if (!bgr || !gray || !yuyv || width <= 0 || height <= 0 || width % 2 != 0)
        return argument(error, "cvs_yuyv_from_bgr");
    return guarded(error, "cvs_yuyv_from_bgr", [&] {
        const size_t pixels = static_cast<size_t>(width) * height;
        for (size_t i = 0; i < pixels; i += 2) {
            const uint8_t *p = bgr + i * 3;
            const int b = p[0] + p[3], g = p[1] + p[4], r = p[2] + p[5]; // sums of the pair
            const int u = ((-38 * r - 74 * g + 112 * b + 256) >> 9) + 128;
            const int v = ((112 * r - 94 * g - 18 * b + 256) >> 9) + 128;
            uint8_t *o = yuyv + i * 2;
            o[0] = gray[i];
            o[1] = clamp_byte(u);
            o[2] = gray[i + 1];
            o[3] = clamp_byte(v);
        }
        return CVS_OK;
    });
}

cvs_status cvs_jpeg_encode_bgr(const uint8_t *bgr, int32_t width, int32_t height, int32_t quality,
                               uint8_t *out, size_t capacity, size_t *size, cvs_error *error) {
    clear(error);
    if (!bgr || !out || !size || width <= 0 || height <= 0 || quality < 1 || quality > 100)
        return argument(error, "cvs_jpeg_encode_bgr");
    return guarded(error, "cvs_jpeg_encode_bgr", [&] {
        cv::Mat in(height, width, CV_8UC3, const_cast<uint8_t *>(bgr));
        std::vector<uint8_t> encoded;
        if (!cv::imencode(".jpg", in, encoded, {cv::IMWRITE_JPEG_QUALITY, quality})) {
            fail(error, CVS_ERR_INTERNAL, "cvs_jpeg_encode_bgr: OpenCV could not encode JPEG");
            return CVS_ERR_INTERNAL;
        }
        if (encoded.size() > capacity) {
            fail(error, CVS_ERR_ARGUMENT, "cvs_jpeg_encode_bgr: JPEG larger than the buffer");
            return CVS_ERR_ARGUMENT;
        }
        std::memcpy(out, encoded.data(), encoded.size());
        *size = encoded.size();
        return CVS_OK;
    });
}

cvs_status cvs_jpeg_decode_gray(const uint8_t *data, size_t size, int32_t reduction, uint8_t *gray,
                                size_t capacity, int32_t *width, int32_t *height, cvs_error *error) {
    clear(error);
    if (!data || size == 0 || !gray || !width || !height ||
        (reduction != 1 && reduction != 2 && reduction != 4 && reduction != 8))
        return argument(error, "cvs_jpeg_decode_gray");
    return guarded(error, "cvs_jpeg_decode_gray", [&] {
        int flag = cv::IMREAD_GRAYSCALE;
        if (reduction == 2) flag = cv::IMREAD_REDUCED_GRAYSCALE_2;
        if (reduction == 4) flag = cv::IMREAD_REDUCED_GRAYSCALE_4;
        if (reduction == 8) flag = cv::IMREAD_REDUCED_GRAYSCALE_8;
        const cv::Mat encoded(1, static_cast<int>(size), CV_8UC1, const_cast<uint8_t *>(data));
        cv::Mat picture = cv::imdecode(encoded, flag);
        if (picture.empty()) {
            fail(error, CVS_ERR_DECODE, "cvs_jpeg_decode_gray: not a JPEG frame, or a truncated one");
            return CVS_ERR_DECODE;
        }
        const size_t needed = static_cast<size_t>(picture.cols) * picture.rows;
        if (needed > capacity) {
            fail(error, CVS_ERR_ARGUMENT, "cvs_jpeg_decode_gray: picture larger than the buffer");
            return CVS_ERR_ARGUMENT;
        }
        cv::Mat out(picture.rows, picture.cols, CV_8UC1, gray);
        picture.copyTo(out);
        *width = picture.cols;
        *height = picture.rows;
        return CVS_OK;
    });
}

cvs_status cvs_image_decode_gray(const uint8_t *data, size_t size, int32_t max_side, uint8_t *gray,
                                 size_t capacity, int32_t *width, int32_t *height, cvs_error *error) {
    clear(error);
    if (!data || size == 0 || size > static_cast<size_t>(INT32_MAX) || !gray || !width || !height || max_side <= 0)
        return argument(error, "cvs_image_decode_gray");
    return guarded(error, "cvs_image_decode_gray", [&] {
        const cv::Mat picture = decoded_within(data, size, cv::IMREAD_GRAYSCALE, max_side);
        if (picture.empty()) {
            fail(error, CVS_ERR_DECODE, "cvs_image_decode_gray: not a picture OpenCV decodes (JPEG, PNG)");
            return CVS_ERR_DECODE;
        }
        const size_t needed = static_cast<size_t>(picture.cols) * picture.rows;
        if (needed > capacity) {
            fail(error, CVS_ERR_ARGUMENT, "cvs_image_decode_gray: picture larger than the buffer");
            return CVS_ERR_ARGUMENT;
        }
        cv::Mat out(picture.rows, picture.cols, CV_8UC1, gray);
        picture.copyTo(out);
        *width = picture.cols;
        *height = picture.rows;
        return CVS_OK;
    });
}

cvs_status cvs_image_decode_bgr(const uint8_t *data, size_t size, int32_t max_side, uint8_t *bgr, uint8_t *gray,
                                size_t capacity, int32_t *width, int32_t *height, cvs_error *error) {
    clear(error);
    if (!data || size == 0 || size > static_cast<size_t>(INT32_MAX) || !bgr || !gray || !width || !height || max_side <= 0)
        return argument(error, "cvs_image_decode_bgr");
    return guarded(error, "cvs_image_decode_bgr", [&] {
        const cv::Mat picture = decoded_within(data, size, cv::IMREAD_COLOR, max_side);
        if (picture.empty()) {
            fail(error, CVS_ERR_DECODE, "cvs_image_decode_bgr: not a picture OpenCV decodes (JPEG, PNG)");
            return CVS_ERR_DECODE;
        }
        const size_t needed = static_cast<size_t>(picture.cols) * picture.rows;
        if (needed > capacity) {
            fail(error, CVS_ERR_ARGUMENT, "cvs_image_decode_bgr: picture larger than the buffer");
            return CVS_ERR_ARGUMENT;
        }
        cv::Mat colour(picture.rows, picture.cols, CV_8UC3, bgr);
        picture.copyTo(colour);
        cv::Mat grey(picture.rows, picture.cols, CV_8UC1, gray);
        cv::cvtColor(picture, grey, cv::COLOR_BGR2GRAY);
        *width = picture.cols;
        *height = picture.rows;
        return CVS_OK;
    });
}

} // extern "C"

// Internal to CVision: see grey_from_yuv.hpp.
#include "grey_from_yuv.hpp"
#include <cstddef>

namespace cvs_detail {

namespace {

/// yuv2rgb.c's roundToInt16: a 16.16 value rounded to a 16-bit integer, saturating.
int16_t round_to_int16(int64_t f) {
    const int64_t r = (f + (1 << 15)) >> 16;
    return static_cast<int16_t>(r < -0x7FFF ? -0x8000 : (r > 0x7FFF ? 0x7FFF : r));
}

/// pmulhw: the high 16 bits of a signed 16 x 16-bit product.
inline int16_t multiply_high(int16_t a, int16_t b) {
    return static_cast<int16_t>((static_cast<int32_t>(a) * b) >> 16);
}

inline int16_t clamp_byte(int16_t v) { return v < 0 ? 0 : (v > 255 ? 255 : v); }

// libswscale's default inverse table (ff_yuv2rgb_coeffs[SWS_CS_DEFAULT], BT.601): crv, cbu, cgu, cgv.
constexpr int64_t kCrv = 104597, kCbu = 132201, kCgu = 25675, kCgv = 53279;
// Chroma's centre with the 3 extra bits (yuv2rgb.c: uOffset = vOffset = 0x0400).
constexpr int16_t kChromaCentre = 128 << 3;
// OpenCV's BGR to grey weights in 15-bit fixed point (they sum to 1 << 15).
constexpr int32_t kBlueWeight = 3735, kGreenWeight = 19235, kRedWeight = 9798;

} // namespace

GreyFromYuv420::GreyFromYuv420(bool full_range) {
    // yuv2rgb.c, ff_yuv2rgb_c_init_tables, with brightness 0 and contrast and saturation 1.
    int64_t crv = kCrv, cbu = kCbu, cgu = -kCgu, cgv = -kCgv, cy = 1 << 16, oy = 0;
    if (!full_range) {
        cy = (cy * 255) / 219;
        oy = int64_t(16) << 16;
    } else {
        crv = (crv * 224) / 255;
        cbu = (cbu * 224) / 255;
        cgu = (cgu * 224) / 255;
        cgv = (cgv * 224) / 255;
    }
    y_coeff_ = round_to_int16(cy * (1 << 13));
    vr_coeff_ = round_to_int16(crv * (1 << 13));
    ub_coeff_ = round_to_int16(cbu * (1 << 13));
    vg_coeff_ = round_to_int16(cgv * (1 << 13));
    ug_coeff_ = round_to_int16(cgu * (1 << 13));
    y_offset_ = round_to_int16(oy * (1 << 3));
}

void GreyFromYuv420::chroma_row(const uint8_t *__restrict u, const uint8_t *__restrict v, int width) {
    const int half = (width + 1) / 2;
    half_b_.resize(half), half_g_.resize(half), half_r_.resize(half);
    blue_.resize(2 * half), green_.resize(2 * half), red_.resize(2 * half);
    int16_t *__restrict hb = half_b_.data(), *__restrict hg = half_g_.data(), *__restrict hr = half_r_.data();
    const int16_t ub = ub_coeff_, ug = ug_coeff_, vr = vr_coeff_, vg = vg_coeff_;
    for (int i = 0; i < half; ++i) {
        const int16_t cu = static_cast<int16_t>((u[i] << 3) - kChromaCentre);
        const int16_t cv = static_cast<int16_t>((v[i] << 3) - kChromaCentre);
        hb[i] = multiply_high(cu, ub);
        hr[i] = multiply_high(cv, vr);
        hg[i] = static_cast<int16_t>(multiply_high(cu, ug) + multiply_high(cv, vg));
    }
    // Each chroma sample serves two pixels of the row.
    int16_t *__restrict b = blue_.data(), *__restrict g = green_.data(), *__restrict r = red_.data();
    for (int i = 0; i < half; ++i) {
        b[2 * i] = b[2 * i + 1] = hb[i];
        g[2 * i] = g[2 * i + 1] = hg[i];
        r[2 * i] = r[2 * i + 1] = hr[i];
    }
}

void GreyFromYuv420::grey_row(const uint8_t *__restrict y, uint8_t *__restrict out, int width) const {
    const int16_t *__restrict b = blue_.data(), *__restrict g = green_.data(), *__restrict r = red_.data();
    const int16_t y_coeff = y_coeff_, y_offset = y_offset_;
    for (int x = 0; x < width; ++x) { // written for the compiler to vectorise
        const int16_t luma = multiply_high(static_cast<int16_t>((y[x] << 3) - y_offset), y_coeff);
        const int32_t blue = clamp_byte(static_cast<int16_t>(luma + b[x]));
        const int32_t green = clamp_byte(static_cast<int16_t>(luma + g[x]));
        const int32_t red = clamp_byte(static_cast<int16_t>(luma + r[x]));
        out[x] = static_cast<uint8_t>((blue * kBlueWeight + green * kGreenWeight + red * kRedWeight + (1 << 14)) >> 15);
    }
}

void GreyFromYuv420::convert(const uint8_t *const planes[3], const int strides[3], int width, int height,
                             uint8_t *out) {
    for (int row = 0; row < height; ++row) {
        if (row % 2 == 0) {
            chroma_row(planes[1] + static_cast<ptrdiff_t>(row / 2) * strides[1],
                       planes[2] + static_cast<ptrdiff_t>(row / 2) * strides[2], width);
        }
        grey_row(planes[0] + static_cast<ptrdiff_t>(row) * strides[0], out + static_cast<ptrdiff_t>(row) * width, width);
    }
}

} // namespace cvs_detail

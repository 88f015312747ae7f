// Face descriptors: dlib's face-recognition ResNet (dlib_face_recognition_resnet_model_v1.dat) on the face
// chip that dlib's 5-point predictor aligns, computed exactly as dlib's own Python binding does in
// face_recognition_model_v1::compute_face_descriptor (num_jitters 1, padding 0.25): the same network type,
// the landmarks fitted on the colour picture (dlib reads its intensity as (r+g+b)/3), the 150x150 chip of
// get_face_chip_details, one pass of the network. Kept apart from cvision.cpp: the network's templates are
// slow to compile and nothing else needs them.
#include "blas_guard.hpp"
#include "cvision.h"
#include "guard.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include <dlib/dnn.h>
#include <dlib/image_processing.h>
#include <dlib/image_transforms.h>

namespace {

using cvs_detail::clear;
using cvs_detail::fail;
using namespace dlib;

// The network, layer for layer as dlib defines it for this model (dnn_face_recognition_ex.cpp and the
// Python binding). The serialized file holds only weights: any other type fails to deserialize.
template <template <int, template <typename> class, int, typename> class block, int N,
          template <typename> class BN, typename SUBNET>
using residual = add_prev1<block<N, BN, 1, tag1<SUBNET>>>;

template <template <int, template <typename> class, int, typename> class block, int N,
          template <typename> class BN, typename SUBNET>
using residual_down = add_prev2<avg_pool<2, 2, 2, 2, skip1<tag2<block<N, BN, 2, tag1<SUBNET>>>>>>;

template <int N, template <typename> class BN, int stride, typename SUBNET>
using block = BN<con<N, 3, 3, 1, 1, relu<BN<con<N, 3, 3, stride, stride, SUBNET>>>>>;

template <int N, typename SUBNET> using ares = relu<residual<block, N, affine, SUBNET>>;
template <int N, typename SUBNET> using ares_down = relu<residual_down<block, N, affine, SUBNET>>;

template <typename SUBNET> using alevel0 = ares_down<256, SUBNET>;
template <typename SUBNET> using alevel1 = ares<256, ares<256, ares_down<256, SUBNET>>>;
template <typename SUBNET> using alevel2 = ares<128, ares<128, ares_down<128, SUBNET>>>;
template <typename SUBNET> using alevel3 = ares<64, ares<64, ares<64, ares_down<64, SUBNET>>>>;
template <typename SUBNET> using alevel4 = ares<32, ares<32, ares<32, SUBNET>>>;

using anet_type = loss_metric<fc_no_bias<128, avg_pool_everything<alevel0<alevel1<alevel2<alevel3<alevel4<
    max_pool<3, 3, 2, 2, relu<affine<con<32, 7, 7, 2, 2, input_rgb_image_sized<150>>>>>>>>>>>>>;

/// dlib's chip for this network: 150 pixels square, a quarter of the face's size as margin.
constexpr unsigned long chip_size = 150;
constexpr double chip_padding = 0.25;

bool readable(const char *path, cvs_error *error, const char *what) {
    if (!path || !*path) {
        fail(error, CVS_ERR_MODEL, std::string("no ") + what + " path given");
        return false;
    }
    FILE *probe = std::fopen(path, "rb");
    if (!probe) {
        fail(error, CVS_ERR_MODEL, std::string("cannot read ") + what + " " + path + ": " + std::strerror(errno));
        return false;
    }
    std::fclose(probe);
    return true;
}

} // namespace

struct cvs_face_encoder {
    shape_predictor landmarks;
    anet_type network;
    matrix<rgb_pixel> picture; // reused: the caller's BGR pixels as dlib's RGB image
    matrix<rgb_pixel> chip;
};

cvs_face_encoder *cvs_face_encoder_create(const char *shape_predictor_5_path, const char *network_path,
                                          cvs_error *error) {
    clear(error);
    cvs_face_encoder *encoder = nullptr;
    cvs_detail::guarded(error, "face encoder", [&] {
        if (!readable(shape_predictor_5_path, error, "5-point model")) return CVS_ERR_MODEL;
        if (!readable(network_path, error, "face-recognition model")) return CVS_ERR_MODEL;
        auto *candidate = new cvs_face_encoder();
        try {
            deserialize(shape_predictor_5_path) >> candidate->landmarks;
        } catch (const std::exception &) {
            delete candidate;
            fail(error, CVS_ERR_MODEL,
                 std::string("model ") + shape_predictor_5_path + " is corrupt or not a dlib shape predictor");
            return CVS_ERR_MODEL;
        }
        if (candidate->landmarks.num_parts() != 5) {
            const auto parts = candidate->landmarks.num_parts();
            delete candidate;
            fail(error, CVS_ERR_MODEL, std::string("model ") + shape_predictor_5_path + " has " +
                                           std::to_string(parts) + " points, not 5");
            return CVS_ERR_MODEL;
        }
        try {
            deserialize(network_path) >> candidate->network;
        } catch (const std::exception &) {
            delete candidate;
            fail(error, CVS_ERR_MODEL, std::string("model ") + network_path +
                                           " is corrupt or not dlib's face-recognition ResNet");
            return CVS_ERR_MODEL;
        }
        encoder = candidate;
        return CVS_OK;
    });
    return encoder;
}

void cvs_face_encoder_destroy(cvs_face_encoder *encoder) { delete encoder; }

cvs_status cvs_face_descriptor(cvs_face_encoder *encoder, cvs_bgr_image image, cvs_rect box, float *descriptor,
                               float *points_xy, cvs_error *error) {
    clear(error);
    return cvs_detail::guarded(error, "face descriptor", [&] {
        if (!encoder || !descriptor || !image.pixels || image.width <= 0 || image.height <= 0 ||
            image.stride < image.width * 3) {
            fail(error, CVS_ERR_ARGUMENT, "cvs_face_descriptor: bad arguments");
            return CVS_ERR_ARGUMENT;
        }
        if (!(box.width > 0) || !(box.height > 0)) {
            fail(error, CVS_ERR_ARGUMENT, "cvs_face_descriptor: empty face box");
            return CVS_ERR_ARGUMENT;
        }
        matrix<rgb_pixel> &picture = encoder->picture;
        picture.set_size(image.height, image.width);
        for (int32_t y = 0; y < image.height; ++y) {
            const uint8_t *row = image.pixels + static_cast<size_t>(y) * image.stride;
            for (int32_t x = 0; x < image.width; ++x, row += 3) picture(y, x) = rgb_pixel(row[2], row[1], row[0]);
        }
        // The same integer box as cvs_fit_landmarks makes of a cvs_rect.
        const rectangle rect(std::lround(box.x), std::lround(box.y), std::lround(box.x + box.width - 1),
                             std::lround(box.y + box.height - 1));
        const full_object_detection shape = encoder->landmarks(picture, rect);
        extract_image_chip(picture, get_face_chip_details(shape, chip_size, chip_padding), encoder->chip);
        matrix<float, 0, 1> out;
        {
            const cvs_detail::BlasSection blas; // the network's convolutions are BLAS matrix products
            out = encoder->network(encoder->chip);
        }
        for (long i = 0; i < CVS_DESCRIPTOR_LENGTH; ++i) descriptor[i] = out(i);
        if (points_xy) {
            for (unsigned long i = 0; i < shape.num_parts(); ++i) {
                points_xy[2 * i] = static_cast<float>(shape.part(i).x());
                points_xy[2 * i + 1] = static_cast<float>(shape.part(i).y());
            }
        }
        return CVS_OK;
    });
}

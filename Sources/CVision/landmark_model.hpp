// Internal to CVision: dlib's 68-point shape predictor, laid out for speed.
//
// dlib keeps every leaf of every regression tree in a heap block of its own; fitting one face adds 7,500
// of them (15 cascades x 500 trees, 136 floats each: 4 MB), scattered over the 100 MB model, and walks
// each tree with a branch the processor cannot predict. Most of the fit's time went to waiting for those
// leaves. Here the leaves sit in one block (on huge pages where the kernel allows), each cascade first
// walks all its trees (four at a time, without branches), then adds the chosen leaves in tree order while
// fetching the next ones ahead. The arithmetic is dlib's own, in dlib's order: the points are bit-for-bit
// those of dlib::shape_predictor (LandmarkAccuracyTests and the blink evaluation pin them).
#ifndef CVS_LANDMARK_MODEL_HPP
#define CVS_LANDMARK_MODEL_HPP

#include <cstddef>
#include <cstdint>
#include <istream>
#include <vector>

#include <dlib/image_processing.h>

namespace cvs_detail {

class LandmarkModel {
public:
    /// Reads a dlib shape predictor file. Throws dlib::serialization_error when the stream is not one, or
    /// std::runtime_error when its trees are not the complete, equal-depth trees dlib trains.
    explicit LandmarkModel(std::istream &in);

    unsigned long num_parts() const { return initial_shape_.size() / 2; }

    /// The points of the face in `box`, as dlib::shape_predictor::operator() gives them.
    template <typename image_type>
    std::vector<dlib::point> fit(const image_type &image, const dlib::rectangle &box) const;

private:
    struct Split {
        uint32_t idx1, idx2; // feature pixels compared
        float thresh;
    };

    dlib::matrix<float, 0, 1> initial_shape_;
    std::vector<std::vector<unsigned long>> anchor_idx_;
    std::vector<std::vector<dlib::vector<float, 2>>> deltas_;
    size_t cascades_ = 0, trees_ = 0, splits_per_tree_ = 0, leaves_per_tree_ = 0;
    size_t dims_ = 0, leaf_stride_ = 0; // floats per leaf, and per leaf slot (rounded up to 64 bytes)
    std::vector<Split> splits_; // [cascade][tree][split]

    /// Anonymous memory mapped for the leaves, unmapped with the model.
    struct Mapping {
        float *data = nullptr;
        size_t bytes = 0;
        Mapping() = default;
        Mapping(const Mapping &) = delete;
        Mapping &operator=(const Mapping &) = delete;
        ~Mapping();
        void map(size_t size);
    };
    Mapping leaves_; // [cascade][tree][leaf][leaf_stride_]

    float *leaf(size_t cascade, size_t tree, size_t index) const {
        return leaves_.data + ((cascade * trees_ + tree) * leaves_per_tree_ + index) * leaf_stride_;
    }
};

template <typename image_type>
std::vector<dlib::point> LandmarkModel::fit(const image_type &image, const dlib::rectangle &box) const {
    using namespace dlib::impl;
    dlib::matrix<float, 0, 1> shape = initial_shape_;
    std::vector<float> features;
    std::vector<const float *> chosen(trees_);
    const unsigned splits = static_cast<unsigned>(splits_per_tree_);
    for (size_t c = 0; c < cascades_; ++c) {
        extract_feature_pixel_values(image, box, shape, initial_shape_, anchor_idx_[c], deltas_[c], features);
        const float *f = features.data();
        const Split *first = splits_.data() + c * trees_ * splits_per_tree_;
        // dlib's test, (float)a - (float)b > thresh, chooses the left child 2i+1, else the right 2i+2.
        auto step = [f](const Split *tree, unsigned i) {
            return 2 * i + 2 - static_cast<unsigned>(f[tree[i].idx1] - f[tree[i].idx2] > tree[i].thresh);
        };
        size_t t = 0;
        for (; t + 4 <= trees_; t += 4) { // four independent walks keep the processor busy
            const Split *s0 = first + t * splits_per_tree_, *s1 = s0 + splits_per_tree_,
                        *s2 = s1 + splits_per_tree_, *s3 = s2 + splits_per_tree_;
            unsigned i0 = 0, i1 = 0, i2 = 0, i3 = 0;
            while (i0 < splits) { // complete trees: all four reach the leaves together
                i0 = step(s0, i0), i1 = step(s1, i1), i2 = step(s2, i2), i3 = step(s3, i3);
            }
            chosen[t] = leaf(c, t, i0 - splits);
            chosen[t + 1] = leaf(c, t + 1, i1 - splits);
            chosen[t + 2] = leaf(c, t + 2, i2 - splits);
            chosen[t + 3] = leaf(c, t + 3, i3 - splits);
        }
        for (; t < trees_; ++t) {
            const Split *s = first + t * splits_per_tree_;
            unsigned i = 0;
            while (i < splits) i = step(s, i);
            chosen[t] = leaf(c, t, i - splits);
        }
        // Add the leaves in tree order, as dlib does, asking for the leaves a few trees ahead meanwhile.
        constexpr size_t ahead = 6;
        float *current = &shape(0);
        for (t = 0; t < trees_; ++t) {
            if (t + ahead < trees_) {
                const char *next = reinterpret_cast<const char *>(chosen[t + ahead]);
                for (size_t b = 0; b < dims_ * sizeof(float); b += 64) __builtin_prefetch(next + b);
            }
            const float *l = chosen[t];
            for (size_t k = 0; k < dims_; ++k) current[k] += l[k];
        }
    }
    const dlib::point_transform_affine to_image = unnormalizing_tform(box);
    std::vector<dlib::point> parts(shape.size() / 2);
    for (unsigned long i = 0; i < parts.size(); ++i) parts[i] = to_image(location(shape, i));
    return parts;
}

} // namespace cvs_detail

#endif

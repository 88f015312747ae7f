// Internal to CVision: loading dlib's shape predictor into the flat layout of landmark_model.hpp.
#include "landmark_model.hpp"

#include <cstring>
#include <new>
#include <stdexcept>

#include <sys/mman.h>

namespace cvs_detail {

/// Asks for huge pages: the fit reads leaves all over the block, and with 4 KiB pages nearly every leaf
/// would also miss the address translation cache.
void LandmarkModel::Mapping::map(size_t size) {
    constexpr size_t huge_page = size_t(2) << 20;
    const size_t rounded = (size + huge_page - 1) / huge_page * huge_page;
    void *p = mmap(nullptr, rounded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    madvise(p, rounded, MADV_HUGEPAGE); // a hint: without it the model works the same, a little slower
    data = static_cast<float *>(p);
    bytes = rounded;
}

LandmarkModel::Mapping::~Mapping() {
    if (data) munmap(data, bytes);
}

// The file holds what dlib::serialize(shape_predictor) writes: a version (1), the initial shape, the
// forests (a vector of cascades, each a vector of trees), then the feature pixels' anchors and deltas.
// The forests are read one tree at a time so the whole model is never held twice.
LandmarkModel::LandmarkModel(std::istream &in) {
    int version = 0;
    dlib::deserialize(version, in);
    if (version != 1) throw dlib::serialization_error("not a version 1 dlib shape predictor");
    dlib::deserialize(initial_shape_, in);
    dims_ = initial_shape_.size();
    leaf_stride_ = (dims_ + 15) / 16 * 16;
    if (dims_ == 0 || dims_ % 2) throw std::runtime_error("the initial shape is empty or odd");

    unsigned long cascades = 0;
    dlib::deserialize(cascades, in);
    if (cascades == 0 || cascades > 1000) throw std::runtime_error("implausible number of cascades");
    cascades_ = cascades;
    dlib::impl::regression_tree tree;
    for (size_t c = 0; c < cascades_; ++c) {
        unsigned long trees = 0;
        dlib::deserialize(trees, in);
        for (size_t t = 0; t < trees; ++t) {
            deserialize(tree, in);
            if (leaves_.data == nullptr) { // the first tree sets the layout every other must share
                trees_ = trees;
                splits_per_tree_ = tree.splits.size();
                leaves_per_tree_ = tree.leaf_values.size();
                if (trees_ == 0 || trees_ > 100000 || leaves_per_tree_ != splits_per_tree_ + 1 ||
                    (leaves_per_tree_ & (leaves_per_tree_ - 1)) != 0)
                    throw std::runtime_error("trees are not complete binary trees");
                leaves_.map(cascades_ * trees_ * leaves_per_tree_ * leaf_stride_ * sizeof(float));
                splits_.resize(cascades_ * trees_ * splits_per_tree_);
            }
            if (trees != trees_ || tree.splits.size() != splits_per_tree_ || tree.leaf_values.size() != leaves_per_tree_)
                throw std::runtime_error("cascades differ in shape");
            Split *s = splits_.data() + (c * trees_ + t) * splits_per_tree_;
            for (size_t k = 0; k < splits_per_tree_; ++k)
                s[k] = Split{static_cast<uint32_t>(tree.splits[k].idx1), static_cast<uint32_t>(tree.splits[k].idx2),
                             tree.splits[k].thresh};
            for (size_t k = 0; k < leaves_per_tree_; ++k) {
                if (static_cast<size_t>(tree.leaf_values[k].size()) != dims_)
                    throw std::runtime_error("a leaf does not match the shape");
                std::memcpy(leaf(c, t, k), &tree.leaf_values[k](0), dims_ * sizeof(float));
            }
        }
        if (trees == 0) throw std::runtime_error("an empty cascade");
    }
    dlib::deserialize(anchor_idx_, in);
    dlib::deserialize(deltas_, in);
    if (anchor_idx_.size() != cascades_ || deltas_.size() != cascades_)
        throw std::runtime_error("feature pixels do not match the cascades");
    for (size_t c = 0; c < cascades_; ++c) {
        if (anchor_idx_[c].size() != deltas_[c].size()) throw std::runtime_error("feature pixels are inconsistent");
        for (unsigned long a : anchor_idx_[c])
            if (a >= dims_ / 2) throw std::runtime_error("a feature pixel anchors to no point");
        const Split *s = splits_.data() + c * trees_ * splits_per_tree_;
        for (size_t k = 0; k < trees_ * splits_per_tree_; ++k)
            if (s[k].idx1 >= anchor_idx_[c].size() || s[k].idx2 >= anchor_idx_[c].size())
                throw std::runtime_error("a split reads a feature pixel that does not exist");
    }
}

} // namespace cvs_detail

// A multinomial logistic-regression model over hashed features (the "hashing trick",
// Weinberger et al., ICML 2009), stored with 16-bit quantized weights; and its trainer
// (AdaGrad, Duchi et al., JMLR 2011). Feature values are 1/sqrt(n) for a text of n features,
// so long and short texts score on one scale.
//
// Threads: a LinearModel is immutable after Load(); Score() from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "analysis/features.h"
#include "core/status.h"

namespace yuqing::analysis {

class LinearModel {
 public:
  static constexpr size_t kMaxClasses = 64;

  // NotFound when the file is missing; InvalidArgument (with the file name) when it is not a
  // model of this format.
  static Result<std::shared_ptr<const LinearModel>> Load(const std::string& path);
  Status Save(const std::string& path) const;

  // Softmax probabilities per class into `probs` (resized). With `rows`, also copies each
  // feature's quantized weights there (features.size() x classes), for RowWeight().
  void Score(const std::vector<Feature>& features, std::vector<double>& probs,
             std::vector<int16_t>* rows = nullptr) const;
  // Weight of feature i (of the last Score() that filled `rows`) for class c.
  double RowWeight(const std::vector<int16_t>& rows, size_t i, int c) const {
    return rows[i * classes_.size() + c] * scale_[c];
  }
  // Contribution of feature `f` to the logit of class `c` (for evidence).
  double Weight(const Feature& f, int c) const {
    return w_[(f.hash & mask_) * classes_.size() + c] * scale_[c];
  }
  double FeatureValue(size_t n) const;
  // Value of each feature of `group` in `features` (1/sqrt of the group's size).
  static double GroupValue(const std::vector<Feature>& features, int group);

  const std::vector<std::string>& classes() const { return classes_; }
  int ClassIndex(std::string_view name) const;
  size_t memory_bytes() const { return w_.size() * sizeof(int16_t); }

  // From float weights [bucket][class] (the trainer's), quantized per class.
  LinearModel(std::vector<std::string> classes, int bucket_bits, const std::vector<float>& w,
              const std::vector<float>& bias);
  LinearModel() = default;

 private:
  std::vector<std::string> classes_;
  int bucket_bits_ = 0;
  uint64_t mask_ = 0;
  std::vector<int16_t> w_;
  std::vector<float> scale_;
  std::vector<float> bias_;
};

struct TrainExample {
  std::vector<uint32_t> buckets;  // group 0 first, then the last `tail` of group 1
  uint32_t tail = 0;
  int label = 0;
  float weight = 1;
};

struct TrainOptions {
  int bucket_bits = 20;
  double learning_rate = 0.2;
  int epochs = 5;
  double l2 = 0;  // applied to the touched weights at each step
  uint64_t seed = 1;
  // NB weighting (Wang & Manning, ACL 2012): when > 0, each bucket's input to class c is scaled
  // by its log-count ratio r_c = log((a + n_c) / |a + n_c|) - log((a + n_!c) / |a + n_!c|),
  // counted on `train` (one count per example, times its weight), with smoothing a = nb_alpha.
  // The scale is folded into the saved weights, so the model file and Score() are unchanged.
  double nb_alpha = 0;
  // Polyak averaging of the weights over all steps (Polyak & Juditsky 1992); the averaged
  // weights are evaluated on dev and saved.
  bool average = false;
};

// Trains on `train`, keeps the epoch with the best accuracy on `dev` (without dev: the last
// epoch), and logs per epoch to stderr. `best_epoch`, if given, receives the epoch kept.
LinearModel Train(const std::vector<std::string>& classes, std::vector<TrainExample>& train,
                  const std::vector<TrainExample>& dev, const TrainOptions& options,
                  int* best_epoch = nullptr);

}  // namespace yuqing::analysis

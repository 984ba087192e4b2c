#include "analysis/linear_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace yuqing::analysis {
namespace {

// A toy corpus over hashed buckets: 1 and 4 mean positive, 2 and 5 negative, 3 occurs in every
// example (like 的) and carries no class.
std::vector<TrainExample> ToyCorpus() {
  std::vector<TrainExample> out;
  for (int i = 0; i < 40; ++i) {
    TrainExample pos;
    pos.buckets = {i % 2 == 0 ? 1u : 4u, 3u};
    pos.label = 1;
    out.push_back(pos);
    TrainExample neg;
    neg.buckets = {i % 2 == 0 ? 2u : 5u, 3u};
    neg.label = 0;
    out.push_back(neg);
  }
  return out;
}

std::vector<double> ScoreBuckets(const LinearModel& m, const std::vector<uint64_t>& buckets) {
  std::vector<Feature> f;
  f.reserve(buckets.size());
  for (uint64_t b : buckets) {
    f.push_back({b, 0, 0, 0});
  }
  std::vector<double> probs;
  m.Score(f, probs);
  return probs;
}

TEST(LinearModelTest, NbWeightedAveragedTrainingLearnsWordsNotTheirCommonNeighbour) {
  std::vector<TrainExample> train = ToyCorpus();
  TrainOptions opt;
  opt.bucket_bits = 8;
  opt.epochs = 4;
  opt.learning_rate = 0.1;
  opt.nb_alpha = 1;
  opt.average = true;
  opt.l2 = 1e-4;
  LinearModel m = Train({"negative", "positive"}, train, {}, opt);
  EXPECT_GT(ScoreBuckets(m, {1, 3})[1], 0.8);
  EXPECT_GT(ScoreBuckets(m, {5, 3})[0], 0.8);
  // The shared bucket says little either way: NB weighting scales its input down.
  auto weight_gap = [&](uint64_t b) {
    Feature f{b, 0, 0, 0};
    return m.Weight(f, 1) - m.Weight(f, 0);
  };
  EXPECT_LT(std::abs(weight_gap(3)), 0.1 * std::abs(weight_gap(1)));
}

TEST(LinearModelTest, ReportsTheEpochKeptOnDevAndTheLastWithoutDev) {
  std::vector<TrainExample> train = ToyCorpus();
  // A dev set whose labels contradict training: no later epoch beats the first on dev, so the
  // first is kept (scripts/train_models then refits on train + dev for that many epochs).
  std::vector<TrainExample> dev = ToyCorpus();
  for (TrainExample& ex : dev) {
    ex.label = 1 - ex.label;
  }
  TrainOptions opt;
  opt.bucket_bits = 8;
  opt.epochs = 3;
  opt.nb_alpha = 1;
  opt.average = true;
  int best_epoch = 0;
  Train({"negative", "positive"}, train, dev, opt, &best_epoch);
  EXPECT_EQ(best_epoch, 1);
  best_epoch = 0;
  Train({"negative", "positive"}, train, {}, opt, &best_epoch);
  EXPECT_EQ(best_epoch, 3);
}

TEST(LinearModelTest, SavedModelScoresLikeTheTrainedOne) {
  std::vector<TrainExample> train = ToyCorpus();
  TrainOptions opt;
  opt.bucket_bits = 8;
  opt.epochs = 2;
  opt.nb_alpha = 1;
  opt.average = true;
  LinearModel m = Train({"negative", "positive"}, train, {}, opt);
  const std::string path = ::testing::TempDir() + "/linear_model_test.bin";
  ASSERT_TRUE(m.Save(path).ok());
  auto loaded = LinearModel::Load(path);
  ASSERT_TRUE(loaded.ok());
  std::vector<double> a = ScoreBuckets(m, {4, 3, 2});
  std::vector<double> b = ScoreBuckets(**loaded, {4, 3, 2});
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_DOUBLE_EQ(a[i], b[i]);
  }
  std::remove(path.c_str());
}

}  // namespace
}  // namespace yuqing::analysis

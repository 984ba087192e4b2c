#include "analysis/linear_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <numeric>
#include <random>

namespace yuqing::analysis {

namespace {
constexpr char kMagic[8] = {'Y', 'Q', 'L', 'I', 'N', '0', '0', '1'};

void Softmax(std::vector<double>& z) {
  double mx = *std::max_element(z.begin(), z.end());
  double sum = 0;
  for (double& v : z) sum += (v = std::exp(v - mx));
  for (double& v : z) v /= sum;
}
}  // namespace

double LinearModel::FeatureValue(size_t n) const {
  return n == 0 ? 0.0 : 1.0 / std::sqrt(static_cast<double>(n));
}

LinearModel::LinearModel(std::vector<std::string> classes, int bucket_bits,
                         const std::vector<float>& w, const std::vector<float>& bias)
    : classes_(std::move(classes)), bucket_bits_(bucket_bits), bias_(bias) {
  mask_ = (uint64_t{1} << bucket_bits) - 1;
  const size_t c = classes_.size();
  scale_.assign(c, 0);
  for (size_t i = 0; i < w.size(); ++i) {
    scale_[i % c] = std::max(scale_[i % c], std::fabs(w[i]));
  }
  for (float& s : scale_) s = s > 0 ? s / 32767.0f : 1.0f;
  w_.resize(w.size());
  for (size_t i = 0; i < w.size(); ++i) {
    w_[i] = static_cast<int16_t>(std::lround(w[i] / scale_[i % c]));
  }
}

int LinearModel::ClassIndex(std::string_view name) const {
  for (size_t i = 0; i < classes_.size(); ++i) {
    if (classes_[i] == name) return static_cast<int>(i);
  }
  return -1;
}

double LinearModel::GroupValue(const std::vector<Feature>& features, int group) {
  size_t n = 0;
  for (const Feature& f : features) n += f.group == group;
  return n == 0 ? 0.0 : 1.0 / std::sqrt(static_cast<double>(n));
}

namespace {
// Sums the int16 rows of the features per group. C > 0: the class count known at compile time
// (the common 2 and 3), so the inner loop unrolls. Rows are prefetched a few features ahead: the
// models are megabytes and the buckets random, so this loop waits on memory.
template <size_t C>
void SumRows(const std::vector<Feature>& features, const int16_t* w, uint64_t mask, size_t c,
             int64_t (&acc)[2][LinearModel::kMaxClasses], size_t (&n)[2], int16_t* rows) {
  const size_t cc = C > 0 ? C : c;
  constexpr size_t kAhead = 8;
  const size_t m = features.size();
  for (size_t i = 0; i < m; ++i) {
    if (i + kAhead < m) __builtin_prefetch(w + (features[i + kAhead].hash & mask) * cc);
    const Feature& f = features[i];
    const int16_t* row = w + (f.hash & mask) * cc;
    int64_t* a = acc[f.group & 1];
    ++n[f.group & 1];
    for (size_t k = 0; k < cc; ++k) a[k] += row[k];
    if (rows != nullptr) {
      for (size_t k = 0; k < cc; ++k) rows[i * cc + k] = row[k];
    }
  }
}
}  // namespace

void LinearModel::Score(const std::vector<Feature>& features, std::vector<double>& probs,
                        std::vector<int16_t>* rows) const {
  const size_t c = classes_.size();
  int16_t* r = nullptr;
  if (rows != nullptr) {
    rows->resize(features.size() * c);
    r = rows->data();
  }
  probs.assign(bias_.begin(), bias_.end());
  int64_t acc[2][kMaxClasses] = {};
  size_t n[2] = {0, 0};
  if (c == 2) {
    SumRows<2>(features, w_.data(), mask_, c, acc, n, r);
  } else if (c == 3) {
    SumRows<3>(features, w_.data(), mask_, c, acc, n, r);
  } else {
    SumRows<0>(features, w_.data(), mask_, c, acc, n, r);
  }
  for (int g = 0; g < 2; ++g) {
    if (n[g] == 0) continue;
    const double v = 1.0 / std::sqrt(static_cast<double>(n[g]));
    for (size_t k = 0; k < c; ++k) probs[k] += v * static_cast<double>(acc[g][k]) * scale_[k];
  }
  Softmax(probs);
}

Status LinearModel::Save(const std::string& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::Unavailable("cannot write " + path);
  out.write(kMagic, sizeof kMagic);
  uint32_t header[2] = {static_cast<uint32_t>(classes_.size()),
                        static_cast<uint32_t>(bucket_bits_)};
  out.write(reinterpret_cast<const char*>(header), sizeof header);
  for (const std::string& name : classes_) {
    uint32_t n = static_cast<uint32_t>(name.size());
    out.write(reinterpret_cast<const char*>(&n), 4);
    out.write(name.data(), n);
  }
  out.write(reinterpret_cast<const char*>(scale_.data()), scale_.size() * sizeof(float));
  out.write(reinterpret_cast<const char*>(bias_.data()), bias_.size() * sizeof(float));
  out.write(reinterpret_cast<const char*>(w_.data()), w_.size() * sizeof(int16_t));
  if (!out) return Status::Unavailable("write failed: " + path);
  return Status::Ok();
}

Result<std::shared_ptr<const LinearModel>> LinearModel::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("model file not found: " + path);
  auto bad = [&](const char* what) {
    return Status::InvalidArgument(path + ": not a yuqing linear model (" + what + ")");
  };
  char magic[8];
  if (!in.read(magic, 8) || std::memcmp(magic, kMagic, 8) != 0) return bad("magic");
  uint32_t header[2];
  if (!in.read(reinterpret_cast<char*>(header), sizeof header)) return bad("header");
  if (header[0] == 0 || header[0] > kMaxClasses || header[1] < 8 || header[1] > 26)
    return bad("sizes");
  auto m = std::make_shared<LinearModel>();
  m->bucket_bits_ = static_cast<int>(header[1]);
  m->mask_ = (uint64_t{1} << header[1]) - 1;
  for (uint32_t i = 0; i < header[0]; ++i) {
    uint32_t n = 0;
    if (!in.read(reinterpret_cast<char*>(&n), 4) || n > 256) return bad("class name");
    std::string name(n, '\0');
    if (!in.read(name.data(), n)) return bad("class name");
    m->classes_.push_back(std::move(name));
  }
  m->scale_.resize(header[0]);
  m->bias_.resize(header[0]);
  m->w_.resize((size_t{1} << header[1]) * header[0]);
  if (!in.read(reinterpret_cast<char*>(m->scale_.data()), header[0] * sizeof(float)) ||
      !in.read(reinterpret_cast<char*>(m->bias_.data()), header[0] * sizeof(float)) ||
      !in.read(reinterpret_cast<char*>(m->w_.data()), m->w_.size() * sizeof(int16_t))) {
    return bad("truncated");
  }
  return std::shared_ptr<const LinearModel>(std::move(m));
}

LinearModel Train(const std::vector<std::string>& classes, std::vector<TrainExample>& train,
                  const std::vector<TrainExample>& dev, const TrainOptions& options,
                  int* best_epoch) {
  const size_t c = classes.size();
  const size_t buckets = size_t{1} << options.bucket_bits;
  std::vector<float> w(buckets * c, 0), g2(buckets * c, 0);
  std::vector<float> bias(c, 0), bias_g2(c, 0);
  std::vector<float> best_w, best_bias;
  double best_acc = -1;
  std::mt19937_64 rng(options.seed);
  std::vector<size_t> order(train.size());
  std::iota(order.begin(), order.end(), 0);
  std::vector<double> z(c), grad(c);
  const double lr = options.learning_rate;

  // NB log-count ratios per bucket and class (Wang & Manning 2012, §2.2, one-vs-rest for more
  // than two classes); all 1 without NB weighting.
  std::vector<float> r;
  if (options.nb_alpha > 0) {
    std::vector<double> count(buckets * c, 0);
    std::vector<uint32_t> seen;
    for (const TrainExample& ex : train) {
      seen.assign(ex.buckets.begin(), ex.buckets.end());
      std::sort(seen.begin(), seen.end());
      seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
      for (uint32_t b : seen) {
        count[size_t{b} * c + ex.label] += ex.weight;
      }
    }
    const double a = options.nb_alpha;
    std::vector<double> total(c, 0);
    double all = 0;
    for (size_t b = 0; b < buckets; ++b) {
      for (size_t k = 0; k < c; ++k) {
        total[k] += count[b * c + k] + a;
      }
    }
    for (double t : total) {
      all += t;
    }
    r.resize(buckets * c);
    for (size_t b = 0; b < buckets; ++b) {
      double row = 0;
      for (size_t k = 0; k < c; ++k) {
        row += count[b * c + k];
      }
      for (size_t k = 0; k < c; ++k) {
        const double in = count[b * c + k] + a;
        const double out = row - count[b * c + k] + static_cast<double>(c - 1) * a;
        r[b * c + k] = static_cast<float>(
            std::fabs(std::log(in / total[k]) - std::log(out / (all - total[k]))));
      }
    }
  }
  auto scale = [&](size_t i) { return r.empty() ? 1.0 : static_cast<double>(r[i]); };

  // Averaging (Polyak & Juditsky 1992) with the usual lazy trick: u accumulates t * update, and
  // the mean of the iterates after t steps is w - u / t.
  std::vector<double> u, ubias;
  if (options.average) {
    u.assign(buckets * c, 0);
    ubias.assign(c, 0);
  }
  double step = 1;

  // Feature value of bucket i of an example: 1/sqrt(size of its group).
  auto values = [](const TrainExample& ex, double& v0, double& v1, size_t& head) {
    head = ex.buckets.size() - ex.tail;
    v0 = head == 0 ? 0 : 1.0 / std::sqrt(static_cast<double>(head));
    v1 = ex.tail == 0 ? 0 : 1.0 / std::sqrt(static_cast<double>(ex.tail));
  };
  auto logits = [&](const std::vector<float>& wt, const std::vector<float>& bs,
                    const TrainExample& ex, std::vector<double>& out) {
    double v0, v1;
    size_t head;
    values(ex, v0, v1, head);
    for (size_t k = 0; k < c; ++k) {
      out[k] = bs[k];
    }
    for (size_t i = 0; i < ex.buckets.size(); ++i) {
      const float* row = &wt[size_t{ex.buckets[i]} * c];
      const double v = i < head ? v0 : v1;
      for (size_t k = 0; k < c; ++k) {
        out[k] += v * row[k];
      }
    }
  };
  // The weights as saved: NB scale folded in, averaged if asked.
  std::vector<float> eff_w(buckets * c), eff_bias(c);
  auto effective = [&]() {
    for (size_t i = 0; i < buckets * c; ++i) {
      double x = options.average ? w[i] - u[i] / step : w[i];
      eff_w[i] = static_cast<float>(x * scale(i));
    }
    for (size_t k = 0; k < c; ++k) {
      eff_bias[k] = static_cast<float>(options.average ? bias[k] - ubias[k] / step : bias[k]);
    }
  };
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    double loss = 0;
    for (size_t i : order) {
      const TrainExample& ex = train[i];
      double v0, v1;
      size_t head;
      values(ex, v0, v1, head);
      for (size_t k = 0; k < c; ++k) {
        z[k] = bias[k];
      }
      for (size_t j = 0; j < ex.buckets.size(); ++j) {
        const size_t b = ex.buckets[j];
        const double v = j < head ? v0 : v1;
        for (size_t k = 0; k < c; ++k) {
          z[k] += v * w[b * c + k] * scale(b * c + k);
        }
      }
      Softmax(z);
      loss -= ex.weight * std::log(std::max(z[ex.label], 1e-12));
      for (size_t k = 0; k < c; ++k) {
        grad[k] = ex.weight * (z[k] - (static_cast<int>(k) == ex.label));
      }
      for (size_t j = 0; j < ex.buckets.size(); ++j) {
        const size_t b = ex.buckets[j];
        const double v = j < head ? v0 : v1;
        float* row = &w[b * c];
        float* acc = &g2[b * c];
        for (size_t k = 0; k < c; ++k) {
          double g = grad[k] * v * scale(b * c + k) + options.l2 * row[k];
          acc[k] += static_cast<float>(g * g);
          const double d = lr * g / (std::sqrt(acc[k]) + 1e-8);
          row[k] -= static_cast<float>(d);
          if (options.average) {
            u[b * c + k] -= step * d;
          }
        }
      }
      for (size_t k = 0; k < c; ++k) {
        bias_g2[k] += static_cast<float>(grad[k] * grad[k]);
        const double d = lr * grad[k] / (std::sqrt(bias_g2[k]) + 1e-8);
        bias[k] -= static_cast<float>(d);
        if (options.average) {
          ubias[k] -= step * d;
        }
      }
      step += 1;
    }
    effective();
    double acc = 0;
    if (!dev.empty()) {
      size_t correct = 0;
      for (const TrainExample& ex : dev) {
        logits(eff_w, eff_bias, ex, z);
        if (std::max_element(z.begin(), z.end()) - z.begin() == ex.label) {
          ++correct;
        }
      }
      acc = static_cast<double>(correct) / static_cast<double>(dev.size());
    }
    if (dev.empty()) {
      std::fprintf(stderr, "epoch %d: train loss %.4f\n", epoch,
                   loss / static_cast<double>(train.size()));
    } else {
      std::fprintf(stderr, "epoch %d: train loss %.4f, dev accuracy %.4f\n", epoch,
                   loss / static_cast<double>(train.size()), acc);
    }
    if (dev.empty() || acc > best_acc) {
      best_acc = acc;
      best_w = eff_w;
      best_bias = eff_bias;
      if (best_epoch != nullptr) *best_epoch = epoch;
    }
  }
  return LinearModel(classes, options.bucket_bits, best_w, best_bias);
}

}  // namespace yuqing::analysis

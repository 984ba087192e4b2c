// analysis_train: trains one linear model of the analysis module from TSV files prepared by
// scripts/train_models. Features come from TextPipeline, exactly as at run time.
//
//   analysis_train --task sentiment|domain|rumour --classes a,b,c --train FILE [--dev FILE]
//                  --out MODEL [--bits 20] [--epochs 5] [--lr 0.2] [--emoticon-drop 0.5]
//                  [--l2 0] [--nb ALPHA] [--average 1] [--refit 1]
// --nb: NB-weighted inputs (log-count ratios, smoothing ALPHA); --average: averaged weights.
// --refit 1: after choosing the epoch count on dev, train again from scratch on train + dev for
// that many epochs and save that model (dev then no longer measures the saved model: the dev
// figures of docs/analysis.md come from the run without --refit).
// Input lines: label<TAB>weight<TAB>text (label is a class name).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "analysis/features.h"
#include "analysis/linear_model.h"

using namespace yuqing;            // NOLINT(google-build-using-namespace): a tool's main file
using namespace yuqing::analysis;  // NOLINT(google-build-using-namespace)

namespace {

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    size_t e = s.find(sep, pos);
    out.push_back(s.substr(pos, e == std::string::npos ? std::string::npos : e - pos));
    if (e == std::string::npos) break;
    pos = e + 1;
  }
  return out;
}

bool ReadExamples(const std::string& path, const TextPipeline& pipe, FeatureSet set,
                  const std::vector<std::string>& classes, const PrepareOptions& popt, int bits,
                  std::vector<TrainExample>& out) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return false;
  }
  std::map<std::string, int> index;
  for (size_t i = 0; i < classes.size(); ++i) index[classes[i]] = static_cast<int>(i);
  std::string line;
  Prepared p;
  std::vector<Feature> feats;
  const uint64_t mask = (uint64_t{1} << bits) - 1;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    size_t t1 = line.find('\t');
    size_t t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string::npos) {
      std::fprintf(stderr, "%s:%zu: expected label<TAB>weight<TAB>text\n", path.c_str(), line_no);
      return false;
    }
    auto it = index.find(line.substr(0, t1));
    if (it == index.end()) {
      std::fprintf(stderr, "%s:%zu: unknown class %s\n", path.c_str(), line_no,
                   line.substr(0, t1).c_str());
      return false;
    }
    TrainExample ex;
    ex.label = it->second;
    ex.weight = std::strtof(line.substr(t1 + 1, t2 - t1 - 1).c_str(), nullptr);
    pipe.Prepare(std::string_view(line).substr(t2 + 1), p, popt);
    feats.clear();
    pipe.Features(p, set, feats);
    ex.buckets.reserve(feats.size());
    for (const Feature& f : feats) {
      if (f.group == 0) ex.buckets.push_back(static_cast<uint32_t>(f.hash & mask));
    }
    for (const Feature& f : feats) {
      if (f.group != 0) ex.buckets.push_back(static_cast<uint32_t>(f.hash & mask));
    }
    ex.tail = static_cast<uint32_t>(ex.buckets.size()) -
              static_cast<uint32_t>(std::count_if(feats.begin(), feats.end(),
                                                  [](const Feature& f) { return f.group == 0; }));
    out.push_back(std::move(ex));
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args;
  for (int i = 1; i + 1 < argc; i += 2) args[argv[i]] = argv[i + 1];
  auto get = [&](const std::string& k, const std::string& d) {
    auto it = args.find(k);
    return it == args.end() ? d : it->second;
  };
  std::string task = get("--task", "");
  FeatureSet set;
  if (task == "sentiment") {
    set = FeatureSet::kSentiment;
  } else if (task == "domain") {
    set = FeatureSet::kDomain;
  } else if (task == "rumour") {
    set = FeatureSet::kRumour;
  } else {
    std::fprintf(stderr,
                 "usage: analysis_train --task sentiment|domain|rumour --classes a,b --train F "
                 "[--dev F] --out M [--bits 20] [--epochs 5] [--lr 0.2] [--emoticon-drop 0.5] "
                 "[--l2 0] [--nb ALPHA] [--average 1] [--refit 1]\n");
    return 2;
  }
  auto norm = text::Normalizer::Create();
  auto seg = text::Segmenter::Load();
  if (!norm.ok() || !seg.ok()) {
    std::fprintf(stderr, "cannot load the text engine: %s %s\n", norm.status().ToString().c_str(),
                 seg.status().ToString().c_str());
    return 1;
  }
  auto pipe = TextPipeline::Create(*norm, *seg);
  if (!pipe.ok()) return 1;
  std::vector<std::string> classes = Split(get("--classes", ""), ',');
  TrainOptions opt;
  opt.bucket_bits = std::atoi(get("--bits", "20").c_str());
  opt.epochs = std::atoi(get("--epochs", "5").c_str());
  opt.learning_rate = std::atof(get("--lr", "0.2").c_str());
  opt.l2 = std::atof(get("--l2", "0").c_str());
  opt.nb_alpha = std::atof(get("--nb", "0").c_str());
  opt.average = get("--average", "0") == "1";
  PrepareOptions train_popt;
  train_popt.emoticon_drop = std::atof(get("--emoticon-drop", "0").c_str());
  std::vector<TrainExample> train, dev;
  if (!ReadExamples(get("--train", ""), **pipe, set, classes, train_popt, opt.bucket_bits, train)) {
    return 1;
  }
  if (args.count("--dev") &&
      !ReadExamples(get("--dev", ""), **pipe, set, classes, {}, opt.bucket_bits, dev)) {
    return 1;
  }
  std::fprintf(stderr, "%s: %zu train, %zu dev examples, %zu classes\n", task.c_str(), train.size(),
               dev.size(), classes.size());
  int best_epoch = opt.epochs;
  LinearModel model = Train(classes, train, dev, opt, &best_epoch);
  if (get("--refit", "0") == "1" && !dev.empty()) {
    // The dev texts join training as training examples (emoticon dropout included).
    const size_t n_train = train.size();
    if (!ReadExamples(get("--dev", ""), **pipe, set, classes, train_popt, opt.bucket_bits, train)) {
      return 1;
    }
    std::fprintf(stderr, "refit: %zu train + %zu dev examples, %d epochs (best on dev)\n", n_train,
                 train.size() - n_train, best_epoch);
    opt.epochs = best_epoch;
    model = Train(classes, train, {}, opt);
  }
  Status st = model.Save(get("--out", ""));
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", st.ToString().c_str());
    return 1;
  }
  return 0;
}

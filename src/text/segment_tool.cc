// text_segment_tool: segments stdin line by line, for eval/ scripts and dictionary tuning.
// Usage: text_segment_tool [--search] [--no-hmm] [--user-dict FILE] [--sep STRING]
// Each output line holds the words of one input line joined by the separator (default one
// space). Exit status 1 with a message when the dictionary cannot be loaded.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "text/segmenter.h"

int main(int argc, char** argv) {
  using yuqing::text::CutOptions;
  using yuqing::text::Segmenter;
  CutOptions options;
  std::string user_dict;
  std::string sep = " ";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--search") {
      options.search = true;
    } else if (arg == "--no-hmm") {
      options.hmm = false;
    } else if (arg == "--user-dict" && i + 1 < argc) {
      user_dict = argv[++i];
    } else if (arg == "--sep" && i + 1 < argc) {
      sep = argv[++i];
    } else {
      std::fprintf(stderr, "usage: %s [--search] [--no-hmm] [--user-dict FILE] [--sep S]\n",
                   argv[0]);
      return 2;
    }
  }
  auto loaded = Segmenter::Load();
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", loaded.status().ToString().c_str());
    return 1;
  }
  std::shared_ptr<const Segmenter> seg = *loaded;
  if (!user_dict.empty()) {
    auto with = seg->WithUserDictFile(user_dict);
    if (!with.ok()) {
      std::fprintf(stderr, "%s\n", with.status().ToString().c_str());
      return 1;
    }
    seg = *with;
  }
  std::ios::sync_with_stdio(false);
  std::string line;
  std::string out;
  std::vector<std::string_view> words;
  while (std::getline(std::cin, line)) {
    words.clear();
    seg->Cut(line, words, options);
    out.clear();
    for (size_t i = 0; i < words.size(); ++i) {
      if (i > 0) out += sep;
      out += words[i];
    }
    out += '\n';
    std::cout << out;
  }
  return 0;
}

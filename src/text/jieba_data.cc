#include "text/jieba_data.h"

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/utf8.h"

namespace yuqing::text::internal {

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open " + path);
  std::string data;
  in.seekg(0, std::ios::end);
  auto size = in.tellg();
  if (size < 0) return Status::Unavailable("cannot read " + path);
  data.resize(static_cast<size_t>(size));
  in.seekg(0);
  in.read(data.data(), size);
  if (!in) return Status::Unavailable("cannot read " + path);
  return data;
}

namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

class PyDictParser {
 public:
  PyDictParser(std::string_view text, std::string_view what,
               const std::function<void(const std::vector<std::string>&, double)>& visit)
      : s_(text), what_(what), visit_(visit) {}

  Status Run() {
    pos_ = s_.find('{');
    if (pos_ == std::string_view::npos) return Error("no '{'");
    return Dict();
  }

 private:
  Status Error(std::string_view msg) const {
    return Status::InvalidArgument(std::string(what_) + ": byte " + std::to_string(pos_) + ": " +
                                   std::string(msg));
  }
  void SkipSpace() {
    while (pos_ < s_.size() && IsSpace(s_[pos_])) ++pos_;
  }
  Status Dict() {
    ++pos_;  // '{'
    for (;;) {
      SkipSpace();
      if (pos_ >= s_.size()) return Error("unterminated dict");
      if (s_[pos_] == '}') {
        ++pos_;
        return Status::Ok();
      }
      std::string key;
      YQ_RETURN_IF_ERROR(Key(key));
      SkipSpace();
      if (pos_ >= s_.size() || s_[pos_] != ':') return Error("expected ':'");
      ++pos_;
      SkipSpace();
      path_.push_back(std::move(key));
      if (pos_ < s_.size() && s_[pos_] == '{') {
        YQ_RETURN_IF_ERROR(Dict());
      } else {
        YQ_RETURN_IF_ERROR(Number());
      }
      path_.pop_back();
      SkipSpace();
      if (pos_ < s_.size() && s_[pos_] == ',') ++pos_;
    }
  }
  Status Key(std::string& key) {
    if (s_[pos_] != '\'' && s_[pos_] != '"') return Error("expected a quoted key");
    char quote = s_[pos_++];
    while (pos_ < s_.size() && s_[pos_] != quote) {
      if (s_[pos_] == '\\') {
        if (pos_ + 1 >= s_.size()) return Error("bad escape");
        char e = s_[pos_ + 1];
        if (e == 'u' && pos_ + 6 <= s_.size()) {
          uint32_t cp = 0;
          auto [p, ec] = std::from_chars(s_.data() + pos_ + 2, s_.data() + pos_ + 6, cp, 16);
          if (ec != std::errc() || p != s_.data() + pos_ + 6) return Error("bad \\u escape");
          core::AppendUtf8(cp, key);
          pos_ += 6;
        } else {
          key.push_back(e);
          pos_ += 2;
        }
      } else {
        key.push_back(s_[pos_++]);
      }
    }
    if (pos_ >= s_.size()) return Error("unterminated key");
    ++pos_;
    return Status::Ok();
  }
  Status Number() {
    size_t end = pos_;
    while (end < s_.size() &&
           (std::isdigit(static_cast<unsigned char>(s_[end])) || s_[end] == '-' || s_[end] == '+' ||
            s_[end] == '.' || s_[end] == 'e' || s_[end] == 'E')) {
      ++end;
    }
    if (end == pos_) return Error("expected a number");
    // strtod (not from_chars) for portability; Python's repr round-trips exactly.
    std::string num(s_.substr(pos_, end - pos_));
    char* parsed_end = nullptr;
    double v = std::strtod(num.c_str(), &parsed_end);
    if (parsed_end != num.c_str() + num.size()) return Error("bad number");
    visit_(path_, v);
    pos_ = end;
    return Status::Ok();
  }

  std::string_view s_;
  std::string_view what_;
  const std::function<void(const std::vector<std::string>&, double)>& visit_;
  size_t pos_ = 0;
  std::vector<std::string> path_;
};

}  // namespace

Status ParsePyDictLiteral(
    std::string_view text, std::string_view what,
    const std::function<void(const std::vector<std::string>&, double)>& visit) {
  return PyDictParser(text, what, visit).Run();
}

Status ForEachDictLine(std::string_view text, std::string_view what,
                       const std::function<void(std::string_view, int64_t)>& visit) {
  size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    while (!line.empty() && IsSpace(line.front())) line.remove_prefix(1);
    while (!line.empty() && IsSpace(line.back())) line.remove_suffix(1);
    if (line.empty()) continue;
    size_t sp = line.find(' ');
    std::string_view word = line.substr(0, sp);
    std::string_view rest = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
    std::string_view freq_text = rest.substr(0, rest.find(' '));
    int64_t freq = 0;
    auto [p, ec] = std::from_chars(freq_text.data(), freq_text.data() + freq_text.size(), freq);
    if (word.empty() || freq_text.empty() || ec != std::errc() ||
        p != freq_text.data() + freq_text.size() || freq < 0) {
      return Status::InvalidArgument(std::string(what) + ": line " + std::to_string(line_no) +
                                     ": expected \"word frequency [tag]\", got \"" +
                                     std::string(line.substr(0, 80)) + "\"");
    }
    visit(word, freq);
  }
  return Status::Ok();
}

uint64_t Fnv1a64(std::string_view s, uint64_t seed) {
  uint64_t h = seed;
  for (char c : s) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace yuqing::text::internal

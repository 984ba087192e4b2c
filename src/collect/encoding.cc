#include "collect/encoding.h"

#include <fmt/format.h>
#include <iconv.h>

#include <cerrno>
#include <memory>

#include "core/utf8.h"

namespace yuqing::collect {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The value after `key=` in `text` (quotes and spaces trimmed), up to ; " ' > or space.
std::string ValueAfter(std::string_view text, std::string_view key) {
  std::string lower = Lower(text);
  size_t at = lower.find(key);
  if (at == std::string::npos) return "";
  size_t i = at + key.size();
  while (i < lower.size() && (lower[i] == ' ' || lower[i] == '=')) ++i;
  while (i < lower.size() && (lower[i] == '"' || lower[i] == '\'')) ++i;
  size_t end = i;
  while (end < lower.size() && lower[end] != ';' && lower[end] != '"' && lower[end] != '\'' &&
         lower[end] != '>' && lower[end] != ' ' && lower[end] != '/' && lower[end] != '?') {
    ++end;
  }
  return lower.substr(i, end - i);
}

// The name iconv knows for a label people write.
std::string Canonical(std::string_view label) {
  std::string l = Lower(label);
  if (l == "gbk" || l == "gb2312" || l == "gb_2312-80" || l == "x-gbk" || l == "cp936" ||
      l == "gb18030" || l == "euc-cn") {
    return "GB18030";
  }
  if (l == "utf8" || l == "utf-8") return "UTF-8";
  return Lower(label).empty() ? std::string() : std::string(label);
}

}  // namespace

std::string CharsetFromContentType(std::string_view content_type) {
  return ValueAfter(content_type, "charset");
}

std::string CharsetFromDocument(std::string_view bytes) {
  std::string_view head = bytes.substr(0, 2048);
  std::string lower = Lower(head);
  if (lower.starts_with("<?xml")) {
    size_t end = lower.find("?>");
    std::string decl = lower.substr(0, end);
    std::string enc = ValueAfter(decl, "encoding");
    if (!enc.empty()) return enc;
  }
  for (size_t at = lower.find("<meta"); at != std::string::npos; at = lower.find("<meta", at + 5)) {
    size_t end = lower.find('>', at);
    std::string tag = lower.substr(at, end == std::string::npos ? std::string::npos : end - at);
    std::string cs = ValueAfter(tag, "charset");
    if (!cs.empty()) return cs;
  }
  return "";
}

std::string ChooseCharset(std::string_view content_type, std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) return "utf-8";
  std::string cs = CharsetFromContentType(content_type);
  if (!cs.empty()) return cs;
  cs = CharsetFromDocument(bytes);
  if (!cs.empty()) return cs;
  return core::IsValidUtf8(bytes) ? "utf-8" : "gb18030";
}

Result<std::string> ToUtf8(std::string_view bytes, std::string_view charset) {
  std::string name = Canonical(charset);
  if (name.empty()) name = "UTF-8";
  if (name == "UTF-8") {
    if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
    size_t bad = core::FindInvalidUtf8(bytes);
    if (bad != std::string_view::npos) {
      return Status::InvalidArgument(fmt::format("byte {} is not valid UTF-8", bad));
    }
    return std::string(bytes);
  }
  iconv_t cd = iconv_open("UTF-8", name.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return Status::InvalidArgument(fmt::format("unknown character set \"{}\"", charset));
  }
  std::unique_ptr<void, int (*)(iconv_t)> closer(cd, iconv_close);
  std::string out;
  out.resize(bytes.size() * 2 + 16);
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  size_t written = 0;
  while (in_left > 0) {
    char* dst = out.data() + written;
    size_t dst_left = out.size() - written;
    size_t r = iconv(cd, &in, &in_left, &dst, &dst_left);
    written = out.size() - dst_left;
    if (r != static_cast<size_t>(-1)) break;
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    size_t offset = bytes.size() - in_left;
    return Status::InvalidArgument(fmt::format("byte {} is not valid {}{}", offset, name,
                                               errno == EINVAL ? " (truncated sequence)" : ""));
  }
  out.resize(written);
  return out;
}

}  // namespace yuqing::collect

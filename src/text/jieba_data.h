// Readers for the data files of Debian's python3-jieba: the dictionary (dict.txt), the HMM
// parameters (finalseg/prob_*.py, Python dict literals) and the IDF table (analyse/idf.txt).
// Only the data is read; no jieba code is used. Internal to the text module.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace yuqing::text::internal {

// Reads a whole file. NotFound when it cannot be opened.
Result<std::string> ReadWholeFile(const std::string& path);

// Visits every number in a Python dict literal such as `P={'B': {'\u4e00': -3.6, ...}, ...}`
// with the path of keys leading to it (keys decoded to UTF-8). InvalidArgument on a syntax
// error, naming `what` and the byte offset.
Status ParsePyDictLiteral(
    std::string_view text, std::string_view what,
    const std::function<void(const std::vector<std::string>&, double)>& visit);

// Splits "word freq [tag]" lines of a jieba dictionary the way jieba does (line stripped, then
// split on ' '). Calls visit(word, freq) per line; blank lines are skipped. InvalidArgument
// with file and line number on a malformed line.
Status ForEachDictLine(std::string_view text, std::string_view what,
                       const std::function<void(std::string_view, int64_t)>& visit);

// 64-bit FNV-1a, for cache keys and small hash tables.
uint64_t Fnv1a64(std::string_view s, uint64_t seed = 0xcbf29ce484222325ULL);

}  // namespace yuqing::text::internal

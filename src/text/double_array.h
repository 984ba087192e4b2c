// A static double-array trie over bytes (Aoe 1989, "An efficient digital search algorithm by
// using a double-array structure"). Keys are byte strings (UTF-8 words), each with a 32-bit
// value; 0 means "a prefix of some key but not itself a key". Built once from sorted keys, then
// read-only and safe to share between threads. Internal to the text module.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace yuqing::text::internal {

class DoubleArray {
 public:
  struct Unit {
    int32_t base = 0;
    int32_t check = -1;  // parent index; -1 marks a free cell
  };
  static constexpr int32_t kRoot = 0;
  static constexpr int32_t kNone = -1;

  DoubleArray() = default;

  // `keys` must be sorted by byte value and unique; values are stored as given (0 allowed).
  static DoubleArray Build(const std::vector<std::pair<std::string, uint32_t>>& keys);

  // Adopts arrays read back from a cache file; checks every index stays in bounds so a
  // corrupt file is an error, never a crash.
  static Result<DoubleArray> FromArrays(std::vector<Unit> units, std::vector<uint32_t> values);

  // The child of `node` by `byte`, or kNone. `node` must be a valid node index.
  int32_t Next(int32_t node, uint8_t byte) const {
    int32_t t = units_[static_cast<size_t>(node)].base + byte;
    return units_[static_cast<size_t>(t)].check == node ? t : kNone;
  }
  // Walks `bytes` from `node`; kNone if the path leaves the trie.
  int32_t Walk(int32_t node, std::string_view bytes) const {
    for (char c : bytes) {
      node = Next(node, static_cast<uint8_t>(c));
      if (node == kNone) return kNone;
    }
    return node;
  }
  uint32_t Value(int32_t node) const { return values_[static_cast<size_t>(node)]; }

  const std::vector<Unit>& units() const { return units_; }
  const std::vector<uint32_t>& values() const { return values_; }
  size_t MemoryBytes() const {
    return units_.size() * sizeof(Unit) + values_.size() * sizeof(uint32_t);
  }

 private:
  std::vector<Unit> units_;
  std::vector<uint32_t> values_;
};

}  // namespace yuqing::text::internal

#include "text/double_array.h"

#include <algorithm>

namespace yuqing::text::internal {
namespace {

// Builds depth-first: each node's children are placed at base + byte, with base found by a
// first-fit search over free cells. The search start moves forward once the region behind it
// is nearly full (the density heuristic of darts, Kudo), which keeps the build near-linear.
class Builder {
 public:
  explicit Builder(const std::vector<std::pair<std::string, uint32_t>>& keys) : keys_(keys) {
    Grow(1 << 16);
    units_[0].check = -2;  // the root is never free
  }

  void Run() {
    if (!keys_.empty()) Insert(DoubleArray::kRoot, 0, keys_.size(), 0);
    // Trim so that any base + byte of a used node stays inside the array.
    size_t size = max_used_ + 1;
    for (size_t i = 0; i <= max_used_; ++i) {
      if (units_[i].check != -1) {
        size = std::max(size, static_cast<size_t>(units_[i].base) + 256);
      }
    }
    units_.resize(size);
    values_.resize(size);
  }

  std::vector<DoubleArray::Unit> units_;
  std::vector<uint32_t> values_;

 private:
  void Grow(size_t need) {
    if (need <= units_.size()) return;
    size_t n = std::max(need, units_.size() + units_.size() / 2);
    units_.resize(n);
    values_.resize(n, 0);
  }

  uint8_t ByteAt(size_t key, size_t depth) const {
    return static_cast<uint8_t>(keys_[key].first[depth]);
  }

  void Insert(int32_t node, size_t lo, size_t hi, size_t depth) {
    // A key that ends here is the first of the range (sorted order).
    if (keys_[lo].first.size() == depth) {
      values_[static_cast<size_t>(node)] = keys_[lo].second;
      ++lo;
    }
    if (lo == hi) {
      units_[static_cast<size_t>(node)].base = 0;
      return;
    }
    std::vector<std::pair<uint8_t, size_t>> children;  // byte, start of its range
    for (size_t i = lo; i < hi; ++i) {
      uint8_t b = ByteAt(i, depth);
      if (children.empty() || children.back().first != b) children.emplace_back(b, i);
    }
    int32_t base = FindBase(children);
    units_[static_cast<size_t>(node)].base = base;
    for (const auto& [b, start] : children) {
      size_t t = static_cast<size_t>(base) + b;
      units_[t].check = node;
      max_used_ = std::max(max_used_, t);
    }
    for (size_t c = 0; c < children.size(); ++c) {
      size_t start = children[c].second;
      size_t end = c + 1 < children.size() ? children[c + 1].second : hi;
      Insert(base + children[c].first, start, end, depth + 1);
    }
  }

  int32_t FindBase(const std::vector<std::pair<uint8_t, size_t>>& children) {
    size_t first_byte = children.front().first;
    size_t pos = std::max(next_check_pos_, first_byte + 1);
    size_t nonzero = 0;
    bool first_free = true;
    for (;; ++pos) {
      Grow(pos + 512);
      if (units_[pos].check != -1) {
        ++nonzero;
        continue;
      }
      if (first_free) {
        next_check_pos_ = pos;
        first_free = false;
      }
      size_t base = pos - first_byte;
      bool fits = true;
      for (const auto& child : children) {
        if (units_[base + child.first].check != -1) {
          fits = false;
          break;
        }
      }
      if (fits) {
        if (static_cast<double>(nonzero) / static_cast<double>(pos - next_check_pos_ + 1) >= 0.95) {
          next_check_pos_ = pos;
        }
        return static_cast<int32_t>(base);
      }
    }
  }

  const std::vector<std::pair<std::string, uint32_t>>& keys_;
  size_t next_check_pos_ = 1;
  size_t max_used_ = 0;
};

}  // namespace

DoubleArray DoubleArray::Build(const std::vector<std::pair<std::string, uint32_t>>& keys) {
  Builder builder(keys);
  builder.Run();
  DoubleArray da;
  da.units_ = std::move(builder.units_);
  da.values_ = std::move(builder.values_);
  return da;
}

Result<DoubleArray> DoubleArray::FromArrays(std::vector<Unit> units, std::vector<uint32_t> values) {
  if (units.size() != values.size() || units.size() < 256 || units.size() > (1u << 30)) {
    return Status::InvalidArgument("double array: inconsistent sizes");
  }
  auto n = static_cast<int64_t>(units.size());
  for (const Unit& u : units) {
    if (u.base < 0 || static_cast<int64_t>(u.base) + 256 > n || u.check < -2 || u.check >= n) {
      return Status::InvalidArgument("double array: index out of range");
    }
  }
  DoubleArray da;
  da.units_ = std::move(units);
  da.values_ = std::move(values);
  return da;
}

}  // namespace yuqing::text::internal

#include "org/region_tree.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace yuqing::org {
namespace {

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> cols;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    if (tab == std::string_view::npos) {
      cols.push_back(line.substr(start));
      return cols;
    }
    cols.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
}

bool IsSixDigits(std::string_view s) {
  if (s.size() != 6) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

Result<RegionTree> RegionTree::FromGazetteerTsv(std::string_view text) {
  RegionTree tree;
  tree.regions_.push_back(
      {std::string(kNationalCode), "中华人民共和国", "全国", model::RegionLevel::kNational, -1});
  tree.by_code_.emplace(std::string(kNationalCode), 0);

  int col_code = -1, col_level = -1, col_name = -1, col_parent = -1, col_aliases = -1;
  // Parents may be named before they are defined in a hand-written file: resolve at the end.
  std::vector<std::pair<std::string, int>> parents;  // parent code, line
  size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    std::string_view line = text.substr(pos, eol == std::string_view::npos ? eol : eol - pos);
    pos = eol == std::string_view::npos ? text.size() : eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    auto cols = SplitTabs(line);
    if (col_code < 0) {
      for (int i = 0; i < static_cast<int>(cols.size()); ++i) {
        if (cols[i] == "code") col_code = i;
        if (cols[i] == "level") col_level = i;
        if (cols[i] == "name") col_name = i;
        if (cols[i] == "parent") col_parent = i;
        if (cols[i] == "aliases") col_aliases = i;
      }
      if (col_code < 0 || col_level < 0 || col_name < 0 || col_parent < 0) {
        return Status::InvalidArgument(fmt::format(
            "line {}: expected a header naming the columns code, level, name and parent", line_no));
      }
      continue;
    }
    auto col = [&](int i) { return i >= 0 && i < static_cast<int>(cols.size()) ? cols[i] : ""; };
    std::string_view code = col(col_code);
    if (!IsSixDigits(code) || code == kNationalCode) {
      return Status::InvalidArgument(
          fmt::format("line {}: code \"{}\" is not a 6-digit GB/T 2260 code", line_no, code));
    }
    std::string_view level_name = col(col_level);
    auto level = model::ParseRegionLevel(level_name);
    if (!level || *level == model::RegionLevel::kNational) {
      return Status::InvalidArgument(fmt::format(
          "line {}: level \"{}\" is not province, prefecture or county", line_no, level_name));
    }
    if (col(col_name).empty()) {
      return Status::InvalidArgument(fmt::format("line {}: region {} has no name", line_no, code));
    }
    // Prefecture-level cities without counties (东莞市, 中山市, 儋州市) are listed again as
    // their own county, with themselves as parent: one region, kept at the prefecture level.
    if (col(col_parent) == code && tree.by_code_.count(std::string(code))) continue;
    if (tree.by_code_.count(std::string(code))) {
      return Status::InvalidArgument(
          fmt::format("line {}: region {} is listed twice", line_no, code));
    }
    Region r;
    r.code = std::string(code);
    r.name = std::string(col(col_name));
    std::string_view aliases = col(col_aliases);
    r.short_name = std::string(aliases.substr(0, aliases.find(',')));
    r.level = *level;
    tree.by_code_.emplace(r.code, static_cast<int>(tree.regions_.size()));
    tree.regions_.push_back(std::move(r));
    parents.emplace_back(std::string(col(col_parent)), line_no);
  }
  for (size_t i = 0; i < parents.size(); ++i) {
    Region& r = tree.regions_[i + 1];
    const auto& [parent_code, line] = parents[i];
    int parent = parent_code.empty() ? 0 : tree.IndexOf(parent_code);
    if (parent < 0) {
      return Status::InvalidArgument(fmt::format(
          "line {}: region {} names the unknown parent \"{}\"", line, r.code, parent_code));
    }
    if (!model::IsAbove(tree.regions_[parent].level, r.level)) {
      return Status::InvalidArgument(
          fmt::format("line {}: region {} ({}) has the parent {} ({}), which is not above it", line,
                      r.code, model::RegionLevelName(r.level), tree.regions_[parent].code,
                      model::RegionLevelName(tree.regions_[parent].level)));
    }
    r.parent = parent;
  }
  return tree;
}

Result<RegionTree> RegionTree::LoadGazetteerFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(fmt::format("cannot read the gazetteer {}", path));
  std::stringstream ss;
  ss << in.rdbuf();
  auto tree = FromGazetteerTsv(ss.str());
  if (!tree.ok()) return tree.status().WithContext(path);
  return tree;
}

int RegionTree::IndexOf(std::string_view code) const {
  auto it = by_code_.find(std::string(code));
  return it == by_code_.end() ? -1 : it->second;
}

const RegionTree::Region* RegionTree::Find(std::string_view code) const {
  int i = IndexOf(code);
  return i < 0 ? nullptr : &regions_[i];
}

int RegionTree::AncestorAt(int index, model::RegionLevel level) const {
  while (index >= 0 && model::IsAbove(level, regions_[index].level)) {
    index = regions_[index].parent;
  }
  return index >= 0 && regions_[index].level == level ? index : -1;
}

bool RegionTree::Contains(int ancestor, int index) const {
  for (; index >= 0; index = regions_[index].parent) {
    if (index == ancestor) return true;
  }
  return false;
}

int RegionTree::CommonAncestor(const std::vector<int>& indexes) const {
  if (indexes.empty()) return 0;
  int common = indexes[0];
  for (size_t i = 1; i < indexes.size(); ++i) {
    while (!Contains(common, indexes[i])) common = regions_[common].parent;
  }
  return common;
}

}  // namespace yuqing::org

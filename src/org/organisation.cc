#include "org/organisation.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

namespace yuqing::org {
namespace {

using nlohmann::json;

constexpr size_t kMaxReported = 20;
constexpr std::string_view kDepartmentFields[] = {"id",       "name",    "aliases",      "region",
                                                  "level",    "kind",    "domains",      "superior",
                                                  "vertical", "leaders", "spokesperson", "duty"};
constexpr std::string_view kLeaderFields[] = {"role", "name", "title", "phone", "domains"};
constexpr std::string_view kContactFields[] = {"name", "phone"};
constexpr std::string_view kTopFields[] = {"name", "departments", "routing"};
constexpr std::string_view kGradeFields[] = {"level", "inform_national", "principal_leader",
                                             "press_conference"};

template <size_t N>
bool Known(const std::string_view (&names)[N], std::string_view key) {
  return std::find(std::begin(names), std::end(names), key) != std::end(names);
}

template <size_t N>
std::string Joined(const std::string_view (&names)[N]) {
  std::string out;
  for (size_t i = 0; i < N; ++i) {
    if (i) out += ", ";
    out += names[i];
  }
  return out;
}

std::string DomainList() {
  std::string out;
  for (int i = 0; i < model::kDomainCount; ++i) {
    if (i) out += ", ";
    out += model::kDomainNames[i];
  }
  return out;
}

// The value shown in a message: strings quoted, long values cut.
std::string Shown(const json& v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

// Where a problem is: a TOML line, a JSON path, or a department of a value built in code.
// Messages follow CONVENTIONS.md §2: what, where, what was expected.
class Origin {
 public:
  enum class Mode { kToml, kJson, kValue };
  explicit Origin(Mode mode, const std::unordered_map<std::string, int>* lines = nullptr)
      : mode_(mode), lines_(lines) {}

  // `field` is relative to the department (`leaders[0].name`), or to the document when
  // `index` is negative (`routing.grades.I.level`); empty for the department as a whole.
  std::string Where(int index, std::string_view id, std::string_view field) const {
    std::string path = index >= 0 ? fmt::format("departments[{}]", index) : std::string();
    if (!field.empty()) {
      if (!path.empty()) path += '.';
      path += field;
    }
    std::string dept = id.empty() ? (index >= 0 ? fmt::format("departments[{}]", index) : "")
                                  : fmt::format("department \"{}\"", id);
    switch (mode_) {
      case Mode::kToml: {
        std::string where = fmt::format("line {}", Line(path));
        if (index >= 0) where += ", " + dept;
        if (!field.empty()) where += fmt::format(", field \"{}\"", field);
        return where;
      }
      case Mode::kJson: {
        std::string where = fmt::format("field \"{}\"", path);
        if (index >= 0 && !id.empty()) where += fmt::format(" (department \"{}\")", id);
        return where;
      }
      default: {
        std::string where = dept;
        if (!field.empty()) {
          where += fmt::format("{}field \"{}\"", where.empty() ? "" : ", ", field);
        }
        return where;
      }
    }
  }

 private:
  // The line of `path`, or of the nearest enclosing table or array that has one.
  int Line(std::string path) const {
    if (lines_ == nullptr) return 0;
    while (true) {
      auto it = lines_->find(path);
      if (it != lines_->end() && it->second > 0) return it->second;
      size_t cut = path.find_last_of(".[");
      if (cut == std::string::npos) return 1;
      path.resize(cut);
    }
  }

  Mode mode_;
  const std::unordered_map<std::string, int>* lines_;
};

struct Problems {
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
  void Error(std::string where, std::string_view what) {
    errors.push_back(fmt::format("{}: {}", where, what));
  }
  Status ToStatus() const {
    std::string msg;
    for (size_t i = 0; i < errors.size() && i < kMaxReported; ++i) {
      if (i) msg += "\n";
      msg += errors[i];
    }
    if (errors.size() > kMaxReported) {
      msg += fmt::format("\n… and {} more problems", errors.size() - kMaxReported);
    }
    return Status::InvalidArgument(msg);
  }
};

// Reads fields of one object, reporting against `origin`.
class FieldReader {
 public:
  FieldReader(const Origin& origin, Problems& problems, int index, std::string id)
      : origin_(origin), problems_(problems), index_(index), id_(std::move(id)) {}

  void Error(std::string_view field, std::string_view what) {
    problems_.Error(origin_.Where(index_, id_, field), what);
  }

  // False (and a problem) when present but not a string.
  bool String(const json& obj, std::string_view key, std::string_view field, std::string& out,
              bool required) {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) Error(field, "missing; expected a string");
      return !required;
    }
    if (!it->is_string()) {
      Error(field, fmt::format("{} is not a string", Shown(*it)));
      return false;
    }
    out = it->get<std::string>();
    if (required && out.empty()) {
      Error(field, "is empty; expected a non-empty string");
      return false;
    }
    return true;
  }

  void Bool(const json& obj, std::string_view key, std::string_view field, bool& out) {
    auto it = obj.find(key);
    if (it == obj.end()) return;
    if (!it->is_boolean()) {
      Error(field, fmt::format("{} is not true or false", Shown(*it)));
      return;
    }
    out = it->get<bool>();
  }

  void StringList(const json& obj, std::string_view key, std::string_view field,
                  std::vector<std::string>& out) {
    auto it = obj.find(key);
    if (it == obj.end()) return;
    if (!it->is_array()) {
      Error(field, fmt::format("{} is not an array of strings", Shown(*it)));
      return;
    }
    for (size_t i = 0; i < it->size(); ++i) {
      const json& v = (*it)[i];
      if (!v.is_string() || v.get<std::string>().empty()) {
        Error(fmt::format("{}[{}]", field, i),
              fmt::format("{} is not a non-empty string", Shown(v)));
        continue;
      }
      out.push_back(v.get<std::string>());
    }
  }

  void Domains(const json& obj, std::string_view key, std::string_view field,
               std::vector<model::Domain>& out) {
    auto it = obj.find(key);
    if (it == obj.end()) return;
    if (!it->is_array()) {
      Error(field, fmt::format("{} is not an array of domain names", Shown(*it)));
      return;
    }
    for (size_t i = 0; i < it->size(); ++i) {
      const json& v = (*it)[i];
      std::optional<model::Domain> d;
      if (v.is_string()) d = model::ParseDomain(v.get<std::string>());
      if (!d) {
        Error(fmt::format("{}[{}]", field, i),
              fmt::format("{} is not a domain; expected one of {}", Shown(v), DomainList()));
        continue;
      }
      if (std::find(out.begin(), out.end(), *d) == out.end()) out.push_back(*d);
    }
  }

  void UnknownFields(const json& obj, std::string_view prefix, const std::string_view* known_begin,
                     const std::string_view* known_end, std::string_view what) {
    for (const auto& [key, value] : obj.items()) {
      if (std::find(known_begin, known_end, key) != known_end) continue;
      std::string list;
      for (auto k = known_begin; k != known_end; ++k)
        list += (list.empty() ? "" : ", ") + std::string(*k);
      Error(prefix.empty() ? key : fmt::format("{}.{}", prefix, key),
            fmt::format("is not known; {} has {}", what, list));
    }
  }

  void Contact(const json& obj, std::string_view key, model::Contact& out) {
    auto it = obj.find(key);
    if (it == obj.end()) return;
    if (!it->is_object()) {
      Error(key, fmt::format("{} is not a table with name and phone", Shown(*it)));
      return;
    }
    UnknownFields(*it, key, std::begin(kContactFields), std::end(kContactFields), "a contact");
    String(*it, "name", fmt::format("{}.name", key), out.name, false);
    String(*it, "phone", fmt::format("{}.phone", key), out.phone, false);
  }

 private:
  const Origin& origin_;
  Problems& problems_;
  int index_;
  std::string id_;
};

// One department from its JSON (or converted TOML) object. `declared_level` receives the
// "level" field when present, checked against the region later.
void ReadDepartment(const json& obj, int index, const Origin& origin, Problems& problems,
                    model::Department& d, std::optional<model::RegionLevel>& declared_level) {
  std::string id;
  if (obj.is_object()) {
    auto it = obj.find("id");
    if (it != obj.end() && it->is_string()) id = it->get<std::string>();
  }
  FieldReader r(origin, problems, index, id);
  if (!obj.is_object()) {
    r.Error("", fmt::format("{} is not a table with id, name, region and kind", Shown(obj)));
    return;
  }
  r.UnknownFields(obj, "", std::begin(kDepartmentFields), std::end(kDepartmentFields),
                  "a department");
  if (r.String(obj, "id", "id", d.id, false) && !d.id.empty()) {
    bool ok_chars = std::all_of(d.id.begin(), d.id.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    });
    if (!ok_chars || d.id.size() > 64) {
      r.Error("id", fmt::format("\"{}\" is not an id; use at most 64 of a-z, 0-9, '.', '_', '-' "
                                "(e.g. \"cz.env\")",
                                d.id));
    }
  }
  r.String(obj, "name", "name", d.name, false);
  r.StringList(obj, "aliases", "aliases", d.aliases);
  r.String(obj, "region", "region", d.region, false);
  std::string level;
  if (r.String(obj, "level", "level", level, false) && obj.contains("level")) {
    declared_level = model::ParseRegionLevel(level);
    if (!declared_level) {
      r.Error("level",
              fmt::format("\"{}\" is not national, province, prefecture or county", level));
    }
  }
  std::string kind = "functional";
  if (r.String(obj, "kind", "kind", kind, false)) {
    auto k = model::ParseDepartmentKind(kind);
    if (!k) {
      r.Error("kind",
              fmt::format("\"{}\" is not one of {}", kind, Joined(model::kDepartmentKindNames)));
    } else {
      d.kind = *k;
    }
  }
  r.Domains(obj, "domains", "domains", d.domains);
  r.String(obj, "superior", "superior", d.superior, false);
  r.Bool(obj, "vertical", "vertical", d.vertical);
  r.Contact(obj, "spokesperson", d.spokesperson);
  r.Contact(obj, "duty", d.duty);
  auto leaders = obj.find("leaders");
  if (leaders != obj.end()) {
    if (!leaders->is_array()) {
      r.Error("leaders", fmt::format("{} is not an array of leaders", Shown(*leaders)));
      return;
    }
    for (size_t i = 0; i < leaders->size(); ++i) {
      const json& l = (*leaders)[i];
      std::string field = fmt::format("leaders[{}]", i);
      if (!l.is_object()) {
        r.Error(field, fmt::format("{} is not a table with role, name and title", Shown(l)));
        continue;
      }
      r.UnknownFields(l, field, std::begin(kLeaderFields), std::end(kLeaderFields), "a leader");
      model::Leader leader;
      std::string role;
      if (r.String(l, "role", field + ".role", role, true)) {
        auto parsed = model::ParseLeaderRole(role);
        if (!parsed) {
          r.Error(field + ".role", fmt::format("\"{}\" is not principal or in_charge", role));
        } else {
          leader.role = *parsed;
        }
      }
      r.String(l, "name", field + ".name", leader.name, false);
      r.String(l, "title", field + ".title", leader.title, false);
      r.String(l, "phone", field + ".phone", leader.phone, false);
      r.Domains(l, "domains", field + ".domains", leader.domains);
      d.leaders.push_back(std::move(leader));
    }
  }
}

// Cross-department checks and level derivation.
void Validate(model::Organisation& org, const RegionTree& regions, const Origin& origin,
              const std::vector<std::optional<model::RegionLevel>>& declared, Problems& p) {
  auto where = [&](size_t i, std::string_view field) {
    return origin.Where(static_cast<int>(i), org.departments[i].id, field);
  };
  std::unordered_map<std::string, size_t> by_id;
  std::unordered_map<std::string, size_t> by_name;
  std::map<std::pair<std::string, model::DepartmentKind>, size_t> singletons;
  for (size_t i = 0; i < org.departments.size(); ++i) {
    model::Department& d = org.departments[i];
    if (d.id.empty())
      p.Error(where(i, "id"), "is missing or empty; expected an id like \"cz.env\"");
    if (d.name.empty())
      p.Error(where(i, "name"), "is missing or empty; expected the official name");
    if (d.region.empty()) {
      p.Error(where(i, "region"),
              "is missing or empty; expected a GB/T 2260 code such as \"140400\"");
    }
    if (!d.id.empty()) {
      auto [it, fresh] = by_id.emplace(d.id, i);
      if (!fresh) {
        p.Error(where(i, "id"), fmt::format("\"{}\" is already the id of departments[{}] ({})",
                                            d.id, it->second, org.departments[it->second].name));
      }
    }
    if (!d.name.empty()) {
      auto [it, fresh] = by_name.emplace(d.name, i);
      if (!fresh) {
        p.Error(where(i, "name"), fmt::format("\"{}\" is already the name of department \"{}\"",
                                              d.name, org.departments[it->second].id));
      }
    }
    if (!d.region.empty()) {
      const RegionTree::Region* region = regions.Find(d.region);
      if (region == nullptr) {
        p.Error(where(i, "region"), fmt::format("\"{}\" is not a known region (a GB/T 2260 code "
                                                "of data/gazetteer/places.tsv, or \"{}\" for the "
                                                "nation)",
                                                d.region, kNationalCode));
      } else {
        d.level = region->level;
        if (i < declared.size() && declared[i] && *declared[i] != d.level) {
          p.Error(where(i, "level"),
                  fmt::format("\"{}\" does not match the region {} ({}), which is {}",
                              model::RegionLevelName(*declared[i]), d.region, region->name,
                              model::RegionLevelName(d.level)));
        }
        if (d.kind != model::DepartmentKind::kFunctional) {
          auto [it, fresh] = singletons.emplace(std::make_pair(d.region, d.kind), i);
          if (!fresh) {
            p.Error(where(i, "kind"),
                    fmt::format("region {} ({}) already has a {} department, \"{}\"", d.region,
                                region->name, model::DepartmentKindName(d.kind),
                                org.departments[it->second].id));
          }
        }
      }
    }
    if (d.kind == model::DepartmentKind::kFunctional && d.domains.empty()) {
      p.Error(where(i, "domains"),
              fmt::format("a functional department needs the domains it is in charge of (one "
                          "or more of {})",
                          DomainList()));
    }
    int principals = 0;
    for (size_t k = 0; k < d.leaders.size(); ++k) {
      if (d.leaders[k].name.empty()) {
        p.Error(where(i, fmt::format("leaders[{}].name", k)),
                "is missing or empty; give the leader's name (a placeholder such as "
                "\"区长（示例）\" is fine)");
      }
      if (d.leaders[k].role == model::LeaderRole::kPrincipal && ++principals == 2) {
        p.Error(where(i, fmt::format("leaders[{}].role", k)),
                "a department has one principal leader (主要负责同志); this is the second");
      }
    }
  }
  // Superiors: known, not itself, above a vertical department, no cycles.
  for (size_t i = 0; i < org.departments.size(); ++i) {
    const model::Department& d = org.departments[i];
    if (d.superior.empty()) {
      if (d.vertical) {
        p.Error(where(i, "superior"),
                "missing; a vertically managed department (vertical = true) names its superior "
                "department, whose office coordinates its responses");
      }
      continue;
    }
    auto it = by_id.find(d.superior);
    if (it == by_id.end()) {
      p.Error(where(i, "superior"),
              fmt::format("\"{}\" is not the id of a department", d.superior));
      continue;
    }
    if (it->second == i) {
      p.Error(where(i, "superior"), "a department cannot be its own superior");
      continue;
    }
    const model::Department& s = org.departments[it->second];
    if (d.vertical && regions.Find(d.region) && regions.Find(s.region) &&
        !model::IsAbove(s.level, d.level)) {
      p.Error(where(i, "superior"),
              fmt::format("\"{}\" ({}) is at the {} level, not above this vertically managed "
                          "{} department",
                          s.id, s.name, model::RegionLevelName(s.level),
                          model::RegionLevelName(d.level)));
    }
  }
  // A cycle is reported once, at its first department in file order.
  std::vector<int> state(org.departments.size(), 0);  // 0 new, 1 on the path, 2 done
  for (size_t start = 0; start < org.departments.size(); ++start) {
    if (state[start]) continue;
    std::vector<size_t> path;
    size_t cur = start;
    while (true) {
      if (state[cur] == 2) break;
      if (state[cur] == 1) {
        auto from = std::find(path.begin(), path.end(), cur);
        std::string chain;
        size_t first = *std::min_element(from, path.end());
        // Print the chain from the first department in file order.
        size_t k = first;
        do {
          chain += org.departments[k].id + " → ";
          k = by_id.at(org.departments[k].superior);
        } while (k != first);
        chain += org.departments[first].id;
        p.Error(where(first, "superior"), fmt::format("the superior chain {} is a cycle", chain));
        break;
      }
      state[cur] = 1;
      path.push_back(cur);
      const std::string& sup = org.departments[cur].superior;
      auto it = sup.empty() ? by_id.end() : by_id.find(sup);
      if (it == by_id.end() || it->second == cur) break;
      cur = it->second;
    }
    for (size_t k : path) state[k] = 2;
  }
  // Warnings: each region with departments has its government, general office and
  // propaganda department.
  std::map<std::string, std::array<bool, 3>> present;
  for (const auto& d : org.departments) {
    if (regions.Find(d.region) == nullptr) continue;
    auto& flags = present[d.region];
    if (d.kind != model::DepartmentKind::kFunctional) flags[static_cast<int>(d.kind)] = true;
  }
  static constexpr std::string_view kMissing[] = {
      "no government (kind \"government\"); routing falls back to the region above for its "
      "leaders",
      "no general office (kind \"general_office\"); routing names its government as "
      "coordinator instead",
      "no propaganda department (kind \"propaganda\"); routing names the one of the region "
      "above instead"};
  for (const auto& [code, flags] : present) {
    for (int k = 0; k < 3; ++k) {
      if (!flags[k]) {
        p.warnings.push_back(
            fmt::format("region {} ({}) has {}", code, regions.Find(code)->name, kMissing[k]));
      }
    }
  }
  std::unordered_map<std::string, std::string> alias_owner;
  for (const auto& d : org.departments) {
    for (const auto& a : d.aliases) {
      auto [it, fresh] = alias_owner.emplace(a, d.id);
      if (!fresh && it->second != d.id) {
        p.warnings.push_back(fmt::format(
            "the alias \"{}\" is used by \"{}\" and \"{}\"; a text naming it stays unresolved", a,
            it->second, d.id));
      } else if (by_name.count(a) && org.departments[by_name[a]].id != d.id) {
        p.warnings.push_back(
            fmt::format("the alias \"{}\" of \"{}\" is the name of \"{}\"; the name wins", a, d.id,
                        org.departments[by_name[a]].id));
      }
    }
  }
}

// toml++ values as JSON, recording the line of every path (`departments[3].region`), so one
// reader serves both formats and TOML messages can still name the line.
void TomlToJson(const toml::node& node, const std::string& path, json& out,
                std::unordered_map<std::string, int>& lines) {
  lines[path] = static_cast<int>(node.source().begin.line);
  if (const auto* t = node.as_table()) {
    out = json::object();
    for (const auto& [key, value] : *t) {
      std::string k(key.str());
      TomlToJson(value, path.empty() ? k : path + "." + k, out[k], lines);
    }
  } else if (const auto* a = node.as_array()) {
    out = json::array();
    for (size_t i = 0; i < a->size(); ++i) {
      out.push_back(nullptr);
      TomlToJson(*a->get(i), fmt::format("{}[{}]", path, i), out.back(), lines);
    }
  } else if (const auto* s = node.as_string()) {
    out = s->get();
  } else if (const auto* n = node.as_integer()) {
    out = n->get();
  } else if (const auto* f = node.as_floating_point()) {
    out = f->get();
  } else if (const auto* b = node.as_boolean()) {
    out = b->get();
  } else {
    // Dates and times: kept as their TOML text; no field of the organisation takes one.
    std::ostringstream ss;
    if (const auto* d = node.as_date()) ss << d->get();
    if (const auto* t = node.as_time()) ss << t->get();
    if (const auto* dt = node.as_date_time()) ss << dt->get();
    out = ss.str();
  }
}

Result<json> ParseToml(std::string_view text, std::unordered_map<std::string, int>& lines) {
  try {
    toml::table table = toml::parse(text);
    json out;
    TomlToJson(table, "", out, lines);
    return out;
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(fmt::format("line {}, column {}: {}", e.source().begin.line,
                                               e.source().begin.column, e.description()));
  }
}

Result<json> ParseJsonText(std::string_view text) {
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    return Status::InvalidArgument(fmt::format("not valid JSON: {}", e.what()));
  }
}

void ReadRouting(const json& obj, std::string_view prefix, const Origin& origin, Problems& p,
                 model::RoutingConfig& config) {
  FieldReader r(origin, p, -1, "");
  auto field = [&](std::string_view rest) {
    return prefix.empty() ? std::string(rest) : fmt::format("{}.{}", prefix, rest);
  };
  if (!obj.is_object()) {
    r.Error(prefix, fmt::format("{} is not a table with \"grades\"", Shown(obj)));
    return;
  }
  for (const auto& [key, value] : obj.items()) {
    if (key != "grades") r.Error(field(key), "is not known; the routing table has \"grades\"");
  }
  auto grades = obj.find("grades");
  if (grades == obj.end()) return;
  if (!grades->is_object()) {
    r.Error(field("grades"), "expected a table with the keys I, II, III and IV");
    return;
  }
  for (const auto& [key, value] : grades->items()) {
    std::string where = field("grades." + key);
    auto grade = ParseGrade(json(key));
    if (!grade) {
      r.Error(where, "is not a grade; expected I, II, III or IV");
      continue;
    }
    if (!value.is_object()) {
      r.Error(where, fmt::format("{} is not a table with level, inform_national, "
                                 "principal_leader and press_conference",
                                 Shown(value)));
      continue;
    }
    model::GradeRule& rule = config.grades[*grade - 1];
    r.UnknownFields(value, where, std::begin(kGradeFields), std::end(kGradeFields), "a grade rule");
    std::string level;
    if (r.String(value, "level", where + ".level", level, false) && value.contains("level")) {
      auto l = model::ParseRegionLevel(level);
      if (!l) {
        r.Error(where + ".level",
                fmt::format("\"{}\" is not national, province, prefecture or county", level));
      } else {
        rule.level = *l;
      }
    }
    r.Bool(value, "inform_national", where + ".inform_national", rule.inform_national);
    r.Bool(value, "principal_leader", where + ".principal_leader", rule.principal_leader);
    r.Bool(value, "press_conference", where + ".press_conference", rule.press_conference);
  }
}

Result<LoadedOrganisation> ReadDocument(const json& doc, const Origin& origin,
                                        const RegionTree& regions) {
  Problems p;
  FieldReader r(origin, p, -1, "");
  LoadedOrganisation out;
  if (!doc.is_object()) {
    return Status::InvalidArgument(
        "an organisation is a table (JSON object) with \"name\", \"departments\" and optionally "
        "\"routing\"");
  }
  r.UnknownFields(doc, "", std::begin(kTopFields), std::end(kTopFields), "the organisation");
  r.String(doc, "name", "name", out.organisation.name, false);
  if (auto it = doc.find("routing"); it != doc.end()) {
    ReadRouting(*it, "routing", origin, p, out.organisation.routing);
  }
  std::vector<std::optional<model::RegionLevel>> declared;
  auto depts = doc.find("departments");
  if (depts == doc.end()) {
    r.Error("departments", "missing; expected the list of departments ([[departments]])");
  } else if (!depts->is_array()) {
    r.Error("departments", fmt::format("{} is not an array of departments", Shown(*depts)));
  } else {
    out.organisation.departments.resize(depts->size());
    declared.resize(depts->size());
    for (size_t i = 0; i < depts->size(); ++i) {
      ReadDepartment((*depts)[i], static_cast<int>(i), origin, p, out.organisation.departments[i],
                     declared[i]);
    }
  }
  Validate(out.organisation, regions, origin, declared, p);
  if (!p.errors.empty()) return p.ToStatus();
  out.warnings = std::move(p.warnings);
  return out;
}

json ContactJson(const model::Contact& c) { return {{"name", c.name}, {"phone", c.phone}}; }

json DomainsJson(const std::vector<model::Domain>& domains) {
  json out = json::array();
  for (auto d : domains) out.push_back(model::DomainName(d));
  return out;
}

}  // namespace

std::string_view GradeRoman(int grade) {
  static constexpr std::string_view kRoman[] = {"I", "II", "III", "IV"};
  return grade >= 1 && grade <= 4 ? kRoman[grade - 1] : "?";
}

std::optional<int> ParseGrade(const json& value) {
  if (value.is_number_integer()) {
    int64_t g = value.get<int64_t>();
    if (g >= 1 && g <= 4) return static_cast<int>(g);
    return std::nullopt;
  }
  if (!value.is_string()) return std::nullopt;
  const std::string& s = value.get_ref<const std::string&>();
  for (int g = 1; g <= 4; ++g) {
    if (s == GradeRoman(g) || s == std::to_string(g)) return g;
  }
  return std::nullopt;
}

Result<LoadedOrganisation> OrganisationFromToml(std::string_view toml_text,
                                                const RegionTree& regions) {
  std::unordered_map<std::string, int> lines;
  YQ_ASSIGN_OR_RETURN(json doc, ParseToml(toml_text, lines));
  return ReadDocument(doc, Origin(Origin::Mode::kToml, &lines), regions);
}

Result<LoadedOrganisation> OrganisationFromJson(std::string_view json_text,
                                                const RegionTree& regions) {
  YQ_ASSIGN_OR_RETURN(json doc, ParseJsonText(json_text));
  return OrganisationFromJsonValue(doc, regions);
}

Result<LoadedOrganisation> OrganisationFromJsonValue(const json& doc, const RegionTree& regions) {
  try {
    return ReadDocument(doc, Origin(Origin::Mode::kJson), regions);
  } catch (const json::exception& e) {
    // Not expected (every access is checked); a message beats an escaped exception.
    return Status::Internal(fmt::format("reading the organisation: {}", e.what()));
  }
}

Result<LoadedOrganisation> LoadOrganisationFile(const std::string& path,
                                                const RegionTree& regions) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(fmt::format("cannot read the organisation file {}", path));
  std::stringstream ss;
  ss << in.rdbuf();
  bool is_json = path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  auto loaded =
      is_json ? OrganisationFromJson(ss.str(), regions) : OrganisationFromToml(ss.str(), regions);
  if (!loaded.ok()) return loaded.status().WithContext(path);
  return loaded;
}

Result<LoadedOrganisation> ValidateOrganisation(model::Organisation organisation,
                                                const RegionTree& regions) {
  Problems p;
  LoadedOrganisation out{std::move(organisation), {}};
  Validate(out.organisation, regions, Origin(Origin::Mode::kValue), {}, p);
  if (!p.errors.empty()) return p.ToStatus();
  out.warnings = std::move(p.warnings);
  return out;
}

json DepartmentToJson(const model::Department& d) {
  json leaders = json::array();
  for (const auto& l : d.leaders) {
    leaders.push_back({{"role", model::LeaderRoleName(l.role)},
                       {"name", l.name},
                       {"title", l.title},
                       {"phone", l.phone},
                       {"domains", DomainsJson(l.domains)}});
  }
  return {{"id", d.id},
          {"name", d.name},
          {"aliases", d.aliases},
          {"region", d.region},
          {"level", model::RegionLevelName(d.level)},
          {"kind", model::DepartmentKindName(d.kind)},
          {"domains", DomainsJson(d.domains)},
          {"superior", d.superior},
          {"vertical", d.vertical},
          {"leaders", std::move(leaders)},
          {"spokesperson", ContactJson(d.spokesperson)},
          {"duty", ContactJson(d.duty)}};
}

Result<model::Department> DepartmentFromJson(const json& body) {
  Problems p;
  model::Department d;
  std::optional<model::RegionLevel> declared;
  // Reported like a value: `department "cz.env", field "region": …`.
  ReadDepartment(body, -1, Origin(Origin::Mode::kValue), p, d, declared);
  if (!p.errors.empty()) return p.ToStatus();
  if (declared) d.level = *declared;
  return d;
}

json RoutingConfigToJson(const model::RoutingConfig& config) {
  json grades = json::object();
  for (int g = 1; g <= 4; ++g) {
    const auto& rule = config.grades[g - 1];
    grades[std::string(GradeRoman(g))] = {{"level", model::RegionLevelName(rule.level)},
                                          {"inform_national", rule.inform_national},
                                          {"principal_leader", rule.principal_leader},
                                          {"press_conference", rule.press_conference}};
  }
  return {{"grades", std::move(grades)}};
}

Result<model::RoutingConfig> RoutingConfigFromJson(const json& body) {
  Problems p;
  model::RoutingConfig config;
  ReadRouting(body, "", Origin(Origin::Mode::kJson), p, config);
  if (!p.errors.empty()) return p.ToStatus();
  return config;
}

Result<model::RoutingConfig> RoutingConfigFromToml(std::string_view toml_text) {
  std::unordered_map<std::string, int> lines;
  YQ_ASSIGN_OR_RETURN(json doc, ParseToml(toml_text, lines));
  Problems p;
  model::RoutingConfig config;
  // Either a whole organisation file (its [routing] table) or the routing table alone.
  bool nested = doc.contains("routing");
  ReadRouting(nested ? doc["routing"] : doc, nested ? "routing" : "",
              Origin(Origin::Mode::kToml, &lines), p, config);
  if (!p.errors.empty()) return p.ToStatus();
  return config;
}

json OrganisationToJsonValue(const model::Organisation& o) {
  json depts = json::array();
  for (const auto& d : o.departments) depts.push_back(DepartmentToJson(d));
  return {{"name", o.name},
          {"departments", std::move(depts)},
          {"routing", RoutingConfigToJson(o.routing)}};
}

std::string OrganisationToJson(const model::Organisation& o) {
  // `replace` so a value built in code with broken UTF-8 cannot make this throw.
  return OrganisationToJsonValue(o).dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<LoadedOrganisation> UpsertDepartment(const model::Organisation& organisation,
                                            model::Department department,
                                            const RegionTree& regions) {
  model::Organisation next = organisation;
  auto it = std::find_if(next.departments.begin(), next.departments.end(),
                         [&](const model::Department& d) { return d.id == department.id; });
  if (it != next.departments.end()) {
    *it = std::move(department);
  } else {
    next.departments.push_back(std::move(department));
  }
  return ValidateOrganisation(std::move(next), regions);
}

Result<LoadedOrganisation> RemoveDepartment(const model::Organisation& organisation,
                                            std::string_view id, const RegionTree& regions) {
  model::Organisation next = organisation;
  auto it = std::find_if(next.departments.begin(), next.departments.end(),
                         [&](const model::Department& d) { return d.id == id; });
  if (it == next.departments.end()) {
    return Status::NotFound(fmt::format("department \"{}\" is not in the organisation", id));
  }
  for (const auto& d : next.departments) {
    if (d.superior == id) {
      return Status::FailedPrecondition(
          fmt::format("department \"{}\" is the superior of \"{}\" ({}); change that "
                      "department's superior first",
                      id, d.id, d.name));
    }
  }
  next.departments.erase(it);
  return ValidateOrganisation(std::move(next), regions);
}

}  // namespace yuqing::org

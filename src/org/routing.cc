#include "org/routing.h"

#include <fmt/format.h>

#include <algorithm>

#include "org/organisation.h"

namespace yuqing::org {
namespace {

using model::Department;
using model::DepartmentKind;
using model::Domain;
using model::RegionLevel;
using nlohmann::json;

constexpr std::string_view kKindNames[] = {"policy_misreading", "vital_interests",
                                           "moral_bottom_line", "emergency", "superior_request"};
constexpr std::string_view kGradeZh[] = {"特别重大", "重大", "较大", "一般"};
constexpr std::string_view kGradeEn[] = {"particularly serious", "major", "large", "ordinary"};
constexpr std::string_view kLevelEn[] = {"national", "provincial", "prefecture", "county"};

std::string DomainEn(Domain d) {
  std::string s(model::DomainName(d));
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}
std::string_view LevelZh(RegionLevel l) { return model::RegionLevelNameZh(l); }
std::string_view LevelEn(RegionLevel l) { return kLevelEn[static_cast<int>(l)]; }

Reason Why(std::string_view rule, std::string zh, std::string en) {
  return {std::string(rule), std::move(zh), std::move(en)};
}

bool Contains(const std::vector<int>& v, int x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Short names used to build the forms a text writes: 长治市生态环境局 → 长治生态环境局.
void AddUnique(std::vector<std::string>& v, std::string s) {
  if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

std::string_view KeyResponseKindName(KeyResponseKind kind) {
  return kKindNames[static_cast<int>(kind)];
}

std::optional<KeyResponseKind> ParseKeyResponseKind(std::string_view name) {
  for (int i = 0; i < 5; ++i) {
    if (name == kKindNames[i]) return static_cast<KeyResponseKind>(i);
    if (name.size() == 1 && name[0] == 'a' + i) return static_cast<KeyResponseKind>(i);
  }
  return std::nullopt;
}

KeyResponseKind FromResponseKind(model::ResponseKind kind) {
  return static_cast<KeyResponseKind>(static_cast<int>(kind));
}

// Builds the indexes once; Route() then only looks things up.
class Router::Builder {
 public:
  static void Index(Router& r) {
    const RegionTree& tree = *r.regions_;
    for (int i = 0; i < static_cast<int>(r.org_.departments.size()); ++i) {
      const Department& d = r.org_.departments[i];
      int region = tree.IndexOf(d.region);
      r.by_id_.emplace(d.id, i);
      r.dept_region_.push_back(region);
      RegionIndex& idx = r.by_region_[region];
      switch (d.kind) {
        case DepartmentKind::kGovernment:
          idx.government = i;
          break;
        case DepartmentKind::kGeneralOffice:
          idx.general_office = i;
          break;
        case DepartmentKind::kPropaganda:
          idx.propaganda = i;
          break;
        default:
          break;
      }
      // Any kind may be in charge of domains: the propaganda department answers for
      // "propaganda" when no functional department does.
      for (Domain dom : d.domains) idx.by_domain[static_cast<int>(dom)].push_back(i);
      // Forms of the name a text uses.
      const RegionTree::Region& reg = tree.at(region);
      std::vector<std::string> forms;
      AddUnique(forms, d.name);
      for (const auto& a : d.aliases) AddUnique(forms, a);
      std::string rest;
      if (StartsWith(d.name, reg.name)) rest = d.name.substr(reg.name.size());
      if (!rest.empty() && !reg.short_name.empty()) AddUnique(forms, reg.short_name + rest);
      if (d.kind == DepartmentKind::kGovernment && d.name.ends_with("人民政府")) {
        std::string base = d.name.substr(0, d.name.size() - std::string_view("人民政府").size());
        AddUnique(forms, base + "政府");
        if (!reg.short_name.empty() && base == reg.name) AddUnique(forms, reg.short_name + "政府");
      }
      // 长治市潞城区教育局: a county body with its prefecture in front.
      if (reg.level == RegionLevel::kCounty && reg.parent >= 0 && StartsWith(d.name, reg.name)) {
        AddUnique(forms, tree.at(reg.parent).name + d.name);
      }
      for (auto& f : forms) {
        r.exact_names_[f].push_back(i);
        r.names_.push_back({f, i});
      }
      // The generic part (教育局, 人民政府 → 政府) matches only near the event's regions.
      if (!rest.empty()) {
        r.generic_.push_back({rest, i});
        if (rest == "人民政府") r.generic_.push_back({"政府", i});
      }
    }
    // Longest first; equal texts side by side, in file order.
    auto longest_first = [](const NamePattern& a, const NamePattern& b) {
      if (a.text.size() != b.text.size()) return a.text.size() > b.text.size();
      return a.text != b.text ? a.text < b.text : a.dept < b.dept;
    };
    std::sort(r.names_.begin(), r.names_.end(), longest_first);
    std::sort(r.generic_.begin(), r.generic_.end(), longest_first);
  }
};

Result<Router> Router::Create(model::Organisation organisation,
                              std::shared_ptr<const RegionTree> regions) {
  if (regions == nullptr) return Status::InvalidArgument("the router needs the region tree");
  YQ_ASSIGN_OR_RETURN(LoadedOrganisation loaded,
                      ValidateOrganisation(std::move(organisation), *regions));
  Router r;
  r.org_ = std::move(loaded.organisation);
  r.warnings_ = std::move(loaded.warnings);
  r.regions_ = std::move(regions);
  Builder::Index(r);
  return r;
}

const model::Department* Router::Find(std::string_view id) const {
  auto it = by_id_.find(std::string(id));
  return it == by_id_.end() ? nullptr : &org_.departments[it->second];
}

const Router::RegionIndex* Router::IndexAt(int region) const {
  auto it = by_region_.find(region);
  return it == by_region_.end() ? nullptr : &it->second;
}

int Router::Singleton(int region, DepartmentKind kind) const {
  const RegionIndex* idx = IndexAt(region);
  if (idx == nullptr) return -1;
  switch (kind) {
    case DepartmentKind::kGovernment:
      return idx->government;
    case DepartmentKind::kGeneralOffice:
      return idx->general_office;
    default:
      return idx->propaganda;
  }
}

namespace {

// The state of one Route() call; keeps Route() readable as the list of rules it applies.
class PartyMaker {
 public:
  PartyMaker(const model::Organisation& org, const RegionTree& tree,
             const std::vector<int>& dept_region)
      : org_(org), tree_(tree), dept_region_(dept_region) {}

  const Department& Dept(int i) const { return org_.departments[i]; }
  const RegionTree::Region& RegionOf(int dept) const { return tree_.at(dept_region_[dept]); }

  Party Make(int dept, std::string_view role, Reason reason,
             std::optional<Domain> domain = std::nullopt) const {
    const Department& d = Dept(dept);
    const RegionTree::Region& reg = RegionOf(dept);
    Party p;
    p.id = d.id;
    p.name = d.name;
    p.region = reg.code;
    p.region_name = reg.name;
    p.level = d.level;
    if (d.kind == DepartmentKind::kFunctional) {
      Domain dom = domain ? *domain : d.domains.front();
      p.kind = model::DomainName(dom);
    } else {
      p.kind = model::DepartmentKindName(d.kind);
    }
    p.role = std::string(role);
    p.phone = d.duty.phone;
    p.reason = std::move(reason);
    return p;
  }

 private:
  const model::Organisation& org_;
  const RegionTree& tree_;
  const std::vector<int>& dept_region_;
};

bool HasParty(const std::vector<Party>& v, std::string_view id) {
  return std::any_of(v.begin(), v.end(), [&](const Party& p) { return p.id == id; });
}

std::string JoinNames(const std::vector<Party>& v, std::string_view sep) {
  std::string out;
  for (const auto& p : v) out += (out.empty() ? "" : std::string(sep)) + p.name;
  return out;
}

}  // namespace

Result<Routing> Router::Route(const RoutingInput& in) const {
  const RegionTree& tree = *regions_;
  const model::RoutingConfig& config = org_.routing;
  PartyMaker ctx(org_, tree, dept_region_);
  auto Dept = [this](int i) -> const Department& { return org_.departments[i]; };
  Routing out;

  // --- Input.
  if (in.regions.empty()) {
    return Status::InvalidArgument(
        "field \"regions\": a routing input names at least one region (a GB/T 2260 code)");
  }
  if (in.grade < 1 || in.grade > 4) {
    return Status::InvalidArgument(
        fmt::format("field \"grade\": {} is not a grade; expected 1..4 (I..IV)", in.grade));
  }
  std::vector<int> given;
  for (size_t i = 0; i < in.regions.size(); ++i) {
    int idx = tree.IndexOf(in.regions[i]);
    if (idx < 0) {
      return Status::InvalidArgument(
          fmt::format("field \"regions[{}]\": \"{}\" is not a known region", i, in.regions[i]));
    }
    if (!Contains(given, idx)) given.push_back(idx);
  }
  // Localities: the given regions less those containing another (长治市 + 潞城区 is one place).
  std::vector<int> localities;
  for (int a : given) {
    bool contains_other = std::any_of(given.begin(), given.end(),
                                      [&](int b) { return b != a && tree.Contains(a, b); });
    if (!contains_other) localities.push_back(a);
  }
  const bool multi_locality = localities.size() > 1;
  const int span = tree.CommonAncestor(localities);
  const model::GradeRule& grade_rule = config.grades[in.grade - 1];
  const int g = in.grade - 1;
  const std::string roman(GradeRoman(in.grade));
  std::vector<Domain> domains;
  for (Domain d : in.domains) {
    if (std::find(domains.begin(), domains.end(), d) == domains.end()) domains.push_back(d);
  }
  auto has_kind = [&](KeyResponseKind k) {
    return std::find(in.kinds.begin(), in.kinds.end(), k) != in.kinds.end();
  };

  // --- Handling level: the grade's, never below the level spanning all the localities.
  RegionLevel level = grade_rule.level;
  const RegionTree::Region& span_region = tree.at(span);
  out.handling_reasons.push_back(
      Why("graded_level",
          fmt::format("分级负责：{}级（{}）舆情由{}负责处置", roman, kGradeZh[g], LevelZh(level)),
          fmt::format("graded responsibility: grade {} ({}) opinion is handled at the {} level",
                      roman, kGradeEn[g], LevelEn(level))));
  if (model::IsAbove(span_region.level, level)) {
    level = span_region.level;
    if (multi_locality) {
      std::string names_zh, names_en;
      for (int l : localities) {
        names_zh += (names_zh.empty() ? "" : "、") + tree.at(l).name;
        names_en += (names_en.empty() ? "" : ", ") + tree.at(l).code;
      }
      out.handling_reasons.push_back(
          Why("multi_locality",
              fmt::format("涉及{}{}地，处置层级上提至共同的上级{}（{}）", names_zh,
                          localities.size(), span_region.name, LevelZh(level)),
              fmt::format("the event spans {} places ({}): handled no lower than their common "
                          "superior {} ({}, {} level)",
                          localities.size(), names_en, span_region.name, span_region.code,
                          LevelEn(level))));
    } else {
      out.handling_reasons.push_back(
          Why("territorial",
              fmt::format("属地管理：事发地为{}（{}），处置层级不低于该级", span_region.name,
                          LevelZh(level)),
              fmt::format("territorial management: the event is placed at {} ({}, {} level), so it "
                          "is handled no lower than that",
                          span_region.name, span_region.code, LevelEn(level))));
    }
  }
  int handling = tree.AncestorAt(span, level);
  if (in.national_policy) {
    out.handling_reasons.push_back(Why(
        "national_policy",
        fmt::format("涉及国务院重大政策：国务院相关部门是第一责任主体，{}按属地做好解读和回应配合",
                    tree.at(handling).name),
        fmt::format("a major State Council policy: the State Council department in charge is "
                    "first responsible; {} supports territorially",
                    tree.at(handling).name)));
  }
  const int local_handling = handling;
  if (in.national_policy) handling = 0;
  out.handling_level = tree.at(handling).level;
  out.handling_region = tree.at(handling).code;
  out.handling_region_name = tree.at(handling).name;
  if (has_kind(KeyResponseKind::kSuperiorRequest)) {
    out.handling_reasons.push_back(
        Why("superior_request", "上级政府要求下级政府主动回应：属于需重点回应的政务舆情（e）",
            "a superior government asked for a response: public opinion that must be answered "
            "(kind e)"));
  }

  // --- Named bodies: the involved (涉事主体).
  std::vector<int> involved;
  auto in_area = [&](int dept) {
    int r = dept_region_[dept];
    return std::any_of(given.begin(), given.end(),
                       [&](int e) { return tree.Contains(r, e) || tree.Contains(e, r); });
  };
  // Resolves one named body to a department, or -1 with the reason in `why`.
  auto resolve = [&](const std::string& text, std::string& why) -> int {
    if (auto it = by_id_.find(text); it != by_id_.end()) return it->second;
    auto pick = [&](std::vector<int> cands) -> int {
      std::sort(cands.begin(), cands.end());
      cands.erase(std::unique(cands.begin(), cands.end()), cands.end());
      if (cands.size() == 1) return cands[0];
      std::vector<int> near;
      for (int c : cands) {
        if (in_area(c)) near.push_back(c);
      }
      if (near.size() == 1) return near[0];
      why = fmt::format("ambiguous: {} departments", cands.size());
      return -1;
    };
    if (auto it = exact_names_.find(text); it != exact_names_.end()) {
      int d = pick(it->second);
      if (d >= 0 || !why.empty()) return d;
    }
    std::vector<int> cands;
    size_t best = 0;
    for (const auto& n : names_) {
      if (n.text.size() < best) break;
      if (text.find(n.text) != std::string::npos) {
        best = n.text.size();
        cands.push_back(n.dept);
      }
    }
    if (!cands.empty()) return pick(std::move(cands));
    // Generic part (教育局) near the event; 市/区/县/省 in front of it chooses the level.
    for (size_t k = 0, next = 0; k < generic_.size(); k = next) {
      const NamePattern& n = generic_[k];
      for (next = k + 1; next < generic_.size() && generic_[next].text == n.text;) ++next;
      size_t at = text.find(n.text);
      if (at == std::string::npos) continue;
      std::optional<RegionLevel> wanted;
      std::string_view before = std::string_view(text).substr(0, at);
      if (before.ends_with("省")) wanted = RegionLevel::kProvince;
      if (before.ends_with("市")) wanted = RegionLevel::kPrefecture;
      if (before.ends_with("区") || before.ends_with("县")) wanted = RegionLevel::kCounty;
      std::vector<int> near;
      for (size_t j = k; j < next; ++j) {
        int d = generic_[j].dept;
        if (!in_area(d)) continue;
        if (wanted && Dept(d).level != *wanted) continue;
        if (!wanted && !Contains(given, dept_region_[d])) continue;
        near.push_back(d);
      }
      if (near.size() == 1) return near[0];
      if (near.size() > 1) {
        why = fmt::format("ambiguous: {} departments near the event", near.size());
        return -1;
      }
    }
    why = "no department of the organisation has this name";
    return -1;
  };
  for (const std::string& text : in.bodies) {
    std::string why;
    int d = resolve(text, why);
    if (d < 0) {
      out.notes.push_back(Why("named_body", fmt::format("未能确定“{}”指哪个单位（{}）", text, why),
                              fmt::format("\"{}\" matches no single department ({})", text, why)));
      continue;
    }
    if (Contains(involved, d)) continue;
    involved.push_back(d);
    out.involved.push_back(ctx.Make(d, "involved",
                                    Why("named_body", fmt::format("涉事主体：舆情点名“{}”", text),
                                        fmt::format("involved: the opinion names \"{}\"", text))));
  }
  if (domains.empty()) {
    for (int d : involved) {
      for (Domain dom : Dept(d).domains) {
        if (Dept(d).kind == DepartmentKind::kFunctional &&
            std::find(domains.begin(), domains.end(), dom) == domains.end()) {
          domains.push_back(dom);
        }
      }
    }
    if (!domains.empty()) {
      out.notes.push_back(Why("named_body", "未指明领域：按点名单位的主管领域确定",
                              "no domain given: taken from the named bodies"));
    }
  }

  // The department of `domain` at `region`: a named one first (谁主管谁负责: the department
  // involved answers), then locally managed before vertical ones, in file order.
  auto domain_dept = [&](int region, Domain domain) -> int {
    const RegionIndex* idx = IndexAt(region);
    if (idx == nullptr) return -1;
    const auto& cands = idx->by_domain[static_cast<int>(domain)];
    for (int c : cands) {
      if (Contains(involved, c)) return c;
    }
    for (int c : cands) {
      if (!Dept(c).vertical) return c;
    }
    return cands.empty() ? -1 : cands[0];
  };
  // A government, general office or propaganda department at `region` or the nearest region
  // above that has one; `climbed` tells whether it came from above.
  auto singleton_up = [&](int region, DepartmentKind kind, bool& climbed) -> int {
    climbed = false;
    for (int r = region; r >= 0; r = tree.at(r).parent) {
      int d = Singleton(r, kind);
      if (d >= 0) return d;
      climbed = true;
    }
    return -1;
  };
  // The department answering for `domain` at `region`, with the words of the fallback.
  struct Pick {
    int dept = -1;
    std::string fallback_zh, fallback_en;
  };
  auto answer_for = [&](int region, Domain domain) -> Pick {
    Pick p;
    p.dept = domain_dept(region, domain);
    if (p.dept >= 0) return p;
    bool climbed = false;
    p.dept = singleton_up(region, DepartmentKind::kGovernment, climbed);
    if (p.dept < 0) return p;
    p.fallback_zh = fmt::format("（{}未登记{}主管部门，由{}负责）", tree.at(region).name,
                                model::DomainNameZh(domain), Dept(p.dept).name);
    p.fallback_en = fmt::format(" ({} has no {} department on file: {} answers)",
                                tree.at(region).name, DomainEn(domain), Dept(p.dept).name);
    return p;
  };

  // --- First responsible (第一责任主体).
  const RegionTree::Region& hreg = tree.at(handling);
  for (Domain dom : domains) {
    Pick p = answer_for(handling, dom);
    if (p.dept < 0 || HasParty(out.first_responsible, Dept(p.dept).id)) continue;
    std::string_view dz = model::DomainNameZh(dom);
    std::string de = DomainEn(dom);
    Reason why;
    if (in.national_policy) {
      why = Why("national_policy",
                fmt::format("涉及国务院重大政策，国务院相关部门是第一责任主体：{}主管{}{}",
                            Dept(p.dept).name, dz, p.fallback_zh),
                fmt::format("a State Council policy: the State Council department in charge is "
                            "first responsible: {} for {}{}",
                            Dept(p.dept).name, de, p.fallback_en));
    } else if (multi_locality) {
      why = Why("multi_locality",
                fmt::format("涉及多个地方，上级政府主管部门是第一责任主体：{}主管{}{}",
                            Dept(p.dept).name, dz, p.fallback_zh),
                fmt::format("several localities: the superior government's competent "
                            "department is first responsible: {} for {}{}",
                            Dept(p.dept).name, de, p.fallback_en));
    } else if (handling != localities[0]) {
      why = Why("graded_level",
                fmt::format("分级负责：{}级舆情由{}处置，{}主管{}，是第一责任主体{}", roman,
                            hreg.name, Dept(p.dept).name, dz, p.fallback_zh),
                fmt::format("graded responsibility: grade {} is handled by {}; {} is in charge "
                            "of {} and first responsible{}",
                            roman, hreg.name, Dept(p.dept).name, de, p.fallback_en));
    } else {
      why = Why("territorial",
                fmt::format("属地管理、谁主管谁负责：{}主管{}，是第一责任主体{}", Dept(p.dept).name,
                            dz, p.fallback_zh),
                fmt::format("territorial management, whoever is in charge is responsible: {} is "
                            "in charge of {} and first responsible{}",
                            Dept(p.dept).name, de, p.fallback_en));
    }
    out.first_responsible.push_back(ctx.Make(p.dept, "first_responsible", std::move(why), dom));
  }
  if (out.first_responsible.empty()) {
    bool climbed = false;
    int gov = singleton_up(handling, DepartmentKind::kGovernment, climbed);
    if (gov >= 0) {
      out.first_responsible.push_back(
          ctx.Make(gov, "first_responsible",
                   Why(in.national_policy ? "national_policy" : "territorial",
                       fmt::format("未指明领域或主管部门：由{}负责", Dept(gov).name),
                       fmt::format("no domain or department in charge is known: {} answers",
                                   Dept(gov).name))));
    }
  }

  // --- Several departments: each answers for its duties; the main domain's leads.
  if (out.first_responsible.size() > 1) {
    const Party* lead = &out.first_responsible[0];
    Party p = *lead;
    p.role = "lead";
    p.reason = Why(
        "multi_department",
        fmt::format("涉及{}个部门（{}）：各部门按职责分工回应、口径一致，由主要领域的{}牵头",
                    out.first_responsible.size(), JoinNames(out.first_responsible, "、"), p.name),
        fmt::format("{} departments are involved ({}): each answers for its duties "
                    "with one consistent message; {}, in charge of the main domain, "
                    "leads",
                    out.first_responsible.size(), JoinNames(out.first_responsible, ", "), p.name));
    out.lead = std::move(p);
  }

  // --- Localities respond territorially (属地回应).
  std::vector<int> territorial_regions;
  if (in.national_policy) {
    territorial_regions.push_back(local_handling);
  } else {
    for (int l : localities) {
      if (l != handling) territorial_regions.push_back(l);
    }
  }
  for (int l : territorial_regions) {
    std::vector<Domain> doms = domains;
    if (doms.empty()) doms.push_back(Domain::kOther);
    for (Domain dom : doms) {
      Pick p = answer_for(l, dom);
      if (p.dept >= 0 && !tree.Contains(l, dept_region_[p.dept])) {
        // Nothing on file in that locality: say so rather than name a body above it.
        out.notes.push_back(
            Why("territorial",
                fmt::format("{}（{}）未登记{}主管部门或政府，无法指定属地回应单位", tree.at(l).name,
                            tree.at(l).code, model::DomainNameZh(dom)),
                fmt::format("{} ({}) has no {} department or government on file: no territorial "
                            "responder named",
                            tree.at(l).name, tree.at(l).code, DomainEn(dom))));
        continue;
      }
      if (p.dept < 0 || HasParty(out.first_responsible, Dept(p.dept).id) ||
          HasParty(out.co_responding, Dept(p.dept).id)) {
        continue;
      }
      std::string_view rule = in.national_policy ? "national_policy"
                              : multi_locality   ? "multi_locality"
                                                 : "graded_level";
      out.co_responding.push_back(ctx.Make(
          p.dept, "territorial",
          Why(rule,
              fmt::format("相关地方按照属地管理原则回应：{}在{}做好{}方面的回应{}",
                          Dept(p.dept).name, tree.at(l).name, model::DomainNameZh(dom),
                          p.fallback_zh),
              fmt::format("the locality responds territorially: {} answers for {} in {}{}",
                          Dept(p.dept).name, DomainEn(dom), tree.at(l).name, p.fallback_en)),
          dom));
    }
  }

  // --- Coordinators: the general office with the propaganda department of the handling
  // level; for vertically managed departments the superior department's office instead.
  bool all_vertical = !out.first_responsible.empty();
  for (const Party& f : out.first_responsible) {
    const Department& d = *Find(f.id);
    if (!d.vertical) {
      all_vertical = false;
      continue;
    }
    int sup = by_id_.at(d.superior);
    if (HasParty(out.coordinators, Dept(sup).id)) continue;
    out.coordinators.push_back(ctx.Make(
        sup, "vertical_coordinator",
        Why("vertical",
            fmt::format("{}实行垂直管理：上级部门{}办公厅（室）会同宣传部门做好组织协调", d.name,
                        Dept(sup).name),
            fmt::format("{} is vertically managed: the office of its superior {} coordinates, "
                        "with the propaganda department",
                        d.name, Dept(sup).name))));
  }
  std::string_view coord_rule = in.national_policy ? "national_policy" : "territorial";
  std::string extra_zh = out.lead ? "，督促指导各部门，必要时确定牵头部门" : "";
  std::string extra_en = out.lead ? ", supervising and guiding the departments" : "";
  if (!all_vertical) {
    // No office on file here: this level's government coordinates; without one either, the
    // office of the nearest level above.
    int office = Singleton(handling, DepartmentKind::kGeneralOffice);
    std::string note_zh, note_en;
    if (office < 0) {
      office = Singleton(handling, DepartmentKind::kGovernment);
      if (office >= 0) {
        note_zh = fmt::format("（{}未登记政府办公厅（室），由本级政府协调）", hreg.name);
        note_en = fmt::format(" ({} has no general office on file: its government coordinates)",
                              hreg.name);
      } else if (hreg.parent >= 0) {
        bool climbed = false;
        office = singleton_up(hreg.parent, DepartmentKind::kGeneralOffice, climbed);
        note_zh = fmt::format("（{}未登记政府和办公厅（室），由上级办公厅协调）", hreg.name);
        note_en = fmt::format(
            " ({} has no government or general office on file: the office "
            "above coordinates)",
            hreg.name);
      }
    }
    if (office >= 0) {
      out.coordinators.push_back(ctx.Make(
          office, "coordinator",
          Why(coord_rule,
              fmt::format("本级政府办公厅（室）会同宣传部门做好组织协调{}{}", extra_zh, note_zh),
              fmt::format("the general office of this level coordinates with the propaganda "
                          "department{}{}",
                          extra_en, note_en))));
    }
  }
  {
    bool climbed = false;
    int prop = singleton_up(handling, DepartmentKind::kPropaganda, climbed);
    if (prop >= 0) {
      out.coordinators.push_back(ctx.Make(
          prop, "coordinator",
          Why(all_vertical ? "vertical" : coord_rule,
              fmt::format("宣传部门会同{}做好组织协调、信息发布和舆论引导{}",
                          all_vertical ? "上级部门办公厅（室）" : "本级政府办公厅（室）",
                          climbed
                              ? fmt::format("（{}未登记宣传部门，由上级宣传部门协调）", hreg.name)
                              : ""),
              fmt::format(
                  "the propaganda department coordinates with the {}, and guides "
                  "release and opinion{}",
                  all_vertical ? "superior department's office" : "general office of this level",
                  climbed ? fmt::format(" ({} has none on file: the one above)", hreg.name)
                          : ""))));
    }
  }

  // --- Leaders of the handling level's government.
  {
    bool climbed = false;
    int gov = singleton_up(handling, DepartmentKind::kGovernment, climbed);
    if (gov >= 0) {
      const Department& gd = Dept(gov);
      if (grade_rule.principal_leader) {
        auto it = std::find_if(gd.leaders.begin(), gd.leaders.end(), [](const model::Leader& l) {
          return l.role == model::LeaderRole::kPrincipal;
        });
        Party p = ctx.Make(
            gov, "principal_leader",
            Why("particularly_serious",
                fmt::format("{}级（{}）政务舆情：本级政府主要负责同志切实负起领导责任，指导、协调、"
                            "督促相关部门做好回应",
                            roman, kGradeZh[g]),
                fmt::format("grade {} ({}): the principal leader of this level's government "
                            "takes the lead, guiding, coordinating and supervising the "
                            "departments",
                            roman, kGradeEn[g])));
        if (it != gd.leaders.end()) {
          p.person = it->name;
          if (!it->phone.empty()) p.phone = it->phone;
        } else {
          out.notes.push_back(Why("particularly_serious",
                                  fmt::format("{}未登记主要负责同志", gd.name),
                                  fmt::format("{} lists no principal leader", gd.name)));
        }
        out.leaders.push_back(std::move(p));
      }
      for (const auto& l : gd.leaders) {
        if (l.role != model::LeaderRole::kInCharge) continue;
        auto dom =
            std::find_first_of(domains.begin(), domains.end(), l.domains.begin(), l.domains.end());
        if (dom == domains.end()) continue;
        Party p = ctx.Make(
            gov, "leader_in_charge",
            Why("leader_in_charge",
                fmt::format("分管{}的负责同志是直接责任人，具体负责处置并保持24小时联络畅通",
                            model::DomainNameZh(*dom)),
                fmt::format("the leader in charge of {} is directly responsible for handling "
                            "and stays reachable 24 hours a day",
                            DomainEn(*dom))));
        p.person = l.name;
        if (!l.phone.empty()) p.phone = l.phone;
        out.leaders.push_back(std::move(p));
      }
    }
  }

  // --- Informed: the State Council department in charge, for the grades that say so.
  if (grade_rule.inform_national && !in.national_policy && handling != 0) {
    for (Domain dom : domains) {
      Pick p = answer_for(0, dom);
      if (p.dept < 0 || HasParty(out.informed, Dept(p.dept).id)) continue;
      out.informed.push_back(ctx.Make(
          p.dept, "informed",
          Why("graded_level",
              fmt::format("{}级（{}）：报告国务院主管部门{}{}", roman, kGradeZh[g],
                          Dept(p.dept).name, p.fallback_zh),
              fmt::format("grade {} ({}): the State Council department in charge is informed: "
                          "{}{}",
                          roman, kGradeEn[g], Dept(p.dept).name, p.fallback_en)),
          dom));
    }
  }

  // --- (e) The superior that asked.
  if (has_kind(KeyResponseKind::kSuperiorRequest)) {
    if (in.requested_by.empty()) {
      out.notes.push_back(Why("superior_request", "上级要求回应（e）：未注明提出要求的单位",
                              "superior request (e): the requesting body is not given"));
    } else {
      std::string why;
      int d = resolve(in.requested_by, why);
      if (d < 0) {
        out.notes.push_back(
            Why("superior_request",
                fmt::format("未能确定提出回应要求的“{}”（{}）", in.requested_by, why),
                fmt::format("the requesting body \"{}\" matches no single department ({})",
                            in.requested_by, why)));
      } else {
        out.requested_by = ctx.Make(
            d, "requester",
            Why("superior_request",
                fmt::format("{}要求主动回应：按时回应，并向其报告回应和处置情况", Dept(d).name),
                fmt::format("{} asked for a response: respond in time and report the response "
                            "and its handling back to it",
                            Dept(d).name)));
        if (!model::IsAbove(Dept(d).level, out.handling_level)) {
          out.notes.push_back(
              Why("superior_request",
                  fmt::format("提出要求的{}不高于处置层级（{}），请核实", Dept(d).name,
                              LevelZh(out.handling_level)),
                  fmt::format("the requesting {} is not above the handling level ({}); check it",
                              Dept(d).name, LevelEn(out.handling_level))));
        }
      }
    }
  }

  // --- Responding (回应主体): who releases the response.
  if (grade_rule.press_conference) {
    bool climbed = false;
    // At the national level the State Council Information Office holds the conference.
    int releaser = handling == 0 ? singleton_up(0, DepartmentKind::kPropaganda, climbed)
                                 : singleton_up(handling, DepartmentKind::kGovernment, climbed);
    if (releaser >= 0) {
      Party p = ctx.Make(
          releaser, "responding",
          Why("graded_level",
              fmt::format("{}级（{}）：快速反应、及时发声，最迟24小时内由{}举行新闻发布会，"
                          "相关部门负责人或新闻发言人出席",
                          roman, kGradeZh[g], Dept(releaser).name),
              fmt::format("grade {} ({}): respond fast; {} holds a press conference within 24 "
                          "hours at the latest, attended by the heads or spokespersons of the "
                          "departments concerned",
                          roman, kGradeEn[g], Dept(releaser).name)));
      p.person = Dept(releaser).spokesperson.name;
      out.responding.push_back(std::move(p));
    }
  }
  {
    std::vector<Party> answerers;
    if (out.lead && !grade_rule.press_conference) {
      answerers.push_back(*out.lead);
    } else {
      answerers = out.first_responsible;
    }
    for (const Party& a : answerers) {
      if (HasParty(out.responding, a.id)) continue;
      const Department& d = *Find(a.id);
      Party p = a;
      p.role = "responding";
      p.person = d.spokesperson.name;
      std::string sp_zh = d.spokesperson.empty() ? "（未登记新闻发言人）" : "";
      std::string sp_en = d.spokesperson.empty() ? " (no spokesperson on file)" : "";
      if (grade_rule.press_conference) {
        p.reason =
            Why("graded_level",
                fmt::format("{}负责人或新闻发言人出席发布会，持续发布权威信息{}", d.name, sp_zh),
                fmt::format("the head or spokesperson of {} attends the press conference "
                            "and keeps releasing authoritative information{}",
                            d.name, sp_en));
      } else {
        p.reason = Why(out.lead ? "multi_department" : a.reason.rule,
                       fmt::format("谁主管谁负责：由{}通过新闻发言人、政务网站和新媒体在48小时内"
                                   "回应{}",
                                   d.name, sp_zh),
                       fmt::format("whoever is in charge answers: {} responds within 48 hours "
                                   "through its spokesperson, website and official accounts{}",
                                   d.name, sp_en));
      }
      out.responding.push_back(std::move(p));
    }
  }

  // --- Conflicts of interest (seed 001 §8).
  auto responsible_has = [&](const std::string& id) {
    return HasParty(out.first_responsible, id) || (out.lead && out.lead->id == id);
  };
  auto responder_has = [&](const std::string& id) {
    return HasParty(out.responding, id) || HasParty(out.co_responding, id);
  };
  // Who should lead instead of `d`: its superior, the superior government for a government,
  // else the coordinating general office.
  auto suggest = [&](int d) -> int {
    const Department& dep = Dept(d);
    if (!dep.superior.empty()) return by_id_.at(dep.superior);
    int region = dept_region_[d];
    bool climbed = false;
    if (dep.kind == DepartmentKind::kGovernment || dep.kind == DepartmentKind::kGeneralOffice) {
      int parent = tree.at(region).parent;
      return parent < 0 ? -1 : singleton_up(parent, DepartmentKind::kGovernment, climbed);
    }
    int office = singleton_up(region, DepartmentKind::kGeneralOffice, climbed);
    if (office >= 0 && office != d) return office;
    int parent = tree.at(region).parent;
    return parent < 0 ? -1 : singleton_up(parent, DepartmentKind::kGovernment, climbed);
  };
  auto top_responsible_level = [&]() {
    RegionLevel top = RegionLevel::kCounty;
    for (const Party& p : out.first_responsible) {
      if (model::IsAbove(p.level, top)) top = p.level;
    }
    return top;
  };
  auto lowest_responder_level = [&]() {
    RegionLevel low = RegionLevel::kNational;
    for (const auto* list : {&out.responding, &out.co_responding}) {
      for (const Party& p : *list) {
        if (model::IsAbove(low, p.level)) low = p.level;
      }
    }
    return low;
  };
  int involved_responders = 0;
  for (int d : involved) {
    const Department& dep = Dept(d);
    bool resp = responsible_has(dep.id);
    bool answers = responder_has(dep.id);
    if (answers) ++involved_responders;
    Conflict c;
    c.id = dep.id;
    c.name = dep.name;
    int s = -1;
    if (resp && answers) {
      s = suggest(d);
      c.kind = "same_body";
      c.reason =
          Why("conflict_of_interest",
              fmt::format("{}既是涉事主体，又是责任主体和回应主体：自己评判、回应自己，面对与自身"
                          "利益冲突的关切难以实事求是",
                          dep.name),
              fmt::format("{} is involved and also responsible and responding: it would "
                          "judge and answer for itself",
                          dep.name));
    } else if (resp) {
      s = suggest(d);
      if (model::IsAbove(dep.level, lowest_responder_level())) {
        c.kind = "ceiling";
        c.reason =
            Why("conflict_of_interest",
                fmt::format("{}既是涉事主体又是责任主体，且级别高于回应主体：回应主体难以突破"
                            "权力“天花板”，易为涉事主体背书",
                            dep.name),
                fmt::format("{} is involved and responsible and ranks above the responding "
                            "body, which can hardly speak against it",
                            dep.name));
      } else {
        c.kind = "responsible_is_involved";
        c.reason = Why(
            "conflict_of_interest",
            fmt::format("{}既是涉事主体又是责任主体：存在自己评判自己的利益冲突", dep.name),
            fmt::format("{} is both involved and responsible: it would judge itself", dep.name));
      }
    } else if (answers && !out.first_responsible.empty() &&
               model::IsAbove(top_responsible_level(), dep.level)) {
      s = by_id_.at(out.lead ? out.lead->id : out.first_responsible[0].id);
      c.kind = "involved_responds_below";
      c.reason =
          Why("conflict_of_interest",
              fmt::format("{}作为涉事主体参与回应，且级别低于责任主体：信息不对称，易避实就虚、"
                          "自说自话",
                          dep.name),
              fmt::format("{} is involved and responds below the responsible level: "
                          "information is uneven and it has a motive to excuse itself",
                          dep.name));
    } else {
      continue;
    }
    if (s >= 0) {
      c.suggested_id = Dept(s).id;
      c.suggested_name = Dept(s).name;
      c.reason.zh += fmt::format("。建议由{}牵头，审核并发布回应", Dept(s).name);
      c.reason.en += fmt::format(
          ". Suggested: {} takes the lead, reviews and releases the "
          "response",
          Dept(s).name);
    }
    out.conflicts.push_back(std::move(c));
  }
  if (involved_responders >= 2) {
    Conflict c;
    c.kind = "several_involved";
    int s = -1;
    // The responsible body above them unifies the message, unless it is involved too.
    if (out.lead && !Contains(involved, by_id_.at(out.lead->id))) {
      s = by_id_.at(out.lead->id);
    } else if (!out.first_responsible.empty() &&
               !Contains(involved, by_id_.at(out.first_responsible[0].id))) {
      s = by_id_.at(out.first_responsible[0].id);
    } else {
      for (const Party& p : out.coordinators) {
        if (p.role == "coordinator" || p.role == "vertical_coordinator") {
          s = by_id_.at(p.id);
          break;
        }
      }
    }
    c.reason = Why("conflict_of_interest",
                   "多个涉事主体分别回应：职责易交叉或空白、相互推诿，口径难以统一",
                   "several involved bodies respond: duties overlap or fall through and the "
                   "messages diverge");
    if (s >= 0) {
      c.suggested_id = Dept(s).id;
      c.suggested_name = Dept(s).name;
      c.reason.zh += fmt::format("。建议由{}统一组织、统一口径", Dept(s).name);
      c.reason.en += fmt::format(". Suggested: {} organises one consistent response", Dept(s).name);
    }
    out.conflicts.push_back(std::move(c));
  }
  return out;
}

// --- JSON.

namespace {

Status FieldError(std::string_view field, std::string_view problem) {
  return Status::InvalidArgument(fmt::format("field \"{}\": {}", field, problem));
}

std::string ShownValue(const json& v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

constexpr std::string_view kInputFields[] = {"regions",         "domains", "grade",       "kinds",
                                             "national_policy", "bodies",  "requested_by"};

Result<std::vector<std::string>> StringArray(const json& body, std::string_view key) {
  std::vector<std::string> out;
  auto it = body.find(key);
  if (it == body.end()) return out;
  if (!it->is_array()) return FieldError(key, fmt::format("{} is not an array", ShownValue(*it)));
  for (size_t i = 0; i < it->size(); ++i) {
    const json& v = (*it)[i];
    if (!v.is_string() || v.get<std::string>().empty()) {
      return FieldError(fmt::format("{}[{}]", key, i),
                        fmt::format("{} is not a non-empty string", ShownValue(v)));
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

json PartyJson(const Party& p) {
  json j = {{"id", p.id},
            {"name", p.name},
            {"region", p.region},
            {"region_name", p.region_name},
            {"level", model::RegionLevelName(p.level)},
            {"kind", p.kind},
            {"role", p.role},
            {"rule", p.reason.rule},
            {"reason", {{"zh", p.reason.zh}, {"en", p.reason.en}}}};
  if (!p.person.empty()) j["person"] = p.person;
  if (!p.phone.empty()) j["phone"] = p.phone;
  return j;
}

json PartiesJson(const std::vector<Party>& v) {
  json out = json::array();
  for (const auto& p : v) out.push_back(PartyJson(p));
  return out;
}

json ReasonJson(const Reason& r) { return {{"rule", r.rule}, {"zh", r.zh}, {"en", r.en}}; }

}  // namespace

Result<RoutingInput> RoutingInputFromJson(const json& body) {
  if (!body.is_object()) {
    return Status::InvalidArgument(
        "a routing input is a JSON object with \"regions\", \"domains\", \"grade\"…");
  }
  for (const auto& [key, value] : body.items()) {
    if (std::find(std::begin(kInputFields), std::end(kInputFields), key) ==
        std::end(kInputFields)) {
      return FieldError(key,
                        "is not known; a routing input has regions, domains, grade, kinds, "
                        "national_policy, bodies and requested_by");
    }
  }
  RoutingInput in;
  YQ_ASSIGN_OR_RETURN(std::vector<std::string> regions, StringArray(body, "regions"));
  if (regions.empty()) {
    return FieldError("regions",
                      "a routing input names at least one region (a GB/T 2260 code "
                      "such as \"140406\")");
  }
  for (size_t i = 0; i < regions.size(); ++i) {
    std::string& r = regions[i];
    bool digits = std::all_of(r.begin(), r.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || (r.size() != 2 && r.size() != 4 && r.size() != 6)) {
      return FieldError(fmt::format("regions[{}]", i),
                        fmt::format("\"{}\" is not a GB/T 2260 code (2, 4 or 6 digits)", r));
    }
    r.resize(6, '0');  // "1404" is 长治市, 140400
  }
  in.regions = std::move(regions);
  if (auto it = body.find("domains"); it != body.end()) {
    if (!it->is_array()) return FieldError("domains", "expected an array of domain names");
    for (size_t i = 0; i < it->size(); ++i) {
      const json& v = (*it)[i];
      std::optional<Domain> d;
      if (v.is_string()) d = model::ParseDomain(v.get<std::string>());
      if (!d) {
        std::string list;
        for (auto n : model::kDomainNames) list += (list.empty() ? "" : ", ") + std::string(n);
        return FieldError(fmt::format("domains[{}]", i),
                          fmt::format("{} is not one of {}", ShownValue(v), list));
      }
      in.domains.push_back(*d);
    }
  }
  auto grade = body.find("grade");
  if (grade == body.end()) {
    return FieldError("grade", "missing; expected 1..4 or \"I\"..\"IV\" (I 特别重大 … IV 一般)");
  }
  auto g = ParseGrade(*grade);
  if (!g) {
    return FieldError("grade", fmt::format("{} is not a grade; expected 1..4 or \"I\"..\"IV\"",
                                           ShownValue(*grade)));
  }
  in.grade = *g;
  if (auto it = body.find("kinds"); it != body.end()) {
    if (!it->is_array()) return FieldError("kinds", "expected an array of key-response kinds");
    for (size_t i = 0; i < it->size(); ++i) {
      const json& v = (*it)[i];
      std::optional<KeyResponseKind> k;
      if (v.is_string()) k = ParseKeyResponseKind(v.get<std::string>());
      if (!k) {
        return FieldError(fmt::format("kinds[{}]", i),
                          fmt::format("{} is not one of policy_misreading, vital_interests, "
                                      "moral_bottom_line, emergency, superior_request (or a..e)",
                                      ShownValue(v)));
      }
      if (std::find(in.kinds.begin(), in.kinds.end(), *k) == in.kinds.end()) {
        in.kinds.push_back(*k);
      }
    }
  }
  if (auto it = body.find("national_policy"); it != body.end()) {
    if (!it->is_boolean()) return FieldError("national_policy", "expected true or false");
    in.national_policy = it->get<bool>();
  }
  YQ_ASSIGN_OR_RETURN(in.bodies, StringArray(body, "bodies"));
  if (auto it = body.find("requested_by"); it != body.end()) {
    if (!it->is_string()) return FieldError("requested_by", "expected a department id or name");
    in.requested_by = it->get<std::string>();
  }
  return in;
}

Result<RoutingInput> RoutingInputFromJson(std::string_view json_text) {
  json body;
  try {
    body = json::parse(json_text);
  } catch (const json::exception& e) {
    return Status::InvalidArgument(fmt::format("not valid JSON: {}", e.what()));
  }
  return RoutingInputFromJson(body);
}

json RoutingInputToJson(const RoutingInput& in) {
  json domains = json::array();
  for (Domain d : in.domains) domains.push_back(model::DomainName(d));
  json kinds = json::array();
  for (KeyResponseKind k : in.kinds) kinds.push_back(KeyResponseKindName(k));
  json out = {{"regions", in.regions},
              {"domains", domains},
              {"grade", in.grade},
              {"kinds", kinds},
              {"national_policy", in.national_policy},
              {"bodies", in.bodies}};
  if (!in.requested_by.empty()) out["requested_by"] = in.requested_by;
  return out;
}

json RoutingToJson(const Routing& r) {
  json reasons = json::array();
  for (const auto& x : r.handling_reasons) reasons.push_back(ReasonJson(x));
  json conflicts = json::array();
  for (const auto& c : r.conflicts) {
    json j = {{"kind", c.kind},
              {"rule", c.reason.rule},
              {"reason", {{"zh", c.reason.zh}, {"en", c.reason.en}}}};
    if (!c.id.empty()) j["id"] = c.id;
    if (!c.name.empty()) j["name"] = c.name;
    if (!c.suggested_id.empty()) {
      j["suggested"] = {{"id", c.suggested_id}, {"name", c.suggested_name}};
    }
    conflicts.push_back(std::move(j));
  }
  json notes = json::array();
  for (const auto& n : r.notes) notes.push_back(ReasonJson(n));
  return {{"handling",
           {{"level", model::RegionLevelName(r.handling_level)},
            {"region", r.handling_region},
            {"region_name", r.handling_region_name},
            {"reasons", std::move(reasons)}}},
          {"first_responsible", PartiesJson(r.first_responsible)},
          {"lead", r.lead ? PartyJson(*r.lead) : json(nullptr)},
          {"co_responding", PartiesJson(r.co_responding)},
          {"coordinators", PartiesJson(r.coordinators)},
          {"leaders", PartiesJson(r.leaders)},
          {"informed", PartiesJson(r.informed)},
          {"requested_by", r.requested_by ? PartyJson(*r.requested_by) : json(nullptr)},
          {"involved", PartiesJson(r.involved)},
          {"responding", PartiesJson(r.responding)},
          {"conflicts", std::move(conflicts)},
          {"notes", std::move(notes)}};
}

}  // namespace yuqing::org

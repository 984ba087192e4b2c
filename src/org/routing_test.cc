#include "org/routing.h"

#include <gtest/gtest.h>

#include <set>

#include "org/org_test_util.h"

namespace yuqing::org {
namespace {

using nlohmann::json;
using testing::ChangzhiPath;
using testing::ShippedRegions;

const Router& Changzhi() {
  static const Router router = [] {
    auto loaded = LoadOrganisationFile(ChangzhiPath(), *ShippedRegions());
    if (!loaded.ok()) {
      std::fprintf(stderr, "%s\n", loaded.status().ToString().c_str());
      std::abort();
    }
    auto r = Router::Create(loaded->organisation, ShippedRegions());
    if (!r.ok()) std::abort();
    return std::move(r).value();
  }();
  return router;
}

std::string Ids(const std::vector<Party>& v) {
  std::string out;
  for (const auto& p : v) out += (out.empty() ? "" : ",") + p.id;
  return out;
}
std::string Leaders(const std::vector<Party>& v) {
  std::string out;
  for (const auto& p : v) out += (out.empty() ? "" : ",") + p.role + ":" + p.person;
  return out;
}
std::string Conflicts(const std::vector<Conflict>& v) {
  std::string out;
  for (const auto& c : v) {
    out += (out.empty() ? "" : ",") + c.kind + ":" + c.id + ">" + c.suggested_id;
  }
  return out;
}
std::set<std::string> Rules(const Routing& r) {
  std::set<std::string> rules;
  for (const auto& x : r.handling_reasons) rules.insert(x.rule);
  for (const auto* list : {&r.first_responsible, &r.co_responding, &r.coordinators, &r.leaders,
                           &r.informed, &r.involved, &r.responding}) {
    for (const auto& p : *list) rules.insert(p.reason.rule);
  }
  if (r.lead) rules.insert(r.lead->reason.rule);
  if (r.requested_by) rules.insert(r.requested_by->reason.rule);
  for (const auto& c : r.conflicts) rules.insert(c.reason.rule);
  for (const auto& n : r.notes) rules.insert(n.rule);
  return rules;
}

// One event and what routing must decide; "*" leaves a field unchecked.
struct Case {
  std::string name;
  std::string input;     // RoutingInput JSON
  std::string handling;  // "level region"
  std::string first;
  std::string lead;
  std::string co;
  std::string coordinators;
  std::string leaders;
  std::string informed;
  std::string involved;
  std::string responding;
  std::string conflicts;
  std::vector<std::string> rules;  // must all appear
};

const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = {
      {"territorial: a county matter stays with the county department in charge",
       R"({"regions": ["140423"], "domains": ["education"], "grade": 4})",
       "county 140423",
       "xiangyuan.edu",
       "",
       "",
       "xiangyuan.office,xiangyuan.propaganda",
       "leader_in_charge:分管副县长（示例二）",
       "",
       "",
       "xiangyuan.edu",
       "",
       {"graded_level", "territorial", "leader_in_charge"}},
      {"graded_level: grade III in a county goes up to the prefecture; the county responds "
       "territorially",
       R"({"regions": ["140406"], "domains": ["education"], "grade": "III"})",
       "prefecture 140400",
       "cz.edu",
       "",
       "lucheng.edu",
       "cz.office,cz.propaganda",
       "leader_in_charge:分管副市长（示例二）",
       "",
       "",
       "cz.edu",
       "",
       {"graded_level"}},
      {"particularly_serious: grade I brings the principal leader and informs the State Council",
       R"({"regions": ["140406"], "domains": ["emergency"], "grade": 1, "kinds": ["emergency"]})",
       "province 140000",
       "sx.emergency",
       "",
       "lucheng.emergency",
       "sx.office,sx.propaganda",
       "principal_leader:省长（示例）,leader_in_charge:分管副省长（示例一）",
       "cn.emergency",
       "",
       "sx.gov,sx.emergency",
       "",
       {"graded_level", "particularly_serious"}},
      {"aniline leak in 潞城 (grade II, two domains, the district office named)",
       R"({"regions": ["140406"], "domains": ["environment", "emergency"], "grade": 2,
           "kinds": ["emergency"], "bodies": ["长治市生态环境局潞城分局"]})",
       "province 140000",
       "sx.env,sx.emergency",
       "sx.env",
       "lucheng.env,lucheng.emergency",
       "sx.office,sx.propaganda",
       "leader_in_charge:分管副省长（示例一）",
       "",
       "lucheng.env",
       "sx.gov,sx.env,sx.emergency",
       "involved_responds_below:lucheng.env>sx.env",
       {"graded_level", "multi_department", "named_body", "conflict_of_interest"}},
      {"multi_locality: a water stoppage in two districts goes to the city's competent "
       "department",
       R"({"regions": ["140403", "140404"], "domains": ["housing"], "grade": 4})",
       "prefecture 140400",
       "cz.housing",
       "",
       "luzhou.housing,shangdang.housing",
       "cz.office,cz.propaganda",
       "leader_in_charge:常务副市长（示例）",
       "",
       "",
       "cz.housing",
       "",
       {"multi_locality", "graded_level"}},
      {"multi_locality: two provinces go to the State Council; a locality with nothing on file "
       "is noted",
       R"({"regions": ["140406", "130100"], "domains": ["emergency"], "grade": 4})",
       "national 000000",
       "cn.emergency",
       "",
       "lucheng.emergency",
       "cn.office,cn.propaganda",
       "*",
       "",
       "",
       "cn.emergency",
       "",
       {"multi_locality", "territorial"}},
      {"a region and a county inside it are one locality",
       R"({"regions": ["140400", "140406"], "domains": ["transport"], "grade": 4})",
       "county 140406",
       "lucheng.transport",
       "",
       "",
       "lucheng.office,lucheng.propaganda",
       "*",
       "",
       "",
       "lucheng.transport",
       "",
       {"territorial"}},
      {"national_policy: a misread State Council policy is answered by the ministry",
       R"({"regions": ["140400"], "domains": ["employment"], "grade": 4,
           "kinds": ["policy_misreading"], "national_policy": true})",
       "national 000000",
       "cn.hrss",
       "",
       "cz.hrss",
       "cn.office,cn.propaganda",
       "leader_in_charge:国务院分管领导（示例二）",
       "",
       "",
       "cn.hrss",
       "",
       {"national_policy"}},
      {"vertical: a tax complaint names the district tax bureau; the superior's office "
       "coordinates",
       R"({"regions": ["140403"], "grade": 4, "bodies": ["潞州区税务局"]})",
       "county 140403",
       "luzhou.tax",
       "",
       "",
       "cz.tax,luzhou.propaganda",
       "*",
       "",
       "luzhou.tax",
       "luzhou.tax",
       "same_body:luzhou.tax>cz.tax",
       {"vertical", "named_body", "conflict_of_interest"}},
      {"vertical: a county environment branch reports to the city bureau",
       R"({"regions": ["140406"], "domains": ["environment"], "grade": 4})",
       "county 140406",
       "lucheng.env",
       "",
       "",
       "cz.env,lucheng.propaganda",
       "*",
       "",
       "",
       "lucheng.env",
       "",
       {"vertical"}},
      {"multi_department: a school food problem in 襄垣 — market supervision leads, education "
       "co-answers",
       R"({"regions": ["140423"], "domains": ["market_supervision", "education"], "grade": 4,
           "kinds": ["vital_interests"]})",
       "county 140423",
       "xiangyuan.market,xiangyuan.edu",
       "xiangyuan.market",
       "",
       "xiangyuan.office,xiangyuan.propaganda",
       "leader_in_charge:分管副县长（示例二）",
       "",
       "",
       "xiangyuan.market",
       "",
       {"multi_department", "territorial"}},
      {"conflict_of_interest: the named education bureau is among the responsible",
       R"({"regions": ["140423"], "domains": ["market_supervision", "education"], "grade": 4,
           "bodies": ["襄垣县教育局"]})",
       "county 140423",
       "xiangyuan.market,xiangyuan.edu",
       "xiangyuan.market",
       "",
       "*",
       "*",
       "",
       "xiangyuan.edu",
       "xiangyuan.market",
       "responsible_is_involved:xiangyuan.edu>cz.edu",
       {"conflict_of_interest", "multi_department"}},
      {"conflict_of_interest: a city bureau named in a county matter it is responsible for "
       "(ceiling)",
       R"({"regions": ["140423"], "domains": ["market_supervision", "education"], "grade": 3,
           "bodies": ["长治市教育局"]})",
       "prefecture 140400",
       "cz.market,cz.edu",
       "cz.market",
       "xiangyuan.market,xiangyuan.edu",
       "*",
       "*",
       "",
       "cz.edu",
       "cz.market",
       "ceiling:cz.edu>sx.edu",
       {"conflict_of_interest"}},
      {"conflict_of_interest: a named government that would answer for itself",
       R"({"regions": ["140406"], "grade": 4, "bodies": ["潞城区政府"]})",
       "county 140406",
       "lucheng.gov",
       "",
       "",
       "lucheng.office,lucheng.propaganda",
       "",
       "",
       "lucheng.gov",
       "lucheng.gov",
       "same_body:lucheng.gov>cz.gov",
       {"named_body", "conflict_of_interest"}},
      {"several involved bodies responding in two districts",
       R"({"regions": ["140403", "140404"], "domains": ["housing"], "grade": 4,
           "bodies": ["潞州区住房和城乡建设局", "上党区住房和城乡建设局"]})",
       "prefecture 140400",
       "cz.housing",
       "",
       "luzhou.housing,shangdang.housing",
       "*",
       "*",
       "",
       "luzhou.housing,shangdang.housing",
       "cz.housing",
       "involved_responds_below:luzhou.housing>cz.housing,"
       "involved_responds_below:shangdang.housing>cz.housing,several_involved:>cz.housing",
       {"conflict_of_interest", "multi_locality"}},
      {"superior_request: the city asked 屯留 to respond",
       R"({"regions": ["140405"], "domains": ["civil_affairs"], "grade": 4,
           "kinds": ["superior_request"], "requested_by": "长治市人民政府"})",
       "county 140405",
       "tunliu.civil",
       "",
       "",
       "tunliu.office,tunliu.propaganda",
       "*",
       "",
       "",
       "tunliu.civil",
       "",
       {"superior_request", "territorial"}},
      {"fallback: no department of the domain at the handling level — its government answers",
       R"({"regions": ["140427"], "domains": ["other"], "grade": 4})",
       "county 140427",
       "huguan.gov",
       "",
       "",
       "huguan.office,huguan.propaganda",
       "",
       "",
       "",
       "huguan.gov",
       "",
       {"territorial"}},
      {"the propaganda domain goes to the propaganda department",
       R"({"regions": ["140428"], "domains": ["propaganda"], "grade": 4})",
       "county 140428",
       "zhangzi.propaganda",
       "",
       "",
       "zhangzi.office,zhangzi.propaganda",
       "",
       "",
       "",
       "zhangzi.propaganda",
       "",
       {"territorial"}},
      {"grade I across two provinces: the State Council level with its principal leader",
       R"({"regions": ["140406", "130100"], "domains": ["environment"], "grade": 1})",
       "national 000000",
       "cn.env",
       "",
       "lucheng.env",
       "cn.office,cn.propaganda",
       "principal_leader:国务院领导（示例）,leader_in_charge:国务院分管领导（示例一）",
       "",
       "",
       "cn.propaganda,cn.env",
       "",
       {"multi_locality", "particularly_serious"}},
  };
  return cases;
}

TEST(RoutingTest, EveryRuleAndTheirCombinations) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.name);
    auto input = RoutingInputFromJson(std::string_view(c.input));
    ASSERT_TRUE(input.ok()) << input.status().ToString();
    auto r = Changzhi().Route(*input);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    std::string dump = RoutingToJson(*r).dump(2);
    auto check = [&](std::string_view what, const std::string& want, const std::string& got) {
      if (want != "*") {
        EXPECT_EQ(got, want) << what << "\n" << dump;
      }
    };
    check("handling", c.handling,
          std::string(model::RegionLevelName(r->handling_level)) + " " + r->handling_region);
    check("first", c.first, Ids(r->first_responsible));
    check("lead", c.lead, r->lead ? r->lead->id : "");
    check("co_responding", c.co, Ids(r->co_responding));
    check("coordinators", c.coordinators, Ids(r->coordinators));
    check("leaders", c.leaders, Leaders(r->leaders));
    check("informed", c.informed, Ids(r->informed));
    check("involved", c.involved, Ids(r->involved));
    check("responding", c.responding, Ids(r->responding));
    check("conflicts", c.conflicts, Conflicts(r->conflicts));
    auto rules = Rules(*r);
    for (const auto& rule : c.rules) EXPECT_TRUE(rules.count(rule)) << rule << "\n" << dump;
  }
}

TEST(RoutingTest, EveryPartyCarriesItsRuleAndReasonInBothLanguages) {
  for (const Case& c : Cases()) {
    auto r = Changzhi().Route(*RoutingInputFromJson(std::string_view(c.input)));
    ASSERT_TRUE(r.ok());
    json j = RoutingToJson(*r);
    for (const char* list : {"first_responsible", "co_responding", "coordinators", "leaders",
                             "informed", "involved", "responding"}) {
      for (const auto& p : j[list]) {
        for (const char* key : {"id", "name", "region", "level", "kind", "role", "rule"}) {
          EXPECT_TRUE(p[key].is_string() && !p[key].get<std::string>().empty())
              << c.name << " " << list << " " << key;
        }
        EXPECT_FALSE(p["reason"]["zh"].get<std::string>().empty());
        EXPECT_FALSE(p["reason"]["en"].get<std::string>().empty());
      }
    }
  }
}

TEST(RoutingTest, TheSuperiorRequestNamesTheRequesterOrSaysItIsMissing) {
  auto r = Changzhi().Route(*RoutingInputFromJson(std::string_view(
      R"({"regions": ["140405"], "domains": ["civil_affairs"], "grade": 4,
          "kinds": ["e"], "requested_by": "cz.gov"})")));
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->requested_by.has_value());
  EXPECT_EQ(r->requested_by->id, "cz.gov");
  EXPECT_EQ(r->requested_by->role, "requester");
  EXPECT_EQ(r->requested_by->reason.rule, "superior_request");

  auto missing = Changzhi().Route(*RoutingInputFromJson(std::string_view(
      R"({"regions": ["140405"], "domains": ["civil_affairs"], "grade": 4,
          "kinds": ["superior_request"]})")));
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->requested_by.has_value());
  ASSERT_FALSE(missing->notes.empty());
  EXPECT_EQ(missing->notes.back().rule, "superior_request");
}

TEST(RoutingTest, NamedBodiesResolveFromIdsNamesAndShortForms) {
  struct NameCase {
    std::string text;
    std::string region;
    std::string id;  // empty: unresolved
  } cases[] = {
      {"cz.env", "140406", "cz.env"},
      {"长治市生态环境局", "140406", "cz.env"},
      {"长治生态环境局", "140406", "cz.env"},
      {"长治市环保局", "140406", "cz.env"},
      {"网传长治市生态环境局回应称", "140406", "cz.env"},
      {"潞城区环保局", "140406", "lucheng.env"},
      {"市教育局", "140406", "cz.edu"},
      {"区教育局", "140406", "lucheng.edu"},
      {"教育局", "140406", "lucheng.edu"},
      {"长治市潞城区教育局", "140406", "lucheng.edu"},
      {"省应急管理厅", "140406", "sx.emergency"},
      {"国新办", "140406", "cn.propaganda"},
      {"某某公司", "140406", ""},
  };
  for (const auto& c : cases) {
    RoutingInput in;
    in.regions = {c.region};
    in.domains = {model::Domain::kEducation};
    in.bodies = {c.text};
    auto r = Changzhi().Route(in);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(Ids(r->involved), c.id) << c.text;
    if (c.id.empty()) {
      ASSERT_FALSE(r->notes.empty()) << c.text;
      EXPECT_EQ(r->notes[0].rule, "named_body");
    }
  }
  // A generic name with two localities is ambiguous, and says so.
  RoutingInput in;
  in.regions = {"140403", "140404"};
  in.domains = {model::Domain::kEducation};
  in.bodies = {"教育局"};
  auto r = Changzhi().Route(in);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->involved.empty());
  ASSERT_FALSE(r->notes.empty());
  EXPECT_NE(r->notes[0].en.find("ambiguous"), std::string::npos) << r->notes[0].en;
}

TEST(RoutingTest, TheGradeTableIsConfigurable) {
  auto loaded = LoadOrganisationFile(ChangzhiPath(), *ShippedRegions());
  ASSERT_TRUE(loaded.ok());
  model::Organisation org = loaded->organisation;
  org.routing.grades[3].level = model::RegionLevel::kPrefecture;  // IV by the city
  org.routing.grades[1].principal_leader = true;                  // II brings the principal
  auto router = Router::Create(org, ShippedRegions());
  ASSERT_TRUE(router.ok());
  auto r = router->Route(*RoutingInputFromJson(
      std::string_view(R"({"regions": ["140423"], "domains": ["education"], "grade": 4})")));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->handling_region, "140400");
  EXPECT_EQ(Ids(r->first_responsible), "cz.edu");
  auto major = router->Route(*RoutingInputFromJson(
      std::string_view(R"({"regions": ["140423"], "domains": ["education"], "grade": 2})")));
  ASSERT_TRUE(major.ok());
  ASSERT_FALSE(major->leaders.empty());
  EXPECT_EQ(major->leaders[0].role, "principal_leader");
}

TEST(RoutingTest, BadInputsAreRefusedWithTheField) {
  struct BadCase {
    std::string input;
    std::string message;
  } cases[] = {
      {R"({"regions": [], "grade": 4})",
       "field \"regions\": a routing input names at least one "
       "region"},
      {R"({"grade": 4})", "field \"regions\": a routing input names at least one region"},
      {R"({"regions": ["14999"], "grade": 4})",
       "field \"regions[0]\": \"14999\" is not a GB/T "
       "2260 code"},
      {R"({"regions": ["140406"], "grade": 5})", "field \"grade\": 5 is not a grade"},
      {R"({"regions": ["140406"]})", "field \"grade\": missing"},
      {R"({"regions": ["140406"], "grade": 4, "domains": ["weather"]})",
       "field \"domains[0]\": \"weather\" is not one of"},
      {R"({"regions": ["140406"], "grade": 4, "kinds": ["f"]})", "field \"kinds[0]\": \"f\""},
      {R"({"regions": ["140406"], "grade": 4, "region": "x"})", "field \"region\": is not known"},
      {R"({"regions": ["140406"], "grade": 4, "national_policy": "yes"})",
       "field \"national_policy\": expected true or false"},
      {R"([1, 2])", "a routing input is a JSON object"},
      {R"({"regions": )", "not valid JSON"},
  };
  for (const auto& c : cases) {
    auto in = RoutingInputFromJson(std::string_view(c.input));
    ASSERT_FALSE(in.ok()) << c.input;
    EXPECT_NE(in.status().message().find(c.message), std::string::npos) << in.status().message();
  }
  RoutingInput unknown;
  unknown.regions = {"149999"};
  auto r = Changzhi().Route(unknown);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("field \"regions[0]\": \"149999\" is not a known region"),
            std::string::npos);
  RoutingInput none;
  EXPECT_FALSE(Changzhi().Route(none).ok());
}

TEST(RoutingTest, ShortRegionCodesArePadded) {
  auto in = RoutingInputFromJson(std::string_view(R"({"regions": ["1404"], "grade": "IV"})"));
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->regions, std::vector<std::string>{"140400"});
  EXPECT_EQ(in->grade, 4);
  auto back = RoutingInputFromJson(RoutingInputToJson(*in));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->regions, in->regions);
}

}  // namespace
}  // namespace yuqing::org

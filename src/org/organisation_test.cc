#include "org/organisation.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>

#include "org/org_test_util.h"

namespace yuqing::org {
namespace {

using nlohmann::json;
using testing::ChangzhiPath;
using testing::ShippedRegions;

const std::string kBase = R"(name = "测试"

[[departments]]
id = "cz.gov"
name = "长治市人民政府"
region = "140400"
kind = "government"

[[departments]]
id = "cz.office"
name = "长治市人民政府办公室"
region = "140400"
kind = "general_office"

[[departments]]
id = "cz.propaganda"
name = "中共长治市委宣传部"
region = "140400"
kind = "propaganda"

[[departments]]
id = "cz.env"
name = "长治市生态环境局"
region = "140400"
domains = ["environment"]
)";

std::string Replace(std::string s, std::string_view from, std::string_view to) {
  size_t at = s.find(from);
  if (at == std::string::npos) ADD_FAILURE() << "no " << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

int LineOf(const std::string& doc, std::string_view needle) {
  size_t at = doc.find(needle);
  if (at == std::string::npos) return -1;
  return 1 + static_cast<int>(std::count(doc.begin(), doc.begin() + at, '\n'));
}

std::string ErrorOf(const std::string& toml) {
  auto o = OrganisationFromToml(toml, *ShippedRegions());
  return o.ok() ? "ok" : o.status().message();
}

TEST(OrganisationTest, TheMinimalExampleLoadsWithLevelsDerived) {
  auto o = OrganisationFromToml(kBase, *ShippedRegions());
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_TRUE(o->warnings.empty());
  ASSERT_EQ(o->organisation.departments.size(), 4u);
  const auto& env = o->organisation.departments[3];
  EXPECT_EQ(env.level, model::RegionLevel::kPrefecture);
  EXPECT_EQ(env.kind, model::DepartmentKind::kFunctional);
  EXPECT_EQ(env.domains, std::vector<model::Domain>{model::Domain::kEnvironment});
}

// Each bad input is refused with the line of the culprit, the department and the field.
TEST(OrganisationTest, BadTomlNamesTheLineTheDepartmentAndTheField) {
  struct Case {
    std::string name;
    std::string doc;
    std::string needle;  // the line the message must name (its first occurrence)
    int line_offset;     // added to the needle's line (-1: the [[departments]] header)
    std::string message;
  };
  const std::string env_tail = "domains = [\"environment\"]\n";
  const std::vector<Case> cases = {
      {"unknown region",
       Replace(kBase, "region = \"140400\"\ndomains", "region = \"149999\"\ndomains"),
       "region = \"149999\"", 0,
       "department \"cz.env\", field \"region\": \"149999\" is not a known region"},
      {"unknown domain", Replace(kBase, env_tail, "domains = [\"environment\", \"enviroment\"]\n"),
       "\"enviroment\"", 0,
       "department \"cz.env\", field \"domains[1]\": \"enviroment\" is not a domain"},
      {"unknown superior", kBase + "superior = \"cz.nothing\"\n", "cz.nothing", 0,
       "department \"cz.env\", field \"superior\": \"cz.nothing\" is not the id of a department"},
      {"duplicate id",
       kBase + "\n[[departments]]\nid = \"cz.env\" # again\nname = \"长治市环保局\"\n"
               "region = \"140400\"\ndomains = [\"environment\"]\n",
       "# again", 0,
       "department \"cz.env\", field \"id\": \"cz.env\" is already the id of departments[3]"},
      {"duplicate name",
       kBase + "\n[[departments]]\nid = \"cz.env2\"\nname = \"长治市生态环境局\" # again\n"
               "region = \"140400\"\ndomains = [\"environment\"]\n",
       "# again", 0,
       "department \"cz.env2\", field \"name\": \"长治市生态环境局\" is already the name of "
       "department \"cz.env\""},
      {"cycle in the superior chain",
       kBase +
           "superior = \"cz.edu\"\n\n[[departments]]\nid = \"cz.edu\"\nname = \"长治市教育局\"\n"
           "region = \"140400\"\ndomains = [\"education\"]\nsuperior = \"cz.env\"\n",
       "superior = \"cz.edu\"", 0,
       "department \"cz.env\", field \"superior\": the superior chain cz.env → cz.edu → cz.env is "
       "a cycle"},
      {"own superior", kBase + "superior = \"cz.env\"\n", "superior = \"cz.env\"", 0,
       "department \"cz.env\", field \"superior\": a department cannot be its own superior"},
      {"vertical department without superior", kBase + "vertical = true\n", "id = \"cz.env\"", -1,
       "department \"cz.env\", field \"superior\": missing; a vertically managed department"},
      {"vertical superior not above", kBase + "vertical = true\nsuperior = \"cz.gov\"\n",
       "superior = \"cz.gov\"", 0,
       "department \"cz.env\", field \"superior\": \"cz.gov\" (长治市人民政府) is at the "
       "prefecture "
       "level, not above"},
      {"level that does not match the region", kBase + "level = \"county\"\n", "level = \"county\"",
       0,
       "department \"cz.env\", field \"level\": \"county\" does not match the region 140400 "
       "(长治市), which is prefecture"},
      {"unknown field", kBase + "domian = [\"x\"]\n", "domian", 0,
       "department \"cz.env\", field \"domian\": is not known; a department has id, name"},
      {"unknown kind", Replace(kBase, "kind = \"propaganda\"", "kind = \"bureau\""),
       "kind = \"bureau\"", 0,
       "department \"cz.propaganda\", field \"kind\": \"bureau\" is not one of government, "
       "general_office, propaganda, functional"},
      {"second general office",
       kBase + "\n[[departments]]\nid = \"cz.office2\"\nname = \"长治市政府办\"\n"
               "region = \"140400\"\nkind = \"general_office\" # again\n",
       "# again", 0,
       "department \"cz.office2\", field \"kind\": region 140400 (长治市) already has a "
       "general_office department, \"cz.office\""},
      {"functional department without domains", Replace(kBase, env_tail, "domains = []\n"),
       "domains = []", 0,
       "department \"cz.env\", field \"domains\": a functional department needs the domains"},
      {"missing name", Replace(kBase, "name = \"长治市生态环境局\"\n", ""), "id = \"cz.env\"", -1,
       "department \"cz.env\", field \"name\": is missing or empty"},
      {"region of the wrong type",
       Replace(kBase, "region = \"140400\"\ndomains", "region = 140400\ndomains"),
       "region = 140400\n", 0, "department \"cz.env\", field \"region\": 140400 is not a string"},
      {"two principal leaders",
       Replace(kBase, "kind = \"government\"\n",
               "kind = \"government\"\n[[departments.leaders]]\nrole = \"principal\"\n"
               "name = \"市长（示例）\"\n[[departments.leaders]]\nrole = \"principal\" # again\n"
               "name = \"另一位（示例）\"\n"),
       "# again", 0,
       "department \"cz.gov\", field \"leaders[1].role\": a department has one principal leader"},
      {"unknown leader role",
       Replace(kBase, "kind = \"government\"\n",
               "kind = \"government\"\n[[departments.leaders]]\nrole = \"boss\"\n"
               "name = \"市长（示例）\"\n"),
       "role = \"boss\"", 0,
       "department \"cz.gov\", field \"leaders[0].role\": \"boss\" is not principal or in_charge"},
      {"unknown grade in the routing table", kBase + "\n[routing.grades.V]\nlevel = \"county\"\n",
       "[routing.grades.V]", 0, "field \"routing.grades.V\": is not a grade"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::string msg = ErrorOf(c.doc);
    int line = LineOf(c.doc, c.needle);
    ASSERT_GT(line, 0) << c.needle;
    std::string expected = fmt::format("line {}, {}", line + c.line_offset, c.message);
    EXPECT_NE(msg.find(expected), std::string::npos)
        << "got:      " << msg << "\nexpected: " << expected;
  }
}

TEST(OrganisationTest, ASyntaxErrorNamesLineAndColumn) {
  std::string msg = ErrorOf(kBase + "name = \"unterminated\n");
  EXPECT_NE(msg.find(fmt::format("line {}, column", LineOf(kBase, "domains") + 1)),
            std::string::npos)
      << msg;
}

TEST(OrganisationTest, EveryProblemIsReportedNotOnlyTheFirst) {
  std::string doc = Replace(kBase, "region = \"140400\"\ndomains", "region = \"149999\"\ndomains");
  doc += "superior = \"cz.nothing\"\n";
  std::string msg = ErrorOf(doc);
  EXPECT_NE(msg.find("\"149999\" is not a known region"), std::string::npos) << msg;
  EXPECT_NE(msg.find("\"cz.nothing\" is not the id"), std::string::npos) << msg;
}

TEST(OrganisationTest, ARegionWithoutItsOfficeOrPropagandaIsAWarningNotAnError) {
  std::string doc = kBase +
                    "\n[[departments]]\nid = \"lc.edu\"\nname = \"潞城区教育局\"\n"
                    "region = \"140406\"\ndomains = [\"education\"]\n";
  auto o = OrganisationFromToml(doc, *ShippedRegions());
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  std::string all;
  for (const auto& w : o->warnings) all += w + "\n";
  EXPECT_NE(all.find("region 140406 (潞城区) has no government"), std::string::npos) << all;
  EXPECT_NE(all.find("region 140406 (潞城区) has no general office"), std::string::npos) << all;
  EXPECT_NE(all.find("region 140406 (潞城区) has no propaganda department"), std::string::npos)
      << all;
}

TEST(OrganisationTest, JsonErrorsNameThePath) {
  auto doc = OrganisationToJsonValue(OrganisationFromToml(kBase, *ShippedRegions())->organisation);
  doc["departments"][3]["region"] = "149999";
  auto o = OrganisationFromJsonValue(doc, *ShippedRegions());
  ASSERT_FALSE(o.ok());
  EXPECT_NE(o.status().message().find("field \"departments[3].region\" (department \"cz.env\"): "
                                      "\"149999\" is not a known region"),
            std::string::npos)
      << o.status().message();

  doc["departments"][3]["region"] = "140400";
  doc["departments"][3]["level"] = "county";
  o = OrganisationFromJsonValue(doc, *ShippedRegions());
  ASSERT_FALSE(o.ok());
  EXPECT_NE(o.status().message().find("field \"departments[3].level\""), std::string::npos)
      << o.status().message();

  auto bad = OrganisationFromJson("{\"departments\": [", *ShippedRegions());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("not valid JSON"), std::string::npos);
}

TEST(OrganisationTest, TheShippedExampleRoundTripsThroughCanonicalJson) {
  auto loaded = LoadOrganisationFile(ChangzhiPath(), *ShippedRegions());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_TRUE(loaded->warnings.empty()) << loaded->warnings.front();
  std::string json_text = OrganisationToJson(loaded->organisation);
  auto back = OrganisationFromJson(json_text, *ShippedRegions());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(OrganisationToJson(back->organisation), json_text);
  ASSERT_EQ(back->organisation.departments.size(), loaded->organisation.departments.size());
  EXPECT_EQ(back->organisation.routing, loaded->organisation.routing);
  const auto& a = loaded->organisation.departments;
  const auto& b = back->organisation.departments;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_EQ(a[i].aliases, b[i].aliases);
    EXPECT_EQ(a[i].level, b[i].level);
    EXPECT_EQ(a[i].domains, b[i].domains);
    EXPECT_EQ(a[i].superior, b[i].superior);
    EXPECT_EQ(a[i].vertical, b[i].vertical);
    EXPECT_EQ(a[i].leaders.size(), b[i].leaders.size());
    EXPECT_EQ(a[i].duty.phone, b[i].duty.phone);
  }
}

TEST(OrganisationTest, TheShippedExampleCoversEveryCountyOfChangzhi) {
  auto loaded = LoadOrganisationFile(ChangzhiPath(), *ShippedRegions());
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const auto& tree = *ShippedRegions();
  const model::Domain required[] = {
      model::Domain::kEnvironment,    model::Domain::kEmergency,
      model::Domain::kHealth,         model::Domain::kEducation,
      model::Domain::kHousing,        model::Domain::kTransport,
      model::Domain::kPublicSecurity, model::Domain::kMarketSupervision,
      model::Domain::kEmployment,     model::Domain::kCivilAffairs,
      model::Domain::kAgriculture,    model::Domain::kNaturalResources,
      model::Domain::kCultureTourism};
  int counties = 0;
  for (size_t i = 0; i < tree.size(); ++i) {
    const auto& r = tree.at(static_cast<int>(i));
    if (r.parent != tree.IndexOf("140400")) continue;
    ++counties;
    std::set<std::string> kinds;
    std::set<model::Domain> domains;
    for (const auto& d : loaded->organisation.departments) {
      if (d.region != r.code) continue;
      kinds.insert(std::string(model::DepartmentKindName(d.kind)));
      domains.insert(d.domains.begin(), d.domains.end());
    }
    EXPECT_EQ(kinds,
              (std::set<std::string>{"government", "general_office", "propaganda", "functional"}))
        << r.name;
    for (auto d : required) EXPECT_TRUE(domains.count(d)) << r.name << " " << model::DomainName(d);
  }
  EXPECT_EQ(counties, 12);
  // People are placeholders, never real names; phone numbers are all zeros.
  for (const auto& d : loaded->organisation.departments) {
    for (const auto& l : d.leaders) EXPECT_NE(l.name.find("（示例"), std::string::npos) << l.name;
    for (const auto* phone : {&d.duty.phone, &d.spokesperson.phone}) {
      EXPECT_EQ(phone->find_first_of("123456789", phone->find('-')), std::string::npos)
          << d.id << " " << *phone;
    }
  }
}

TEST(OrganisationTest, UpsertReplacesInPlaceOrAppendsAndValidates) {
  auto base = OrganisationFromToml(kBase, *ShippedRegions());
  ASSERT_TRUE(base.ok());
  auto dept = DepartmentFromJson(json::parse(
      R"({"id": "cz.edu", "name": "长治市教育局", "region": "140400", "domains": ["education"]})"));
  ASSERT_TRUE(dept.ok()) << dept.status().ToString();
  auto added = UpsertDepartment(base->organisation, *dept, *ShippedRegions());
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  ASSERT_EQ(added->organisation.departments.size(), 5u);
  EXPECT_EQ(added->organisation.departments[4].level, model::RegionLevel::kPrefecture);

  model::Department env = base->organisation.departments[3];
  env.aliases = {"长治市环保局"};
  auto replaced = UpsertDepartment(base->organisation, env, *ShippedRegions());
  ASSERT_TRUE(replaced.ok());
  ASSERT_EQ(replaced->organisation.departments.size(), 4u);
  EXPECT_EQ(replaced->organisation.departments[3].aliases, env.aliases);

  env.region = "149999";
  auto refused = UpsertDepartment(base->organisation, env, *ShippedRegions());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find(
                "department \"cz.env\", field \"region\": \"149999\" is not a known region"),
            std::string::npos)
      << refused.status().message();
  // The value passed in is untouched.
  EXPECT_EQ(base->organisation.departments[3].region, "140400");
}

TEST(OrganisationTest, DepartmentJsonErrorsNameTheField) {
  auto d = DepartmentFromJson(json::parse(R"({"id": "cz.x", "name": "x", "region": "140400",
                                              "domains": ["weather"]})"));
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("department \"cz.x\", field \"domains[0]\": \"weather\""),
            std::string::npos)
      << d.status().message();
}

TEST(OrganisationTest, RemoveRefusesToOrphanADepartment) {
  std::string doc = kBase +
                    "\n[[departments]]\nid = \"lc.env\"\nname = \"长治市生态环境局潞城分局\"\n"
                    "region = \"140406\"\ndomains = [\"environment\"]\nsuperior = "
                    "\"cz.env\"\nvertical = true\n";
  auto o = OrganisationFromToml(doc, *ShippedRegions());
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  auto refused = RemoveDepartment(o->organisation, "cz.env", *ShippedRegions());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("\"cz.env\" is the superior of \"lc.env\""),
            std::string::npos);
  auto unknown = RemoveDepartment(o->organisation, "cz.nothing", *ShippedRegions());
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  auto removed = RemoveDepartment(o->organisation, "lc.env", *ShippedRegions());
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed->organisation.departments.size(), 4u);
}

TEST(OrganisationTest, TheRoutingTableReadsFromTomlAndJson) {
  auto config = RoutingConfigFromToml("[grades.IV]\nlevel = \"prefecture\"\n");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->grades[3].level, model::RegionLevel::kPrefecture);
  EXPECT_EQ(config->grades[0], model::RoutingConfig().grades[0]);  // the rest keep defaults

  auto bad = RoutingConfigFromToml("\n[grades.I]\nlevel = \"town\"\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(
                "line 3, field \"grades.I.level\": \"town\" is not national, province"),
            std::string::npos)
      << bad.status().message();

  auto from_json = RoutingConfigFromJson(RoutingConfigToJson(*config));
  ASSERT_TRUE(from_json.ok());
  EXPECT_EQ(*from_json, *config);
  auto bad_json = RoutingConfigFromJson(json::parse(R"({"grades": {"II": {"press": true}}})"));
  ASSERT_FALSE(bad_json.ok());
  EXPECT_NE(bad_json.status().message().find("field \"grades.II.press\": is not known"),
            std::string::npos)
      << bad_json.status().message();
}

}  // namespace
}  // namespace yuqing::org

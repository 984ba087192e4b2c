// The case document's decoding: lenient about what is missing, exact about what is wrong.
// (The exact round trip of a full case is in the conformance suite, cases_store_conformance.h.)
#include "store/case_codec.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/time.h"

namespace yuqing::store {
namespace {

using nlohmann::json;

core::TimePoint At(const char* iso) { return *core::ParseIso8601(iso); }

TEST(CaseCodecTest, MissingFieldsKeepTheirDefaults) {
  auto c =
      DecodeCase(R"({"id":3,"title":"甲","state":"judged","policy":{"respond_within_minutes":60},
                         "assignments":[{"department_id":"cz-yjj"}],"closed_at":null})");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->id, 3);
  EXPECT_EQ(c->title, "甲");
  EXPECT_EQ(c->state, model::CaseState::kJudged);
  EXPECT_EQ(c->grade, 4);
  EXPECT_EQ(c->policy.respond_within, std::chrono::minutes(60));
  EXPECT_EQ(c->policy.press_within, std::chrono::minutes(24 * 60));
  EXPECT_EQ(c->policy.time_zone, "Asia/Shanghai");
  ASSERT_EQ(c->assignments.size(), 1u);
  EXPECT_EQ(c->assignments[0].role, model::AssignmentRole::kMain);
  EXPECT_FALSE(c->assignments[0].accepted_at.has_value());
  EXPECT_FALSE(c->closed_at.has_value());
  EXPECT_FALSE(c->petitioner.has_value());
  auto empty = DecodeCase("{}");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->state, model::CaseState::kNew);
}

TEST(CaseCodecTest, WrongTypesNameTheField) {
  struct Case {
    const char* doc;
    const char* message;
  };
  const Case kCases[] = {
      {R"({"grade":"II"})", "case document: field \"grade\": expected an integer, got string"},
      {R"({"grade":4000000000})", "case document: field \"grade\": 4000000000 is out of range"},
      {R"({"state":"done"})", "case document: field \"state\": \"done\" is not a case state"},
      {R"({"created_at":"2026-11-21"})",
       "case document: field \"created_at\": expected an integer (ms since the epoch), got "
       "string"},
      {R"({"assignments":[{},{"accepted_at":1.5}]})",
       "case document: field \"assignments[1].accepted_at\": expected an integer (ms since the "
       "epoch), got number"},
      {R"({"responses":[{"figures":{"deaths":"3"}}]})",
       "case document: field \"responses[0].figures.deaths\": expected an integer, got string"},
      {R"({"sweep_marks":["a",2]})",
       "case document: field \"sweep_marks[1]\": expected a string, got number"},
      {R"({"policy":{"respond_within_minutes":true}})",
       "case document: field \"policy.respond_within_minutes\": expected an integer (minutes), got "
       "boolean"},
      {R"({"petitioner":[]})",
       "case document: field \"petitioner\": expected an object, got array"},
      {R"({"merged_from":{}})",
       "case document: field \"merged_from\": expected an array, got object"},
      {R"({"resolved":1})",
       "case document: field \"resolved\": expected true or false, got number"},
      {R"({"id":18446744073709551615})",
       "case document: field \"id\": expected an integer, got number"},
      {R"([1,2])", "case document is a JSON array, not an object"},
  };
  for (const auto& c : kCases) {
    auto r = DecodeCase(c.doc);
    ASSERT_FALSE(r.ok()) << c.doc;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << c.doc;
    EXPECT_EQ(r.status().message(), c.message) << c.doc;
  }
  auto bad = DecodeCase(R"({"title":)");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message().rfind("case document is not valid JSON: ", 0), 0u)
      << bad.status().message();
}

TEST(CaseCodecTest, TheDocumentIsReadableJsonWithTimesInMilliseconds) {
  model::Case c;
  c.state = model::CaseState::kFollowingUp;
  c.origin = model::CaseOrigin::kHotline;
  c.created_at = At("2026-11-21T08:30:00.250+08:00");
  c.policy.respond_within = std::chrono::minutes(40 * 60);
  c.assignments.resize(2);
  c.assignments[1].role = model::AssignmentRole::kAssist;
  c.responses.resize(1);
  c.responses[0].channel = model::ResponseChannel::kWeibo;
  c.responses[0].status = model::ResponseStatus::kPublished;
  c.routing_json = R"({"rule": "emergency"})";
  json doc = json::parse(EncodeCase(c));
  EXPECT_EQ(doc["state"], "following_up");
  EXPECT_EQ(doc["origin"], "hotline");
  EXPECT_EQ(doc["created_at"], 1795221000250);
  EXPECT_EQ(doc["policy"]["respond_within_minutes"], 40 * 60);
  EXPECT_EQ(doc["assignments"][1]["role"], "assist");
  EXPECT_EQ(doc["responses"][0]["channel"], "weibo");
  EXPECT_EQ(doc["responses"][0]["status"], "published");
  EXPECT_EQ(doc["routing_json"], c.routing_json);  // kept as text
  // An empty case leaves out empty lists and absent values, but writes the whole policy.
  json small = json::parse(EncodeCase(model::Case{}));
  EXPECT_FALSE(small.contains("assignments"));
  EXPECT_FALSE(small.contains("closed_at"));
  EXPECT_FALSE(small.contains("petitioner"));
  EXPECT_EQ(small["policy"].size(), 14u);
}

TEST(CaseCodecTest, RiskAssessmentsRoundTrip) {
  model::RiskAssessment a;
  a.id = 4;
  a.title = "水价调整";
  a.region = "140402";
  a.department_id = "cz-fgw";
  a.decision = "上调";
  a.risk_level = 1;
  a.risks = "投诉";
  a.plan = "听证";
  a.keywords = {"水价"};
  a.event_ids = {12};
  a.created_by = "li";
  a.created_at = At("2026-11-01T09:00:00+08:00");
  a.updated_at = At("2026-11-02T09:00:00+08:00");
  auto b = DecodeRiskAssessment(EncodeRiskAssessment(a));
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->id, a.id);
  EXPECT_EQ(b->title, a.title);
  EXPECT_EQ(b->region, a.region);
  EXPECT_EQ(b->department_id, a.department_id);
  EXPECT_EQ(b->decision, a.decision);
  EXPECT_EQ(b->risk_level, a.risk_level);
  EXPECT_EQ(b->risks, a.risks);
  EXPECT_EQ(b->plan, a.plan);
  EXPECT_EQ(b->keywords, a.keywords);
  EXPECT_EQ(b->event_ids, a.event_ids);
  EXPECT_EQ(b->created_by, a.created_by);
  EXPECT_EQ(b->created_at, a.created_at);
  EXPECT_EQ(b->updated_at, a.updated_at);
  EXPECT_EQ(DecodeRiskAssessment(R"({"risk_level":"high"})").status().message(),
            "risk assessment document: field \"risk_level\": expected an integer, got string");
}

}  // namespace
}  // namespace yuqing::store

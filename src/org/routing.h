// Responsibility routing (docs/organisation.md "How routing decides"): who must answer for an
// event, who coordinates, which leader leads, who is involved and who releases the response —
// each decision with the rule that produced it, in Chinese and English. The rules are those of
// State Council Notice No. 61 (属地管理、分级负责、谁主管谁负责) and the analysis of
// responsible, involved and responding bodies in seed 001 §8.
//
// A Router is built once per organisation (indexes by id, region, domain and name) and is
// immutable: Route() is a pure function of the input, safe from many threads at once. It
// shares the region tree; the organisation is copied in.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "model/analysis.h"
#include "model/org.h"
#include "org/region_tree.h"

namespace yuqing::org {

// The five kinds of government public opinion that must get a response (DOMAIN.md §3 a–e).
enum class KeyResponseKind {
  kPolicyMisreading,  // (a)
  kVitalInterests,    // (b)
  kMoralBottomLine,   // (c)
  kEmergency,         // (d)
  kSuperiorRequest,   // (e) a superior government asked for a response
};
// "policy_misreading", "vital_interests", "moral_bottom_line", "emergency", "superior_request"
std::string_view KeyResponseKindName(KeyResponseKind kind);
// The names above or the letters "a".."e".
std::optional<KeyResponseKind> ParseKeyResponseKind(std::string_view name);
KeyResponseKind FromResponseKind(model::ResponseKind kind);

struct RoutingInput {
  std::vector<std::string> regions;    // GB/T 2260 codes where the event happens; at least one
  std::vector<model::Domain> domains;  // the first is the main one (it names the lead)
  int grade = 4;                       // 1 = I 特别重大 … 4 = IV 一般
  std::vector<KeyResponseKind> kinds;
  bool national_policy = false;     // concerns a major policy of the State Council
  std::vector<std::string> bodies;  // bodies the opinion names: department ids or names as
                                    // written in the text (长治市生态环境局, 市环保局)
  std::string requested_by;         // (e): the superior that asked, id or name
};

// Why: a rule id ("territorial", "graded_level", "national_policy", "vertical",
// "multi_locality", "multi_department", "particularly_serious", "leader_in_charge",
// "superior_request", "named_body", "conflict_of_interest") and the reason in words.
struct Reason {
  std::string rule;
  std::string zh;
  std::string en;
};

struct Party {
  std::string id;  // the department's id (a leader's: the government's)
  std::string name;
  std::string region;
  std::string region_name;
  model::RegionLevel level = model::RegionLevel::kCounty;
  // A domain name for a functional department (the domain it answers for here),
  // "general_office", "propaganda" or "government" (also for a leader).
  std::string kind;
  // first_responsible, lead, territorial, co_responding, coordinator, vertical_coordinator,
  // principal_leader, leader_in_charge, informed, requester, involved, responding
  std::string role;
  std::string person;  // a leader's or spokesperson's name, when there is one
  std::string phone;   // the 24-hour duty phone, or the leader's phone
  Reason reason;
};

// A body that would judge or answer for itself, or another mismatch of seed 001 §8.
struct Conflict {
  // same_body, responsible_is_involved, ceiling, involved_responds_below, several_involved
  std::string kind;
  std::string id;  // the involved department
  std::string name;
  Reason reason;             // rule "conflict_of_interest"; says what and the suggested fix
  std::string suggested_id;  // who should take the lead (and review the response) instead
  std::string suggested_name;
};

struct Routing {
  model::RegionLevel handling_level = model::RegionLevel::kCounty;
  std::string handling_region;  // GB/T code; "000000" for the nation
  std::string handling_region_name;
  std::vector<Reason> handling_reasons;  // why this level and region

  // Responsible (责任主体): who must answer.
  std::vector<Party> first_responsible;
  std::optional<Party> lead;          // several departments: the one that leads
  std::vector<Party> co_responding;   // localities responding territorially, and others
  std::vector<Party> coordinators;    // general office + propaganda, superior's office
  std::vector<Party> leaders;         // principal leader, leaders in charge
  std::vector<Party> informed;        // told, not answering (State Council at grade I)
  std::optional<Party> requested_by;  // (e) the superior that asked
  // Involved (涉事主体): the bodies the opinion is about.
  std::vector<Party> involved;
  // Responding (回应主体): who releases the response.
  std::vector<Party> responding;
  std::vector<Conflict> conflicts;
  std::vector<Reason> notes;  // unresolved names, missing contacts, assumptions
};

class Router {
 public:
  // Validates `organisation` (ValidateOrganisation) and indexes it; InvalidArgument as there.
  static Result<Router> Create(model::Organisation organisation,
                               std::shared_ptr<const RegionTree> regions);

  // InvalidArgument for an input without regions, with an unknown region or a grade outside
  // 1..4. Names that match no department are not errors: they become notes.
  Result<Routing> Route(const RoutingInput& input) const;

  const model::Organisation& organisation() const { return org_; }
  const std::vector<std::string>& warnings() const { return warnings_; }
  // The department with `id`, or nullptr.
  const model::Department* Find(std::string_view id) const;

 private:
  struct RegionIndex {
    int government = -1;
    int general_office = -1;
    int propaganda = -1;
    std::vector<int> by_domain[model::kDomainCount];
  };
  struct NamePattern {
    std::string text;
    int dept = -1;
  };
  class Builder;
  friend class Builder;

  Router() = default;
  const RegionIndex* IndexAt(int region) const;
  int Singleton(int region, model::DepartmentKind kind) const;

  model::Organisation org_;
  std::shared_ptr<const RegionTree> regions_;
  std::vector<std::string> warnings_;
  std::unordered_map<std::string, int> by_id_;
  std::vector<int> dept_region_;  // tree index of each department's region
  std::unordered_map<int, RegionIndex> by_region_;
  std::unordered_map<std::string, std::vector<int>> exact_names_;
  std::vector<NamePattern> names_;    // full names and forms, longest first
  std::vector<NamePattern> generic_;  // names without the region (教育局), longest first
};

// The input as the CLI and API read it: {"regions": ["140406"], "domains": ["environment"],
// "grade": 2 | "II", "kinds": ["emergency"] | ["d"], "national_policy": false,
// "bodies": ["长治市生态环境局"], "requested_by": "cz.gov"}. Unknown fields are refused;
// errors name the field: `field "regions[1]": "14999" is not a GB/T 2260 code`.
Result<RoutingInput> RoutingInputFromJson(const nlohmann::json& body);
Result<RoutingInput> RoutingInputFromJson(std::string_view json_text);
nlohmann::json RoutingInputToJson(const RoutingInput& input);

// The routing as JSON (docs/organisation.md shows examples); empty person/phone are left out.
nlohmann::json RoutingToJson(const Routing& routing);

}  // namespace yuqing::org

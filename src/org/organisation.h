// Loading, validating, editing and writing the organisation (docs/organisation.md).
//
// The organisation is written by an office manager as TOML (data/org/changzhi.toml is the
// shipped example) and kept by the store as one canonical JSON document (OrganisationToJson).
// Both readers check every field and name the culprit:
//   TOML  `line 42, department "cz.env", field "region": "149999" is not a known region`
//   JSON  `field "departments[3].region" (department "cz.env"): "149999" is not a known region`
// Every problem found is reported (one per line, at most 20), not only the first.
//
// Refused (InvalidArgument): unknown fields, wrong types, a missing id/name/region, an unknown
// region, a level that does not match the region, unknown kinds/domains/leader roles, a
// functional department without a domain, duplicate ids or names, a second government,
// general office or propaganda department in one region, an unknown or self superior, a
// cycle in the superior chain, a vertical department without a superior or with a superior
// that is not at a higher level, two principal leaders in one department.
// Warned (the value is still returned): a region with departments but without its government,
// general office or propaganda department (routing then falls back, saying so), and an alias
// used by two departments (a text naming it stays unresolved).
//
// Pure functions of their arguments; the region tree is borrowed for the call only.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "model/org.h"
#include "org/region_tree.h"

namespace yuqing::org {

// A validated organisation (levels derived from the regions) and what deserves a look.
struct LoadedOrganisation {
  model::Organisation organisation;
  std::vector<std::string> warnings;
};

Result<LoadedOrganisation> OrganisationFromToml(std::string_view toml_text,
                                                const RegionTree& regions);
Result<LoadedOrganisation> OrganisationFromJson(std::string_view json_text,
                                                const RegionTree& regions);
Result<LoadedOrganisation> OrganisationFromJsonValue(const nlohmann::json& json,
                                                     const RegionTree& regions);
// Reads a .toml or .json file (by extension); NotFound when it cannot be read, and the
// path in front of every other error.
Result<LoadedOrganisation> LoadOrganisationFile(const std::string& path, const RegionTree& regions);

// Checks a value built in code (or edited) and derives each department's level. Problems are
// named `department "cz.env", field "region": …`.
Result<LoadedOrganisation> ValidateOrganisation(model::Organisation organisation,
                                                const RegionTree& regions);

// The canonical JSON document: fixed key order, every field written, departments in their
// order. OrganisationFromJson(OrganisationToJson(o)) gives `o` back.
std::string OrganisationToJson(const model::Organisation& organisation);
nlohmann::json OrganisationToJsonValue(const model::Organisation& organisation);

// One department as the editing API reads and writes it (the same shape as an element of
// "departments"; "level" may be left out). Problems are named `field "region": …`.
Result<model::Department> DepartmentFromJson(const nlohmann::json& json);
nlohmann::json DepartmentToJson(const model::Department& department);

// The grade → level table ("routing" in the document), defaults for what is left out.
Result<model::RoutingConfig> RoutingConfigFromJson(const nlohmann::json& json);
Result<model::RoutingConfig> RoutingConfigFromToml(std::string_view toml_text);
nlohmann::json RoutingConfigToJson(const model::RoutingConfig& config);

// Editing: the validated new organisation, or why the change is refused. Upsert replaces the
// department with the same id in place or appends it. Remove refuses (FailedPrecondition) to
// remove a department another one names as its superior, and NotFound for an unknown id.
Result<LoadedOrganisation> UpsertDepartment(const model::Organisation& organisation,
                                            model::Department department,
                                            const RegionTree& regions);
Result<LoadedOrganisation> RemoveDepartment(const model::Organisation& organisation,
                                            std::string_view id, const RegionTree& regions);

// "I", "II", "III", "IV" for 1..4 ("?" otherwise); ParseGrade reads 1..4 or "I".."IV".
std::string_view GradeRoman(int grade);
std::optional<int> ParseGrade(const nlohmann::json& value);

}  // namespace yuqing::org

// A case (工单): one incident the responsible bodies must answer, in time and with substance,
// round after round until it is solved, then checked and assessed (docs/cases.md). Plain
// values: the cases module decides every change (state machine, clocks, supervision,
// assessment), the store keeps the current case whole plus its append-only log.
//
// All times are UTC in event time (the injected clock); they are shown in the case policy's
// time zone (Asia/Shanghai by default).
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace yuqing::model {

// The lifecycle (docs/cases.md "States"). The order is the order of a normal case.
enum class CaseState {
  kNew,          // 新建: opened, not yet judged
  kJudged,       // 已研判: nature and grade set, waiting for assignment (or returned)
  kAssigned,     // 已交办: sent to a main department, not yet accepted
  kAccepted,     // 已签收: the main department took it
  kResponding,   // 回应中: a response is being drafted or reviewed
  kResponded,    // 已回应: at least one response published
  kFollowingUp,  // 跟进中: further releases, offline disposal, until solved
  kClosed,       // 已办结: solved or ended, evaluation drafted
  kEvaluated,    // 已评估: the post-event evaluation is final
};
inline constexpr int kCaseStateCount = 9;
inline constexpr std::string_view kCaseStateNames[kCaseStateCount] = {
    "new",       "judged",       "assigned", "accepted", "responding",
    "responded", "following_up", "closed",   "evaluated"};
inline constexpr std::string_view kCaseStateNamesZh[kCaseStateCount] = {
    "新建", "已研判", "已交办", "已签收", "回应中", "已回应", "跟进中", "已办结", "已评估"};
inline std::string_view CaseStateName(CaseState s) { return kCaseStateNames[static_cast<int>(s)]; }
inline std::string_view CaseStateNameZh(CaseState s) {
  return kCaseStateNamesZh[static_cast<int>(s)];
}
inline std::optional<CaseState> ParseCaseState(std::string_view s) {
  for (int i = 0; i < kCaseStateCount; ++i) {
    if (kCaseStateNames[i] == s) return static_cast<CaseState>(i);
  }
  return std::nullopt;
}
// Closed and evaluated cases are no longer worked (reopen brings them back).
inline bool CaseIsOpen(CaseState s) {
  return s != CaseState::kClosed && s != CaseState::kEvaluated;
}

enum class CaseOrigin {
  kEvent,    // from an event (by hand or by an alert policy)
  kHotline,  // a 12345 hotline record: a reply to the caller is due
  kMailbox,  // 领导信箱 / 留言板: a reply to the writer is due
  kManual,   // opened by hand without an event
};
inline constexpr std::string_view kCaseOriginNames[] = {"event", "hotline", "mailbox", "manual"};
inline std::string_view CaseOriginName(CaseOrigin o) {
  return kCaseOriginNames[static_cast<int>(o)];
}
inline std::optional<CaseOrigin> ParseCaseOrigin(std::string_view s) {
  for (int i = 0; i < 4; ++i) {
    if (kCaseOriginNames[i] == s) return static_cast<CaseOrigin>(i);
  }
  return std::nullopt;
}
inline bool HasPetitioner(CaseOrigin o) {
  return o == CaseOrigin::kHotline || o == CaseOrigin::kMailbox;
}

// One clock per obligation (DOMAIN.md §6, docs/cases.md "Deadlines").
enum class Obligation {
  kPress,         // grade I/II: a press conference or briefing within 24 h
  kRespond,       // every other case: a response within 48 h
  kFirstRelease,  // optional: a first authoritative release within 5 h
  kReply,         // hotline and mailbox: the reply to the person
  kResolve,       // 办结: the case solved and closed (extendable)
  kAccept,        // 签收: the main department accepts the assignment
};
inline constexpr int kObligationCount = 6;
inline constexpr std::string_view kObligationNames[kObligationCount] = {
    "press", "respond", "first_release", "reply", "resolve", "accept"};
inline constexpr std::string_view kObligationNamesZh[kObligationCount] = {
    "新闻发布会或情况通报", "回应", "首次权威发布", "答复来信来电人", "办结", "签收"};
inline std::string_view ObligationName(Obligation o) {
  return kObligationNames[static_cast<int>(o)];
}
inline std::string_view ObligationNameZh(Obligation o) {
  return kObligationNamesZh[static_cast<int>(o)];
}
inline std::optional<Obligation> ParseObligation(std::string_view s) {
  for (int i = 0; i < kObligationCount; ++i) {
    if (kObligationNames[i] == s) return static_cast<Obligation>(i);
  }
  return std::nullopt;
}

// The deadline policy a case carries (docs/cases.md "Deadline policy"). Parsed and checked by
// cases::ParsePolicy; the case keeps its own copy, so a changed policy is a recorded change.
struct CasePolicy {
  std::string name = "default";
  std::chrono::minutes press_within{24 * 60};    // grade I/II (2016 rules: 24 h at the latest)
  std::chrono::minutes respond_within{48 * 60};  // other government opinion: 48 h
  bool first_release = false;                    // the 5-hour first release is required
  std::chrono::minutes first_release_within{5 * 60};
  std::chrono::minutes reply_within{72 * 60};         // hotline and mailbox cases
  std::chrono::minutes resolve_within{15 * 24 * 60};  // 办结
  std::chrono::minutes accept_within{2 * 60};         // 签收 after each assignment
  // A reminder (催办) when this share of an obligation's window has passed (0.75: 18 h into
  // 24 h, 36 h into 48 h).
  double remind_at = 0.75;
  // Still overdue this long after a supervision item opened: a notice of criticism (通报) is
  // proposed to the coordinator.
  std::chrono::minutes criticise_after{24 * 60};
  // While the event stays hot after a response: "keep releasing" reminders this often.
  std::chrono::minutes keep_releasing_every{24 * 60};
  double hot_heat = 40;  // event heat at or above which the event counts as hot
  // Silence after the last response while hot this long is "passive coping".
  std::chrono::minutes passive_after{48 * 60};
  std::string time_zone = "Asia/Shanghai";  // what deadlines are shown in
  bool operator==(const CasePolicy&) const = default;
};

// Who worked on the case in which role. Assignments are never deleted: a reassignment ends
// one and starts another, so the assessment can count returns and bounces.
enum class AssignmentRole { kMain, kAssist };  // 主办, 协办
struct Assignment {
  std::string department_id;
  AssignmentRole role = AssignmentRole::kMain;
  core::TimePoint assigned_at{};
  std::string assigned_by;
  std::optional<core::TimePoint> accepted_at;
  std::string accepted_by;
  std::optional<core::TimePoint> ended_at;  // reassigned, returned, dispute upheld
  std::string end_reason;                   // "returned", "reassigned", "dispute", "merged"
  std::string note;                         // the reason given
  bool active() const { return !ended_at.has_value(); }
};

// A dispute of an assignment (派单异议), decided by the coordinator.
struct Dispute {
  int id = 0;
  std::string department_id;
  std::string raised_by;
  core::TimePoint raised_at{};
  std::string reason;
  std::string suggested_department;  // who should have it, in the disputing unit's view
  std::optional<core::TimePoint> decided_at;
  std::string decided_by;
  bool upheld = false;  // true: the assignment moved; false: it stays
  std::string decision;
};

// A recorded hand-over between levels: 下发 / 交办 (down) or 上报 (up).
struct Handover {
  core::TimePoint at{};
  std::string by;
  std::string direction;      // "down" or "up"
  std::string from_region;    // the handling region before
  std::string to_region;      // and after
  std::string department_id;  // the receiving department ("" when reported up to an office)
  std::string reason;
};

enum class ResponseChannel {
  kPressConference,  // 新闻发布会
  kBriefing,         // 情况通报 / 新闻通气会
  kRelease,          // 权威信息发布
  kWeibo,            // 政务微博
  kWeChat,           // 政务微信
  kWebsite,          // 政府网站
  kInterview,        // 媒体采访
  kExpert,           // 专家解读
};
inline constexpr int kResponseChannelCount = 8;
inline constexpr std::string_view kResponseChannelNames[kResponseChannelCount] = {
    "press_conference", "briefing", "release", "weibo", "wechat", "website", "interview", "expert"};
inline constexpr std::string_view kResponseChannelNamesZh[kResponseChannelCount] = {
    "新闻发布会", "情况通报", "权威发布", "政务微博",
    "政务微信",   "政府网站", "媒体采访", "专家解读"};
inline std::string_view ResponseChannelName(ResponseChannel c) {
  return kResponseChannelNames[static_cast<int>(c)];
}
inline std::optional<ResponseChannel> ParseResponseChannel(std::string_view s) {
  for (int i = 0; i < kResponseChannelCount; ++i) {
    if (kResponseChannelNames[i] == s) return static_cast<ResponseChannel>(i);
  }
  return std::nullopt;
}
// Press conferences and briefings meet the 24-hour obligation of grade I/II events.
inline bool IsPressChannel(ResponseChannel c) {
  return c == ResponseChannel::kPressConference || c == ResponseChannel::kBriefing;
}

enum class ResponseStatus { kDraft, kPublished, kRejected };
inline std::string_view ResponseStatusName(ResponseStatus s) {
  return s == ResponseStatus::kDraft       ? "draft"
         : s == ResponseStatus::kPublished ? "published"
                                           : "rejected";
}

// Figures a response states (casualties, losses, dates), compared across departments.
struct StatedFigures {
  std::optional<int64_t> deaths;
  std::optional<int64_t> injured;
  std::optional<int64_t> missing;
  std::optional<double> loss_yuan;
  bool empty() const { return !deaths && !injured && !missing && !loss_yuan; }
  bool operator==(const StatedFigures&) const = default;
};

struct Response {
  int id = 0;  // 1, 2, … within the case
  std::string department_id;
  ResponseChannel channel = ResponseChannel::kRelease;
  std::string speaker;  // who speaks: the responsible head, the spokesperson
  std::string text;
  std::vector<std::string> attachments;  // references: URLs, document numbers, file names
  std::string author;                    // user name of the drafter
  core::TimePoint drafted_at{};
  ResponseStatus status = ResponseStatus::kDraft;
  std::string reviewed_by;  // the approving (or rejecting) leader
  std::optional<core::TimePoint> reviewed_at;
  std::string review_note;
  std::optional<core::TimePoint> published_at;  // set on approval
  int round = 0;                                // the round it answers (set on approval)
  StatedFigures figures;                        // extracted from the text when drafted
};

// "response → evolution → new response" (001 §8): round 1 opens with the case.
struct Round {
  int number = 1;
  core::TimePoint opened_at{};
  std::string opened_by;
  std::string reason;  // what changed in public opinion
};

// Offline disposal (线下处置): online problems are solved offline.
struct Task {
  int id = 0;
  std::string title;
  std::string owner_department;
  std::string owner;  // a person, as written
  std::optional<core::TimePoint> due_at;
  core::TimePoint created_at{};
  std::string created_by;
  std::optional<core::TimePoint> done_at;
  std::string result;
};

// 督办: opened by hand or by the sweep when an obligation is overdue.
struct Supervision {
  int id = 0;
  std::string obligation;  // "respond", "press" … ("" when opened by hand on something else)
  std::string department_id;
  std::string owner;  // who supervises
  core::TimePoint opened_at{};
  std::string opened_by;  // "system" for the sweep
  std::optional<core::TimePoint> due_at;
  std::string reason;
  std::optional<core::TimePoint> closed_at;
  std::string closed_by;
  std::string outcome;
};

// 通报批评, 约谈, 表扬. A criticism the sweep proposes waits for the coordinator.
enum class NoticeKind { kCriticism, kInterview, kCommendation };
inline constexpr std::string_view kNoticeKindNames[] = {"criticism", "interview", "commendation"};
inline std::string_view NoticeKindName(NoticeKind k) {
  return kNoticeKindNames[static_cast<int>(k)];
}
inline std::optional<NoticeKind> ParseNoticeKind(std::string_view s) {
  for (int i = 0; i < 3; ++i) {
    if (kNoticeKindNames[i] == s) return static_cast<NoticeKind>(i);
  }
  return std::nullopt;
}
struct Notice {
  int id = 0;
  NoticeKind kind = NoticeKind::kCriticism;
  std::string department_id;
  std::string text;
  core::TimePoint at{};
  std::string by;                 // "system" for a proposal by the sweep
  std::string status = "issued";  // "proposed", "issued", "dismissed"
  std::string decided_by;
  std::optional<core::TimePoint> decided_at;
};

// Rumour hand-over (辟谣 + 移交线索): one person judges, another approves (001 §8).
struct RumourDecision {
  int id = 0;
  std::string claim;
  std::vector<std::string> evidence;  // post ids ("source/external_id"), documents
  std::string hand_to;                // "public_security" or "cyberspace"
  std::string judged_by;
  core::TimePoint judged_at{};
  std::string judgment;            // why it is a rumour
  std::string status = "pending";  // "pending", "handed_over", "refused", "reversed"
  std::string approved_by;
  std::optional<core::TimePoint> approved_at;
  std::string reversed_by;
  std::optional<core::TimePoint> reversed_at;
  std::string reverse_reason;
};

// The reply to a hotline caller or a mailbox writer, and the follow-up call (回访).
struct PetitionerContact {
  std::string name;       // as the record gives it
  std::string contact;    // phone or address; shown only to those who handle the case
  std::string record_id;  // the hotline's or mailbox's own id
  std::optional<core::TimePoint> replied_at;
  std::string replied_by;
  std::string reply;
  std::optional<core::TimePoint> visited_at;  // 回访
  std::string satisfaction;  // "satisfied", "basically", "unsatisfied"; "" before the visit
};

// The post-event evaluation (总结评估, DOMAIN.md §12): facts pre-filled, reflections by people.
struct Evaluation {
  std::string facts_json;  // timeline, response times against deadlines, verdicts, heat curve
  std::string summary;     // crisis introduction and measures taken
  std::string reflections;
  std::string suggestions;
  std::string drafted_by;
  core::TimePoint drafted_at{};
  std::string finalised_by;
  std::optional<core::TimePoint> finalised_at;
};

struct Case {
  int64_t id = 0;       // assigned by the store
  int64_t version = 0;  // 1 when created, +1 per change
  std::string title;
  std::string description;
  CaseOrigin origin = CaseOrigin::kManual;
  int64_t event_id = 0;  // 0 when opened without an event
  CaseState state = CaseState::kNew;
  int grade = 4;                  // risk grade 1 (I) … 4 (IV)
  std::string nature;             // the key-response kind or the analyst's words
  std::string region;             // GB/T 2260 code the incident is in
  std::string handling_region;    // the level that handles it now (changes by hand-over)
  core::TimePoint detected_at{};  // the event's first alert, or the case's creation
  core::TimePoint created_at{};
  core::TimePoint updated_at{};
  std::string created_by;
  CasePolicy policy;
  std::vector<std::string> suggested_departments;  // the routing's handling departments
  std::string routing_json;  // the routing proposed when opened (org::RoutingToJson)
  std::vector<Assignment> assignments;
  std::vector<Dispute> disputes;
  std::vector<Handover> handovers;
  std::vector<Round> rounds;
  std::vector<Response> responses;
  std::vector<Task> tasks;
  std::vector<Supervision> supervision;
  std::vector<Notice> notices;
  std::vector<RumourDecision> rumours;
  std::optional<PetitionerContact> petitioner;
  std::vector<core::TimePoint> extensions;  // each granted extension of the resolve deadline
  std::chrono::minutes extended_by{0};      // their sum
  std::optional<Evaluation> evaluation;
  std::optional<core::TimePoint> closed_at;
  bool resolved = false;    // 已解决, as recorded on closing
  int reopened = 0;         // times reopened (重办)
  int64_t merged_into = 0;  // 0; else the case this duplicate was merged into
  std::vector<int64_t> merged_from;
  int64_t risk_assessment_id = 0;  // the pre-decision assessment this case arose around
  // What the sweep has done already, so it never repeats: "remind:respond", "overdue:press",
  // "criticise:respond", "keep:3" (the third keep-releasing reminder), …
  std::vector<std::string> sweep_marks;
  // The event as last seen by the case (heat and grade follow the event).
  double event_heat = 0;
  int event_grade = 0;
  // The earliest time the supervision ladder may have something to do (cases::NextSweepAt),
  // set whenever the case is written; nullopt: nothing until the case changes. The sweep reads
  // only the cases that are due, so its cost follows the work, not the number of open cases.
  std::optional<core::TimePoint> sweep_at;
};

// One line of a case's log: what happened, who did it, with the details (JSON object).
struct CaseLogEntry {
  int64_t seq = 0;  // per store, increasing
  int64_t case_id = 0;
  core::TimePoint at{};
  std::string actor;
  std::string action;      // "open", "judge", "assign", "accept", … (docs/cases.md)
  std::string from_state;  // state names; equal when the state did not change
  std::string to_state;
  std::string detail_json;  // "{}" when nothing more
};

// A record of a planned decision (重大决策社会稳定风险评估, DOMAIN.md §13) with its opinion
// risk, linked to the cases and events that later arise around it.
struct RiskAssessment {
  int64_t id = 0;
  std::string title;
  std::string region;
  std::string department_id;
  std::string decision;               // what is planned
  int risk_level = 3;                 // 1 high, 2 medium, 3 low
  std::string risks;                  // what may provoke opinion
  std::string plan;                   // the handling plan
  std::vector<std::string> keywords;  // for linking events
  std::vector<int64_t> event_ids;     // events later linked
  std::string created_by;
  core::TimePoint created_at{};
  core::TimePoint updated_at{};
};

}  // namespace yuqing::model

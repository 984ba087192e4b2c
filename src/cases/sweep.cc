#include "cases/sweep.h"

#include <fmt/format.h>

#include <algorithm>

#include "cases/deadlines.h"
#include "core/time.h"
#include "model/event.h"

namespace yuqing::cases {
namespace {

using json = nlohmann::json;
using model::Obligation;

bool Marked(const model::Case& c, std::string_view mark) {
  return std::find(c.sweep_marks.begin(), c.sweep_marks.end(), mark) != c.sweep_marks.end();
}

std::string Hours(std::chrono::milliseconds d) {
  double h = static_cast<double>(std::chrono::abs(d).count()) / 3600000.0;
  return fmt::format("{:.1f}", h);
}

struct Builder {
  const model::Case& before;
  model::Case c;
  core::TimePoint now;
  const SweepOptions& options;
  std::vector<model::CaseLogEntry> log;
  std::vector<model::NewAlert> notices;

  bool zh() const { return options.language != "en"; }

  void Log(std::string_view action, json detail) {
    model::CaseLogEntry e;
    e.case_id = c.id;
    e.at = now;
    e.actor = "system";
    e.action = std::string(action);
    e.from_state = std::string(model::CaseStateName(c.state));
    e.to_state = e.from_state;
    e.detail_json = detail.dump(-1, ' ', false, json::error_handler_t::replace);
    log.push_back(std::move(e));
  }

  void Notify(const std::string& mark, std::string_view kind, const std::string& title,
              const std::string& text, const Deadline* d) {
    model::NewAlert a;
    a.event_id = c.event_id;
    a.policy_id = 0;
    a.level = c.grade;
    a.created_at = now;
    a.title = title;
    json payload = {{"kind", "case_notice"},
                    {"notice", kind},
                    {"case_id", c.id},
                    {"case_title", c.title},
                    {"text", text}};
    if (d != nullptr) {
      payload["obligation"] = model::ObligationName(d->obligation);
      payload["due"] = FormatInZone(d->due, c.policy.time_zone);
    }
    a.payload_json = payload.dump(-1, ' ', false, json::error_handler_t::replace);
    a.targets = options.targets;
    a.language = zh() ? "zh" : "en";
    a.dedup_key = mark;
    notices.push_back(std::move(a));
  }

  std::string What(Obligation o) const {
    return zh() ? std::string(model::ObligationNameZh(o)) : std::string(model::ObligationName(o));
  }
  std::string MainDept() const {
    const model::Assignment* m = MainAssignment(c);
    return m ? m->department_id : "";
  }
};

}  // namespace

std::optional<Decision> Sweep(const model::Case& before, core::TimePoint now,
                              const SweepOptions& options) {
  if (before.merged_into != 0) return std::nullopt;
  const bool open = model::CaseIsOpen(before.state);
  if (!open && before.supervision.empty()) return std::nullopt;
  Builder b{before, before, now, options, {}, {}};
  model::Case& c = b.c;
  const auto deadlines = Deadlines(before, now);
  for (const Deadline& d : deadlines) {
    const std::string ob(model::ObligationName(d.obligation));
    // 4. An automatic supervision item closes once its obligation is met.
    if (d.met_at) {
      for (auto& s : c.supervision) {
        if (s.opened_by == "system" && s.obligation == ob && !s.closed_at) {
          s.closed_at = now;
          s.closed_by = "system";
          s.outcome = fmt::format("met late at {}", FormatInZone(*d.met_at, c.policy.time_zone));
          b.Log("supervision_closed", {{"supervision", s.id}, {"obligation", ob}});
        }
      }
      continue;
    }
    if (!open) continue;
    const std::string due = FormatInZone(d.due, c.policy.time_zone);
    // 1. Reminder before the deadline.
    std::string remind = "remind:" + ob;
    if (d.state == ClockState::kRunning && now >= d.remind_at && !Marked(c, remind)) {
      c.sweep_marks.push_back(remind);
      std::string title = b.zh()
                              ? fmt::format("催办：案件 {}「{}」{}还剩 {} 小时（截止 {}）", c.id,
                                            c.title, b.What(d.obligation), Hours(d.remaining), due)
                              : fmt::format("Reminder: case {} \"{}\": {} due in {} h ({})", c.id,
                                            c.title, b.What(d.obligation), Hours(d.remaining), due);
      b.Notify(remind, "reminder", title, title, &d);
      b.Log("remind", {{"obligation", ob}, {"due", core::FormatIso8601(d.due)}});
    }
    if (d.state != ClockState::kOverdue) continue;
    // 2. Overdue: a supervision item and a warning.
    std::string overdue = "overdue:" + ob;
    if (!Marked(c, overdue)) {
      c.sweep_marks.push_back(overdue);
      model::Supervision s;
      s.id = 1;
      for (const auto& x : c.supervision) s.id = std::max(s.id, x.id + 1);
      s.obligation = ob;
      s.department_id = b.MainDept();
      s.owner = "coordinator";
      s.opened_at = now;
      s.opened_by = "system";
      s.due_at = now + c.policy.criticise_after;
      s.reason = b.zh() ? fmt::format("{}已超期（截止 {}）", b.What(d.obligation), due)
                        : fmt::format("{} overdue (due {})", b.What(d.obligation), due);
      c.supervision.push_back(s);
      std::string title =
          b.zh() ? fmt::format("督办：案件 {}「{}」{}已超期 {} 小时（截止 {}），责任单位 {}", c.id,
                               c.title, b.What(d.obligation), Hours(d.remaining), due,
                               s.department_id.empty() ? "未交办" : s.department_id)
                 : fmt::format(
                       "Supervision: case {} \"{}\": {} overdue by {} h (due {}), "
                       "department {}",
                       c.id, c.title, b.What(d.obligation), Hours(d.remaining), due,
                       s.department_id.empty() ? "not assigned" : s.department_id);
      b.Notify(overdue, "supervision", title, title, &d);
      b.Log("supervise", {{"obligation", ob},
                          {"supervision", s.id},
                          {"department", s.department_id},
                          {"due", core::FormatIso8601(d.due)}});
      continue;
    }
    // 3. Still overdue after criticise_after: propose a notice of criticism.
    if (d.obligation == Obligation::kAccept) continue;  // acceptance is supervised, not criticised
    std::string criticise = "criticise:" + ob;
    const model::Supervision* item = nullptr;
    for (const auto& s : c.supervision) {
      if (s.opened_by == "system" && s.obligation == ob) item = &s;
    }
    if (item != nullptr && !Marked(c, criticise) &&
        now >= item->opened_at + c.policy.criticise_after) {
      c.sweep_marks.push_back(criticise);
      model::Notice n;
      n.id = 1;
      for (const auto& x : c.notices) n.id = std::max(n.id, x.id + 1);
      n.kind = model::NoticeKind::kCriticism;
      n.department_id = item->department_id;
      n.text = b.zh() ? fmt::format("案件 {}「{}」{}超期 {} 小时仍未完成，建议通报批评", c.id,
                                    c.title, b.What(d.obligation), Hours(d.remaining))
                      : fmt::format(
                            "case {} \"{}\": {} still not done {} h after the deadline; "
                            "a notice of criticism is proposed",
                            c.id, c.title, b.What(d.obligation), Hours(d.remaining));
      n.at = now;
      n.by = "system";
      n.status = "proposed";
      c.notices.push_back(n);
      std::string title = b.zh() ? "建议通报：" + n.text : "Notice proposed: " + n.text;
      b.Notify(criticise, "criticism_proposed", title, n.text, &d);
      b.Log("propose_notice",
            {{"obligation", ob}, {"notice", n.id}, {"department", n.department_id}});
    }
  }
  // Keep releasing while the event stays hot after a response (001 §8: keep answering).
  if (open &&
      (c.state == model::CaseState::kResponded || c.state == model::CaseState::kFollowingUp) &&
      c.event_heat >= c.policy.hot_heat && c.policy.keep_releasing_every.count() > 0) {
    const model::Response* last = nullptr;
    for (const auto& r : c.responses) {
      if (r.status == model::ResponseStatus::kPublished && r.published_at &&
          (last == nullptr || *r.published_at > *last->published_at)) {
        last = &r;
      }
    }
    if (last != nullptr) {
      auto since = now - *last->published_at;
      int64_t n = since / std::chrono::duration_cast<std::chrono::milliseconds>(
                              c.policy.keep_releasing_every);
      std::string mark = fmt::format("keep:{}:{}", last->id, n);
      if (n >= 1 && !Marked(c, mark)) {
        c.sweep_marks.push_back(mark);
        std::string title =
            b.zh() ? fmt::format(
                         "持续发布提醒：案件 {}「{}」事件热度 {:.0f}，距上次发布已 {} "
                         "小时，请持续发布权威信息",
                         c.id, c.title, c.event_heat, Hours(since))
                   : fmt::format(
                         "Keep releasing: case {} \"{}\": event heat {:.0f}, {} h since "
                         "the last release; keep releasing authoritative information",
                         c.id, c.title, c.event_heat, Hours(since));
        b.Notify(mark, "keep_releasing", title, title, nullptr);
        b.Log("keep_releasing", {{"response", last->id}, {"hours_since", Hours(since)}});
      }
    }
  }
  if (b.log.empty()) return std::nullopt;
  Decision d;
  c.version = before.version + 1;
  c.updated_at = now;
  d.after = std::move(c);
  d.log = std::move(b.log);
  d.notices = std::move(b.notices);
  d.audit_action = "case.sweep";
  return d;
}

std::optional<core::TimePoint> NextSweepAt(const model::Case& c, core::TimePoint now) {
  if (c.merged_into != 0) return std::nullopt;
  const bool open = model::CaseIsOpen(c.state);
  std::optional<core::TimePoint> next;
  auto at = [&](core::TimePoint t) {
    if (t < now) t = now;
    if (!next || t < *next) next = t;
  };
  for (const Deadline& d : Deadlines(c, now)) {
    const std::string ob(model::ObligationName(d.obligation));
    if (d.met_at) {
      for (const auto& s : c.supervision) {
        if (s.opened_by == "system" && s.obligation == ob && !s.closed_at) at(now);
      }
      continue;
    }
    if (!open) continue;
    if (d.state == ClockState::kRunning) {
      // A reminder once remind_at has passed; overdue strictly after the due time
      // (ClockState::kOverdue: now > due).
      if (!Marked(c, "remind:" + ob)) {
        at(d.remind_at);
      } else {
        at(d.due + std::chrono::milliseconds(1));
      }
    } else if (!Marked(c, "overdue:" + ob)) {
      at(now);
    } else if (d.obligation != Obligation::kAccept && !Marked(c, "criticise:" + ob)) {
      for (const auto& s : c.supervision) {
        if (s.opened_by == "system" && s.obligation == ob)
          at(s.opened_at + c.policy.criticise_after);
      }
    }
  }
  if (open &&
      (c.state == model::CaseState::kResponded || c.state == model::CaseState::kFollowingUp) &&
      c.policy.keep_releasing_every.count() > 0) {
    std::optional<core::TimePoint> last;
    int last_id = 0;
    for (const auto& r : c.responses) {
      if (r.status == model::ResponseStatus::kPublished && r.published_at &&
          (!last || *r.published_at > *last)) {
        last = r.published_at;
        last_id = r.id;
      }
    }
    if (last) {
      auto every =
          std::chrono::duration_cast<std::chrono::milliseconds>(c.policy.keep_releasing_every);
      int64_t n = std::max<int64_t>(0, (now - *last) / every);
      bool hot = c.event_heat >= c.policy.hot_heat;
      if (n >= 1 && hot && !Marked(c, fmt::format("keep:{}:{}", last_id, n))) {
        at(now);
      } else {
        at(*last + every * (n + 1));
      }
    }
  }
  return next;
}

}  // namespace yuqing::cases

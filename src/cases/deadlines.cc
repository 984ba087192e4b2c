#include "cases/deadlines.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/time.h"

namespace yuqing::cases {
namespace {

using model::Obligation;

Deadline Make(Obligation o, core::TimePoint start, std::chrono::minutes within, double remind_at,
              std::optional<core::TimePoint> met_at, core::TimePoint now) {
  Deadline d;
  d.obligation = o;
  d.start = start;
  d.due = start + within;
  d.met_at = met_at;
  auto window = std::chrono::duration_cast<std::chrono::milliseconds>(within);
  d.remind_at = start + std::chrono::milliseconds(
                            static_cast<int64_t>(static_cast<double>(window.count()) * remind_at));
  if (met_at) {
    d.state = *met_at <= d.due ? ClockState::kMet : ClockState::kLate;
    d.remaining = d.due - *met_at;
  } else {
    d.state = now <= d.due ? ClockState::kRunning : ClockState::kOverdue;
    d.remaining = d.due - now;
  }
  return d;
}

}  // namespace

std::string_view ClockStateName(ClockState s) {
  switch (s) {
    case ClockState::kRunning:
      return "running";
    case ClockState::kMet:
      return "met";
    case ClockState::kLate:
      return "late";
    case ClockState::kOverdue:
      return "overdue";
  }
  return "running";
}

std::optional<core::TimePoint> FirstPublished(const model::Case& c) {
  std::optional<core::TimePoint> first;
  for (const auto& r : c.responses) {
    if (r.status == model::ResponseStatus::kPublished && r.published_at &&
        (!first || *r.published_at < *first)) {
      first = r.published_at;
    }
  }
  return first;
}

std::optional<core::TimePoint> FirstPressPublished(const model::Case& c) {
  std::optional<core::TimePoint> first;
  for (const auto& r : c.responses) {
    if (r.status == model::ResponseStatus::kPublished && r.published_at &&
        model::IsPressChannel(r.channel) && (!first || *r.published_at < *first)) {
      first = r.published_at;
    }
  }
  return first;
}

std::optional<Deadline> DeadlineFor(const model::Case& c, model::Obligation o,
                                    core::TimePoint now) {
  const model::CasePolicy& p = c.policy;
  // Every clock but acceptance runs from detection. Nothing the workflow does later (accept,
  // return, reassign, dispute) moves `detected_at`, so none of it can reset a clock.
  const core::TimePoint start = c.detected_at;
  switch (o) {
    case Obligation::kPress:
      if (c.grade > 2) return std::nullopt;
      return Make(o, start, p.press_within, p.remind_at, FirstPressPublished(c), now);
    case Obligation::kRespond:
      if (c.grade <= 2) return std::nullopt;
      return Make(o, start, p.respond_within, p.remind_at, FirstPublished(c), now);
    case Obligation::kFirstRelease:
      if (!p.first_release) return std::nullopt;
      return Make(o, start, p.first_release_within, p.remind_at, FirstPublished(c), now);
    case Obligation::kReply:
      if (!model::HasPetitioner(c.origin)) return std::nullopt;
      return Make(o, start, p.reply_within, p.remind_at,
                  c.petitioner ? c.petitioner->replied_at : std::nullopt, now);
    case Obligation::kResolve:
      return Make(o, start, p.resolve_within + c.extended_by, p.remind_at, c.closed_at, now);
    case Obligation::kAccept: {
      // The acceptance clock is the one that belongs to an assignment: it starts when the
      // current main department received the case.
      const model::Assignment* main = nullptr;
      for (const auto& a : c.assignments) {
        if (a.role == model::AssignmentRole::kMain && a.active()) main = &a;
      }
      if (main == nullptr) return std::nullopt;
      return Make(o, main->assigned_at, p.accept_within, p.remind_at, main->accepted_at, now);
    }
  }
  return std::nullopt;
}

std::vector<Deadline> Deadlines(const model::Case& c, core::TimePoint now) {
  std::vector<Deadline> out;
  out.reserve(4);
  for (int i = 0; i < model::kObligationCount; ++i) {
    if (auto d = DeadlineFor(c, static_cast<Obligation>(i), now)) out.push_back(*d);
  }
  return out;
}

Result<int> ZoneOffsetMinutes(std::string_view zone) {
  // Fixed-offset zones only: none of these has observed daylight saving since 1991, so an
  // offset is exact for every date a case can carry.
  struct Zone {
    std::string_view name;
    int minutes;
  };
  static constexpr Zone kZones[] = {
      {"Asia/Shanghai", 480},  {"Asia/Chongqing", 480}, {"Asia/Harbin", 480}, {"Asia/Urumqi", 360},
      {"Asia/Hong_Kong", 480}, {"Asia/Macau", 480},     {"Asia/Taipei", 480}, {"Asia/Tokyo", 540},
      {"Asia/Seoul", 540},     {"Asia/Singapore", 480}, {"UTC", 0},           {"Etc/UTC", 0},
  };
  for (const Zone& z : kZones) {
    if (z.name == zone) return z.minutes;
  }
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    auto digit = [&](size_t i) { return zone[i] >= '0' && zone[i] <= '9'; };
    if (digit(1) && digit(2) && digit(4) && digit(5)) {
      int h = (zone[1] - '0') * 10 + (zone[2] - '0');
      int m = (zone[4] - '0') * 10 + (zone[5] - '0');
      if (h <= 14 && m < 60) return (zone[0] == '-' ? -1 : 1) * (h * 60 + m);
    }
  }
  return Status::InvalidArgument(fmt::format(
      "time zone \"{}\" is not known: expected Asia/Shanghai, Asia/Urumqi, Asia/Hong_Kong, "
      "Asia/Macau, Asia/Taipei, Asia/Tokyo, Asia/Seoul, Asia/Singapore, UTC or an offset like "
      "+08:00 (zones with daylight saving are not supported)",
      zone));
}

std::string FormatInZone(core::TimePoint t, std::string_view zone) {
  auto offset = ZoneOffsetMinutes(zone);
  return core::FormatIso8601(t, offset.ok() ? *offset : 0);
}

}  // namespace yuqing::cases

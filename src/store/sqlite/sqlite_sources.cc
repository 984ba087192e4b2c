// Configured sources of the SQLite store (store/sources_store.h, docs/collect.md): one row of
// `sources` per source, the settings as columns, the config and the state as JSON text.
// PutSourceState writes the state and the source's health alerts (through InsertAlertsLocked,
// like the event stage's alerts) in one transaction.
#include <fmt/format.h>

#include "store/source_codec.h"
#include "store/sqlite/sqlite_store_impl.h"

namespace yuqing::store::sqlite::internal {
namespace {

constexpr std::string_view kSourceColumns =
    "id, name, kind, interval_s, channel, region, tz_minutes, config, paused, created_at, "
    "updated_at, state";

Status NoSuchSource(const std::string& name) {
  return Status::NotFound(fmt::format("no source named \"{}\"", name));
}

Result<model::Source> ReadSource(const Stmt& s) {
  model::Source out;
  out.id = s.Int(0);
  out.name = s.Text(1);
  auto kind = model::ParseSourceKind(s.Text(2));
  if (!kind) {
    return Status::Internal(fmt::format("source \"{}\": unknown kind \"{}\"", out.name, s.Text(2)));
  }
  out.kind = *kind;
  out.interval = std::chrono::seconds(s.Int(3));
  out.channel = model::ParseChannel(s.Text(4)).value_or(model::Channel::kOther);
  out.region = s.Text(5);
  out.tz_offset_minutes = static_cast<int>(s.Int(6));
  out.config_json = s.Text(7);
  out.paused = s.Int(8) != 0;
  out.created_at = FromMs(s.Int(9));
  out.updated_at = FromMs(s.Int(10));
  auto state = SourceStateFromJson(s.Text(11));
  if (!state.ok()) return state.status().WithContext(fmt::format("source \"{}\"", out.name));
  out.state = std::move(state).value();
  return out;
}

void BindSettings(Stmt& s, const model::Source& src) {
  s.Bind(1, src.name);
  s.Bind(2, model::SourceKindName(src.kind));
  s.Bind(3, static_cast<int64_t>(src.interval.count()));
  s.Bind(4, model::ChannelName(src.channel));
  s.Bind(5, src.region);
  s.Bind(6, int64_t{src.tz_offset_minutes});
  s.Bind(7, src.config_json.empty() ? std::string_view("{}") : std::string_view(src.config_json));
}

}  // namespace

Result<model::Source> SqliteStore::CreateSource(const model::Source& source, core::TimePoint now) {
  if (source.name.empty()) return Status::InvalidArgument("a source needs a name");
  std::lock_guard<std::mutex> lock(write_mu_);
  YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("INSERT INTO sources(name, kind, interval_s, "
                                               "channel, region, tz_minutes, config, paused, "
                                               "created_at, updated_at, state) VALUES(?1, ?2, "
                                               "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)"));
  BindSettings(s, source);
  s.Bind(8, int64_t{source.paused ? 1 : 0});
  s.Bind(9, Ms(now));
  s.Bind(10, SourceStateToJson(model::SourceState{}));
  Status st = s.Run();
  if (st.code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists(fmt::format("a source named \"{}\" already exists", source.name));
  }
  YQ_RETURN_IF_ERROR(st);
  model::Source out = source;
  out.id = writer_->LastInsertRowid();
  out.created_at = out.updated_at = now;
  out.state = {};
  if (out.config_json.empty()) out.config_json = "{}";
  return out;
}

Result<model::Source> SqliteStore::UpdateSource(const model::Source& source, core::TimePoint now) {
  {
    std::lock_guard<std::mutex> lock(write_mu_);
    YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("UPDATE sources SET kind = ?2, interval_s = ?3, "
                                                 "channel = ?4, region = ?5, tz_minutes = ?6, "
                                                 "config = ?7, updated_at = ?8 WHERE name = ?1"));
    BindSettings(s, source);
    s.Bind(8, Ms(now));
    YQ_RETURN_IF_ERROR(s.Run());
    if (writer_->Changes() == 0) return NoSuchSource(source.name);
  }
  YQ_ASSIGN_OR_RETURN(auto stored, GetSource(source.name));
  if (!stored) return NoSuchSource(source.name);
  return *stored;
}

Result<std::optional<model::Source>> SqliteStore::GetSource(const std::string& name) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(
      Stmt s, r->Prepare(fmt::format("SELECT {} FROM sources WHERE name = ?1", kSourceColumns)));
  s.Bind(1, name);
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<model::Source>();
  YQ_ASSIGN_OR_RETURN(model::Source src, ReadSource(s));
  return std::optional<model::Source>(std::move(src));
}

Result<std::vector<model::Source>> SqliteStore::ListConfiguredSources() {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(
      Stmt s, r->Prepare(fmt::format("SELECT {} FROM sources ORDER BY name", kSourceColumns)));
  std::vector<model::Source> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    YQ_ASSIGN_OR_RETURN(model::Source src, ReadSource(s));
    out.push_back(std::move(src));
  }
  return out;
}

Status SqliteStore::DeleteSource(const std::string& name) {
  std::lock_guard<std::mutex> lock(write_mu_);
  YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("DELETE FROM sources WHERE name = ?1"));
  s.Bind(1, name);
  YQ_RETURN_IF_ERROR(s.Run());
  if (writer_->Changes() == 0) return NoSuchSource(name);
  return Status::Ok();
}

Status SqliteStore::SetSourcePaused(const std::string& name, bool paused, core::TimePoint now) {
  std::lock_guard<std::mutex> lock(write_mu_);
  YQ_ASSIGN_OR_RETURN(
      Stmt s, writer_->Prepare("UPDATE sources SET paused = ?2, updated_at = ?3 WHERE name = ?1"));
  s.Bind(1, name);
  s.Bind(2, int64_t{paused ? 1 : 0});
  s.Bind(3, Ms(now));
  YQ_RETURN_IF_ERROR(s.Run());
  if (writer_->Changes() == 0) return NoSuchSource(name);
  return Status::Ok();
}

// The state and its health alerts, inside a transaction the caller opened (write_mu_ held).
// NotFound when no source has the name.
Status SqliteStore::WriteSourceStateLocked(const std::string& name, const model::SourceState& state,
                                           const std::vector<model::NewAlert>& alerts) {
  YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("UPDATE sources SET state = ?2 WHERE name = ?1"));
  s.Bind(1, name);
  s.Bind(2, SourceStateToJson(state));
  YQ_RETURN_IF_ERROR(s.Run());
  if (writer_->Changes() == 0) return NoSuchSource(name);
  std::vector<int64_t> ids;
  return InsertAlertsLocked(alerts, ids);
}

Status SqliteStore::PutSourceState(const std::string& name, const model::SourceState& state,
                                   const std::vector<model::NewAlert>& alerts) {
  std::lock_guard<std::mutex> lock(write_mu_);
  return writer_->InTransaction([&] { return WriteSourceStateLocked(name, state, alerts); });
}

// The read, the change and the write under one write lock and one IMMEDIATE transaction: the
// row is read on the writer connection, so another process's write between the read and the
// write is impossible too (it waits for the transaction).
Status SqliteStore::ChangeSourceState(const std::string& name, const SourceStateChange& change) {
  std::lock_guard<std::mutex> lock(write_mu_);
  return writer_->InTransaction([&]() -> Status {
    model::Source source;
    {
      YQ_ASSIGN_OR_RETURN(Stmt q, writer_->Prepare(fmt::format(
                                      "SELECT {} FROM sources WHERE name = ?1", kSourceColumns)));
      q.Bind(1, name);
      YQ_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) return NoSuchSource(name);
      YQ_ASSIGN_OR_RETURN(source, ReadSource(q));
    }
    model::SourceState state = source.state;
    std::vector<model::NewAlert> alerts = change(source, state);
    return WriteSourceStateLocked(name, state, alerts);
  });
}

}  // namespace yuqing::store::sqlite::internal

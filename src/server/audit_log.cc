#include "server/audit_log.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace yuqing::server {

using nlohmann::json;

json AuditReportJson(const audit::VerifyReport& r) {
  json problems = json::array();
  for (const auto& p : r.problems) {
    problems.push_back({{"seq", p.seq}, {"message", p.message}});
  }
  return {{"ok", r.ok()},
          {"entries_scanned", r.entries_scanned},
          {"entries_verified", r.entries_verified},
          {"last_seq", r.last_seq},
          {"head_hash", r.head_hash},
          {"checkpoints_checked", r.checkpoints_checked},
          {"checkpoints_matched", r.checkpoints_matched},
          {"keys_trusted", r.keys_trusted},
          {"problem_count", r.problem_count},
          {"first_problem", r.problems.empty() ? json() : problems[0]},
          {"problems", std::move(problems)}};
}

Result<audit::VerifyReport> VerifyStoredAudit(store::AuditStore& store,
                                              const std::vector<model::AuditCheckpoint>& kept,
                                              const audit::VerifyOptions& options,
                                              const std::function<void(int64_t)>& progress) {
  audit::ChainVerifier verifier(options);
  YQ_ASSIGN_OR_RETURN(auto stored, store.ListAuditCheckpoints());
  for (const auto& c : stored) {
    YQ_RETURN_IF_ERROR(verifier.ExpectCheckpoint(c, "stored in the database"));
  }
  for (const auto& c : kept) YQ_RETURN_IF_ERROR(verifier.ExpectCheckpoint(c, "kept outside"));
  int64_t after = 0, read = 0;
  constexpr int kPage = 50000;
  while (true) {
    YQ_ASSIGN_OR_RETURN(auto page, store.ScanAudit(after, kPage));
    if (page.empty()) break;
    for (const auto& e : page) (void)verifier.Add(e);
    after = page.back().seq;
    int64_t before = read;
    read += static_cast<int64_t>(page.size());
    if (progress && read / 100000 != before / 100000) progress(read);
    if (static_cast<int>(page.size()) < kPage) break;
  }
  return verifier.Finish();
}

Result<std::optional<model::AuditCheckpoint>> CheckpointHead(store::AuditStore& store,
                                                             const audit::SigningKey& key,
                                                             core::TimePoint now) {
  YQ_ASSIGN_OR_RETURN(auto head, store.AuditHead());
  YQ_ASSIGN_OR_RETURN(auto stored, store.ListAuditCheckpoints());
  if (!head) return std::optional<model::AuditCheckpoint>();
  if (!stored.empty() && stored.back().size > head->seq) {
    return Status::FailedPrecondition(fmt::format(
        "the log ends at entry {} but a checkpoint covers {} entries: entries were removed from "
        "the end; run `yuqing audit verify`",
        head->seq, stored.back().size));
  }
  // One checkpoint per size: the head is covered already (whichever key signed it).
  if (!stored.empty() && stored.back().size == head->seq) {
    return std::optional<model::AuditCheckpoint>(stored.back());
  }
  YQ_ASSIGN_OR_RETURN(model::AuditCheckpoint c,
                      audit::SignCheckpoint(key, head->seq, head->hash, now));
  YQ_RETURN_IF_ERROR(store.PutAuditCheckpoint(c));
  return std::optional<model::AuditCheckpoint>(c);
}

}  // namespace yuqing::server

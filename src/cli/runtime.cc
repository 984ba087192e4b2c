#include "cli/runtime.h"

#include "store/sqlite/sqlite_store.h"

namespace yuqing::cli {

Result<std::unique_ptr<Runtime>> OpenRuntime(const core::Config& config) {
  auto rt = std::make_unique<Runtime>();
  rt->config = config;
  store::sqlite::SqliteOptions options;
  options.sync_full = config.sync == "full";
  YQ_ASSIGN_OR_RETURN(rt->store, store::sqlite::OpenSqliteStore(config.db_path, options));
  rt->tokenizer = text::MakeBigramTokenizer();
  YQ_RETURN_IF_ERROR(pipeline::CheckIndexTokenizer(*rt->store, *rt->tokenizer));
  rt->ingestor = std::make_unique<pipeline::Ingestor>(*rt->store, rt->tokenizer, rt->clock);
  return rt;
}

}  // namespace yuqing::cli

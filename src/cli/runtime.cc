#include "cli/runtime.h"

#include "store/sqlite/sqlite_store.h"
#include "text/normalize.h"
#include "text/segmenter.h"
#include "text/segmenter_tokenizer.h"

namespace yuqing::cli {

Result<std::shared_ptr<const text::Tokenizer>> MakeIndexTokenizer(
    const core::Config& config, std::shared_ptr<const text::Normalizer> normalizer) {
  if (config.index_tokenizer == "bigram") return text::MakeBigramTokenizer();
  if (!normalizer) {
    YQ_ASSIGN_OR_RETURN(normalizer, text::Normalizer::Create());
  }
  YQ_ASSIGN_OR_RETURN(auto segmenter, text::Segmenter::Load());
  return text::MakeSegmenterTokenizer(std::move(segmenter), std::move(normalizer));
}

Result<std::unique_ptr<Runtime>> OpenRuntime(const core::Config& config, bool check_index) {
  auto rt = std::make_unique<Runtime>();
  rt->config = config;
  store::sqlite::SqliteOptions options;
  options.sync_full = config.sync == "full";
  YQ_ASSIGN_OR_RETURN(rt->store, store::sqlite::OpenSqliteStore(config.db_path, options));
  YQ_ASSIGN_OR_RETURN(auto normalizer, text::Normalizer::Create());
  YQ_ASSIGN_OR_RETURN(rt->tokenizer, MakeIndexTokenizer(config, normalizer));
  rt->match_normalizer = rules::MakeT2sMatchNormalizer(*normalizer);
  if (check_index) YQ_RETURN_IF_ERROR(pipeline::CheckIndexTokenizer(*rt->store, *rt->tokenizer));
  rt->ingestor = std::make_unique<pipeline::Ingestor>(*rt->store, rt->tokenizer, rt->clock);
  return rt;
}

}  // namespace yuqing::cli

#include "cli/messages.h"

namespace yuqing::cli {

std::string_view Text(std::string_view lang, Msg msg) {
  bool en = lang == "en";
  switch (msg) {
    case Msg::kError:
      return en ? "error: {}" : "错误：{}";
    case Msg::kListening:
      return en ? "yuqing is listening on http://{}:{}  (database {}, Ctrl+C to stop)"
                : "yuqing 已启动：http://{}:{}（数据库 {}，按 Ctrl+C 停止）";
    case Msg::kStopping:
      return en ? "stopping: finishing requests in flight…" : "正在停止：等待进行中的请求完成…";
    case Msg::kStopped:
      return en ? "stopped" : "已停止";
    case Msg::kProgress:
      return en ? "{} records ({:.0f}/s, {:.1f} MB)  accepted {}  duplicate {}  rejected {}"
                : "已读 {} 条（{:.0f} 条/秒，{:.1f} MB）  接受 {}  重复 {}  拒绝 {}";
    case Msg::kImportDone:
      return en ? "done: {} records in {:.1f} s ({:.0f}/s): accepted {}, duplicate {}, rejected {}"
                : "完成：{} 条，用时 {:.1f} 秒（{:.0f} 条/秒）：接受 {}，重复 {}，拒绝 {}";
    case Msg::kMoreRejections:
      return en ? "… and {} more rejected records (use --rejects FILE to keep them all)"
                : "……另有 {} 条被拒绝（用 --rejects 文件 保存全部）";
    case Msg::kNoResults:
      return en ? "no posts match" : "没有匹配的条目";
    case Msg::kResultsHeader:
      return en ? "{}{} posts match; showing {}-{}" : "共 {}{} 条匹配，显示第 {}-{} 条";
    case Msg::kTokenCreated:
      return en ? "API token \"{}\" created. It is shown only now; keep it safe:\n{}"
                : "已创建 API 令牌“{}”。令牌只显示这一次，请妥善保存：\n{}";
    case Msg::kTokenRevoked:
      return en ? "API token \"{}\" revoked" : "已吊销 API 令牌“{}”";
    case Msg::kTokenListHeader:
      return en ? "name\tcreated\trevoked" : "名称\t创建时间\t吊销时间";
  }
  return "";
}

}  // namespace yuqing::cli

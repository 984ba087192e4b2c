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
    case Msg::kReindexProgress:
      return en ? "re-indexed {} posts" : "已重建 {} 条的索引";
    case Msg::kReindexDone:
      return en ? "search index rebuilt with tokenizer \"{}\"" : "检索索引已用分词器“{}”重建";
    case Msg::kTokenListHeader:
      return en ? "name\tcreated\trevoked" : "名称\t创建时间\t吊销时间";
    case Msg::kRuleEnabledState:
      return en ? "enabled" : "启用";
    case Msg::kRuleDisabledState:
      return en ? "disabled" : "停用";
    case Msg::kRuleAdded:
      return en ? "rule #{} \"{}\" added ({})" : "已添加规则 #{}“{}”（{}）";
    case Msg::kRuleEnabled:
      return en ? "rule #{} \"{}\" enabled" : "已启用规则 #{}“{}”";
    case Msg::kRuleDisabled:
      return en ? "rule #{} \"{}\" disabled" : "已停用规则 #{}“{}”";
    case Msg::kRuleRemoved:
      return en ? "rule #{} \"{}\" removed" : "已删除规则 #{}“{}”";
    case Msg::kRuleListHeader:
      return en ? "id\tname\tstate\towner\ttags\tquery" : "编号\t名称\t状态\t责任单位\t标签\t规则";
    case Msg::kNoRules:
      return en ? "no rules yet; add one with: yuqing rules add NAME QUERY"
                : "还没有规则；添加：yuqing rules add 名称 规则";
    case Msg::kRuleShow:
      // 0 id, 1 name, 2 query, 3 state, 4 owner, 5 tags, 6 created, 7 updated
      return en ? "rule #{0} \"{1}\"\n  query:   {2}\n  state:   {3}\n  owner:   {4}\n"
                  "  tags:    {5}\n  created: {6}\n  updated: {7}"
                : "规则 #{0}“{1}”\n  规则：{2}\n  状态：{3}\n  责任单位：{4}\n  标签：{5}\n"
                  "  创建：{6}\n  更新：{7}";
    case Msg::kRuleCannotLoad:
      return en ? "note: this rule cannot be loaded now: {}" : "注意：该规则现在无法生效：{}";
    case Msg::kTrialSummary:
      return en ? "{} posts scanned, {} match" : "检查了 {} 条，匹配 {} 条";
    case Msg::kBackfillProgress:
      return en ? "{} posts scanned, {} match, {} hits recorded"
                : "已检查 {} 条，匹配 {} 条，新记录 {} 条命中";
    case Msg::kBackfillSummary:
      return en ? "rule #{0} \"{1}\": {2} posts published since {3} scanned, {4} match, {5} hits "
                  "recorded ({6} were recorded already)"
                : "规则 #{0}“{1}”：检查了 {3} 以来发布的 {2} 条，匹配 {4} 条，新记录 {5} "
                  "条命中（{6} "
                  "条此前已记录）";
    case Msg::kTrialSamples:
      return en ? "newest {}:" : "最新 {} 条：";
    case Msg::kListSaved:
      return en ? "keyword list @{} saved ({} words)" : "已保存词表 @{}（{} 个词）";
    case Msg::kListRemoved:
      return en ? "keyword list @{} removed" : "已删除词表 @{}";
    case Msg::kListHeader:
      return en ? "name\twords\tupdated" : "名称\t词数\t更新时间";
    case Msg::kNoLists:
      return en ? "no keyword lists yet; add one with: yuqing lists set NAME WORD..."
                : "还没有词表；添加：yuqing lists set 名称 词…";
    case Msg::kListBreaksRule:
      return en ? "note: rule #{} \"{}\" cannot be loaded now: {}"
                : "注意：规则 #{}“{}”现在无法生效：{}";
    case Msg::kEventsRestored:
      return en ? "events: {} recent posts replayed into {} live events"
                : "事件：已重放近期 {} 条帖子，{} 个活跃事件";
    case Msg::kEventsProgress:
      return en ? "analysing and clustering: {} posts done, {} queued"
                : "分析与事件聚类：已处理 {} 条，待处理 {} 条";
    case Msg::kEventsDone:
      return en ? "events: {} posts analysed and assigned to events in {:.1f} s"
                : "事件：{} 条帖子已分析并归入事件，用时 {:.1f} 秒";
    case Msg::kEventsElsewhere:
      return en ? "events: {} — the posts stay queued and are processed there"
                : "事件：{}——帖子已排队，由该进程处理";
    case Msg::kEventListHeader:
      return en ? "{} events (showing {})" : "共 {} 个事件（显示 {} 个）";
    case Msg::kNoEvents:
      return en ? "no events" : "没有事件";
    case Msg::kReportWritten:
      return en ? "{} written to {} ({}, {} bytes)" : "已生成{}：{}（{}，{} 字节）";
    case Msg::kOutboxElsewhere:
      return en ? "alerts: {} — it delivers them; this server takes over when it stops"
                : "预警：{}——由该进程投递；它停止后由本服务接管";
    case Msg::kPolicyAdded:
      return en ? "alert policy #{} \"{}\" added ({})" : "已添加预警策略 #{}“{}”（{}）";
    case Msg::kPolicyEnabled:
      return en ? "alert policy #{} \"{}\" enabled" : "已启用预警策略 #{}“{}”";
    case Msg::kPolicyDisabled:
      return en ? "alert policy #{} \"{}\" disabled" : "已停用预警策略 #{}“{}”";
    case Msg::kPolicyRemoved:
      return en ? "alert policy #{} \"{}\" removed (alerts already raised are kept)"
                : "已删除预警策略 #{}“{}”（已发出的预警保留）";
    case Msg::kPolicyListHeader:
      return en ? "id\tname\tstate\tgrade\tmin heat\tregions\tdomains\ttargets"
                : "编号\t名称\t状态\t等级\t最低热度\t地区\t领域\t接收方";
    case Msg::kNoPolicies:
      return en ? "no alert policies yet; add one with: yuqing policies add --file policy.json"
                : "还没有预警策略；添加：yuqing policies add --file 策略.json";
    case Msg::kAlertListHeader:
      return en ? "id\traised\tgrade\tevent\ttitle\tacknowledged"
                : "编号\t时间\t等级\t事件\t标题\t签收";
    case Msg::kNoAlerts:
      return en ? "no alerts" : "没有预警";
    case Msg::kAlertAcked:
      return en ? "alert #{} acknowledged by {} at {}" : "预警 #{} 已由 {} 于 {} 签收";
    case Msg::kAlertNotAcked:
      return en ? "not acknowledged" : "未签收";
    case Msg::kAlertDeliveries:
      return en ? "deliveries:" : "投递：";
    case Msg::kOutboxHeader:
      return en ? "id\talert\tchannel\tstate\tattempts\tnext attempt\tlast error"
                : "编号\t预警\t渠道\t状态\t尝试次数\t下次尝试\t最近错误";
    case Msg::kOutboxCounts:
      return en ? "pending {}, delivered {}, dead {}" : "待发送 {}，已送达 {}，发送失败 {}";
    case Msg::kOutboxEmpty:
      return en ? "no deliveries" : "没有投递记录";
    case Msg::kOutboxRetried:
      return en ? "delivery #{} will be sent again" : "投递 #{} 将重新发送";
    case Msg::kDelivering:
      return en ? "delivering alerts from {} (Ctrl+C to stop)"
                : "正在投递 {} 中的预警（按 Ctrl+C 停止）";
    case Msg::kDeliveryPass:
      return en ? "delivered {}, to retry {}, dead {}" : "送达 {}，待重试 {}，发送失败 {}";
  }
  return "";
}

std::string TrendText(std::string_view lang, std::string_view trend, size_t width) {
  static constexpr std::pair<std::string_view, std::string_view> kZh[] = {
      {"rising", "上升"}, {"peaking", "高位"}, {"declining", "回落"}, {"dormant", "沉寂"}};
  std::string out(trend);
  size_t columns = trend.size();
  if (lang != "en") {
    for (const auto& [k, v] : kZh) {
      if (k == trend) {
        out = v;
        columns = 4;  // two characters of two columns each
      }
    }
  }
  if (columns < width) out.append(width - columns, ' ');
  return out;
}

}  // namespace yuqing::cli

// The cue lexicons of the analysis module, written for yuqing (docs/analysis.md lists the
// categories and why): sarcasm markers, rumour cues (hedges, urgent-spread calls, sensational
// patterns, official denials, named sources), the key-response kinds of DOMAIN.md §3 a–d, and
// keyword evidence for the government domains. Matched as whole words (see features.h).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace yuqing::analysis {

enum class Cue : uint8_t {
  kSarcasm,
  kHedge,        // 网传, 据说, 听说 …: an unverified claim
  kUrgent,       // 紧急扩散, 转发周知, 速看 …: a call to spread
  kSensational,  // 震惊, 惊呆, 太可怕了 …
  kDenial,       // 辟谣, 不实, 谣言 …: an official denial / refutation
  kSource,       // 警方通报, 记者, 新华社 …: a named, checkable source
  kPolicy,       // (a) a policy is the subject
  kMisreading,   // (a) misreading cues: 误读, 解读, 是真的吗 …
  kInterest,     // (b) vital interests: 拆迁, 欠薪, 停水 …
  kScale,        // (b) large impact: 上百名, 村民, 业主, 维权 …
  kMoral,        // (c) the moral bottom line: 虐童, 性侵, 地沟油 …
  kEmergency,    // (d) emergencies and disasters: 地震, 爆炸, 坍塌 …
  kDomain,       // keyword evidence for a domain (LexEntry::domain)
};

struct LexEntry {
  std::string_view phrase;
  Cue cue;
  int8_t domain;  // model::Domain for kDomain entries, else -1
  float weight;
};

std::span<const LexEntry> Lexicon();
// Negators (negation scope) and degree adverbs, one word each.
std::span<const std::string_view> Negators();
std::span<const std::string_view> DegreeWords();

}  // namespace yuqing::analysis

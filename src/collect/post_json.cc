#include "collect/post_json.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "core/utf8.h"

namespace yuqing::collect {
namespace {

using nlohmann::json;

std::string Found(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return v.get<bool>() ? "true" : "false";
    case json::value_t::string: {
      std::string s = v.get<std::string>();
      if (s.size() > 40) s = s.substr(0, 40) + "…";
      return fmt::format("string \"{}\"", core::SanitizeUtf8(s));
    }
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    default:
      return fmt::format("number {}", v.dump());
  }
}

Status FieldError(std::string_view field, std::string message) {
  return Status::InvalidArgument(fmt::format("field \"{}\": {}", field, message));
}

// Reads an optional string field; absent or null → "". `max` bytes at most.
Status GetString(const json& obj, std::string_view key, std::string_view path, size_t max,
                 std::string& out, bool allow_number = false) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (it->is_string()) {
    out = it->get<std::string>();
  } else if (allow_number && it->is_number_integer()) {
    out = it->dump();
  } else {
    return FieldError(path, fmt::format("expected a string, found {}", Found(*it)));
  }
  if (out.size() > max) {
    return FieldError(path, fmt::format("is {} bytes; the limit is {}", out.size(), max));
  }
  if (size_t bad = core::FindInvalidUtf8(out); bad != std::string::npos) {
    return FieldError(path, fmt::format("invalid UTF-8 at byte {}", bad));
  }
  return Status::Ok();
}

Status GetCount(const json& obj, std::string_view key, std::string_view path, int64_t& out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return Status::Ok();
  if (it->is_number_unsigned() || (it->is_number_integer() && it->get<int64_t>() >= 0)) {
    uint64_t v = it->get<uint64_t>();
    if (v > static_cast<uint64_t>(INT64_MAX)) return FieldError(path, "is too large");
    out = static_cast<int64_t>(v);
    return Status::Ok();
  }
  return FieldError(path, fmt::format("expected a non-negative integer, found {}", Found(*it)));
}

const json* GetObject(const json& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

}  // namespace

Result<model::Post> PostFromJson(const json& r, const RecordLimits& limits) {
  if (!r.is_object()) {
    return Status::InvalidArgument(fmt::format("expected a JSON object, found {}", Found(r)));
  }
  model::Post p;
  auto fs = limits.max_field_bytes;
  YQ_RETURN_IF_ERROR(GetString(r, "source", "source", 200, p.source));
  if (p.source.empty()) return FieldError("source", "is required (the collector or platform)");
  YQ_RETURN_IF_ERROR(GetString(r, "id", "id", 200, p.external_id, /*allow_number=*/true));
  if (p.external_id.empty()) return FieldError("id", "is required (unique within its source)");
  YQ_RETURN_IF_ERROR(GetString(r, "title", "title", limits.max_text_bytes, p.title));
  YQ_RETURN_IF_ERROR(GetString(r, "text", "text", limits.max_text_bytes, p.text));
  if (p.title.empty() && p.text.empty()) {
    return Status::InvalidArgument("fields \"text\" and \"title\": at least one is required");
  }
  auto pub = r.find("published_at");
  if (pub == r.end() || pub->is_null()) {
    return FieldError("published_at",
                      "is required (ISO-8601 with offset, e.g. 2026-11-21T08:30:00+08:00)");
  }
  if (!pub->is_string()) {
    return FieldError("published_at",
                      fmt::format("expected an ISO-8601 string, found {}", Found(*pub)));
  }
  auto t = core::ParseIso8601(pub->get_ref<const std::string&>());
  if (!t.ok()) return FieldError("published_at", t.status().message());
  p.published_at = *t;

  YQ_RETURN_IF_ERROR(GetString(r, "url", "url", fs, p.url));
  std::string channel;
  YQ_RETURN_IF_ERROR(GetString(r, "channel", "channel", 64, channel));
  if (!channel.empty()) {
    auto c = model::ParseChannel(channel);
    if (!c) {
      return FieldError("channel",
                        fmt::format("\"{}\" is not one of {}", channel, model::ChannelNamesList()));
    }
    p.channel = *c;
  }
  if (const json* a = GetObject(r, "author")) {
    if (!a->is_object()) {
      return FieldError("author", fmt::format("expected an object, found {}", Found(*a)));
    }
    YQ_RETURN_IF_ERROR(GetString(*a, "id", "author.id", 200, p.author.id, true));
    YQ_RETURN_IF_ERROR(GetString(*a, "name", "author.name", fs, p.author.name));
    YQ_RETURN_IF_ERROR(GetCount(*a, "followers", "author.followers", p.author.followers));
    if (auto v = a->find("verified"); v != a->end() && !v->is_null()) {
      if (!v->is_boolean()) {
        return FieldError("author.verified",
                          fmt::format("expected true or false, found {}", Found(*v)));
      }
      p.author.verified = v->get<bool>();
    }
    std::string kind;
    YQ_RETURN_IF_ERROR(GetString(*a, "kind", "author.kind", 64, kind));
    if (!kind.empty()) {
      auto k = model::ParseAuthorKind(kind);
      if (!k) {
        return FieldError("author.kind",
                          fmt::format("\"{}\" is not one of media, gov, kol, individual", kind));
      }
      p.author.kind = *k;
    }
  }
  if (const json* m = GetObject(r, "metrics")) {
    if (!m->is_object()) {
      return FieldError("metrics", fmt::format("expected an object, found {}", Found(*m)));
    }
    YQ_RETURN_IF_ERROR(GetCount(*m, "reposts", "metrics.reposts", p.metrics.reposts));
    YQ_RETURN_IF_ERROR(GetCount(*m, "comments", "metrics.comments", p.metrics.comments));
    YQ_RETURN_IF_ERROR(GetCount(*m, "likes", "metrics.likes", p.metrics.likes));
    YQ_RETURN_IF_ERROR(GetCount(*m, "views", "metrics.views", p.metrics.views));
  }
  std::string region;
  YQ_RETURN_IF_ERROR(GetString(r, "region", "region", 16, region, true));
  if (!region.empty()) {
    bool digits = region.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || (region.size() != 2 && region.size() != 4 && region.size() != 6)) {
      return FieldError("region",
                        fmt::format("\"{}\" is not a GB/T 2260 code (2, 4 or 6 digits)", region));
    }
    region.resize(6, '0');
    p.region = region;
  }
  if (const json* par = GetObject(r, "parent")) {
    if (!par->is_object()) {
      return FieldError("parent",
                        fmt::format("expected an object {{source, id}}, found {}", Found(*par)));
    }
    model::PostRef ref;
    YQ_RETURN_IF_ERROR(GetString(*par, "source", "parent.source", 200, ref.source));
    YQ_RETURN_IF_ERROR(GetString(*par, "id", "parent.id", 200, ref.id, true));
    if (ref.id.empty()) return FieldError("parent.id", "is required when parent is given");
    if (ref.source.empty()) ref.source = p.source;
    p.parent = std::move(ref);
  }
  YQ_RETURN_IF_ERROR(GetString(r, "lang", "lang", 16, p.lang));
  return p;
}

json PostToJson(const model::Post& p) {
  json j;
  j["source"] = p.source;
  j["id"] = p.external_id;
  if (!p.title.empty()) j["title"] = p.title;
  if (!p.text.empty()) j["text"] = p.text;
  j["published_at"] = core::FormatIso8601(p.published_at, 8 * 60);
  if (!p.url.empty()) j["url"] = p.url;
  j["channel"] = model::ChannelName(p.channel);
  if (!p.author.id.empty() || !p.author.name.empty()) {
    json a;
    if (!p.author.id.empty()) a["id"] = p.author.id;
    if (!p.author.name.empty()) a["name"] = p.author.name;
    a["followers"] = p.author.followers;
    a["verified"] = p.author.verified;
    if (p.author.kind != model::AuthorKind::kUnknown)
      a["kind"] = model::AuthorKindName(p.author.kind);
    j["author"] = std::move(a);
  }
  j["metrics"] = {{"reposts", p.metrics.reposts},
                  {"comments", p.metrics.comments},
                  {"likes", p.metrics.likes},
                  {"views", p.metrics.views}};
  if (!p.region.empty()) j["region"] = p.region;
  if (p.parent) j["parent"] = {{"source", p.parent->source}, {"id", p.parent->id}};
  if (!p.lang.empty()) j["lang"] = p.lang;
  return j;
}

}  // namespace yuqing::collect

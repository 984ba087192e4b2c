#include "collect/source_json.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "collect/css_select.h"
#include "collect/record_reader.h"
#include "core/time.h"

namespace yuqing::collect {
namespace {

using nlohmann::json;

Status FieldError(std::string_view field, std::string message) {
  return Status::InvalidArgument(fmt::format("field \"{}\": {}", field, std::move(message)));
}

Status NeedString(const json& config, const char* key, std::string_view why) {
  auto it = config.find(key);
  if (it == config.end())
    return FieldError(fmt::format("config.{}", key), fmt::format("missing ({})", why));
  if (!it->is_string() || it->get<std::string>().empty()) {
    return FieldError(fmt::format("config.{}", key), "expected a non-empty string");
  }
  return Status::Ok();
}

Status NeedHttpUrl(const json& config, const char* key, std::string_view why) {
  YQ_RETURN_IF_ERROR(NeedString(config, key, why));
  std::string url = config[key].get<std::string>();
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    return FieldError(fmt::format("config.{}", key),
                      fmt::format("\"{}\" is not an http or https URL", url));
  }
  return Status::Ok();
}

Status OptionalString(const json& config, const char* key) {
  auto it = config.find(key);
  if (it != config.end() && !it->is_string()) {
    return FieldError(fmt::format("config.{}", key), "expected a string");
  }
  return Status::Ok();
}

json Time(const std::optional<core::TimePoint>& t) {
  if (!t) return nullptr;
  return core::FormatIso8601(*t);
}

}  // namespace

Result<int> ParseZoneOffset(std::string_view text) {
  if (text == "Z" || text == "UTC") return 0;
  if (text == "Asia/Shanghai" || text == "Asia/Chongqing" || text == "Asia/Hong_Kong" ||
      text == "Asia/Taipei" || text == "Asia/Macau") {
    return 480;
  }
  if (text.size() == 6 && (text[0] == '+' || text[0] == '-') && text[3] == ':') {
    int h = (text[1] - '0') * 10 + (text[2] - '0');
    int m = (text[4] - '0') * 10 + (text[5] - '0');
    if (h >= 0 && h <= 14 && m >= 0 && m < 60) return (text[0] == '-' ? -1 : 1) * (h * 60 + m);
  }
  return Status::InvalidArgument(
      fmt::format("\"{}\" is not a UTC offset like +08:00 (or Asia/Shanghai, Z)", text));
}

std::string FormatZoneOffset(int minutes) {
  int a = minutes < 0 ? -minutes : minutes;
  return fmt::format("{}{:02}:{:02}", minutes < 0 ? '-' : '+', a / 60, a % 60);
}

Status CheckSourceConfig(model::SourceKind kind, const json& config) {
  if (!config.is_object()) return FieldError("config", "expected an object");
  switch (kind) {
    case model::SourceKind::kRss:
      return NeedHttpUrl(config, "url", "an rss source needs the feed's URL");
    case model::SourceKind::kJsonApi: {
      YQ_RETURN_IF_ERROR(NeedHttpUrl(config, "url", "a json_api source needs the API's URL"));
      YQ_RETURN_IF_ERROR(OptionalString(config, "items"));
      YQ_RETURN_IF_ERROR(OptionalString(config, "cursor_param"));
      YQ_RETURN_IF_ERROR(OptionalString(config, "next_cursor"));
      auto m = config.find("mapping");
      if (m == config.end() || !m->is_object()) {
        return FieldError("config.mapping",
                          "missing (an object of post field → JSON pointer, e.g. {\"id\": "
                          "\"/id\", \"text\": \"/content\", \"published_at\": \"/time\"})");
      }
      for (const auto& [field, pointer] : m->items()) {
        if (!pointer.is_string() || !pointer.get<std::string>().starts_with("/")) {
          return FieldError("config.mapping." + field,
                            "expected a JSON pointer starting with \"/\"");
        }
      }
      for (const char* need : {"id", "published_at"}) {
        if (!m->contains(need)) {
          return FieldError(fmt::format("config.mapping.{}", need), "missing");
        }
      }
      if (!m->contains("text") && !m->contains("title")) {
        return FieldError("config.mapping.text", "missing (text or title must be mapped)");
      }
      return Status::Ok();
    }
    case model::SourceKind::kFolder:
      YQ_RETURN_IF_ERROR(NeedString(config, "path", "a folder source needs the folder to watch"));
      YQ_RETURN_IF_ERROR(OptionalString(config, "done"));
      return OptionalString(config, "failed");
    case model::SourceKind::kWeb: {
      YQ_RETURN_IF_ERROR(NeedHttpUrl(config, "url", "a web source needs the list page's URL"));
      YQ_ASSIGN_OR_RETURN(WebSelectors selectors, WebSelectorsFromConfig(config));
      (void)selectors;
      return Status::Ok();
    }
    case model::SourceKind::kPush:
      return Status::Ok();
    case model::SourceKind::kReplay: {
      YQ_RETURN_IF_ERROR(
          NeedString(config, "file", "a replay source needs the recorded stream's file"));
      YQ_RETURN_IF_ERROR(OptionalString(config, "format"));
      if (auto f = config.find("format"); f != config.end()) {
        if (auto parsed = ParseFormat(f->get<std::string>()); !parsed.ok()) {
          return FieldError("config.format", parsed.status().message());
        }
      }
      if (auto m = config.find("max_per_run"); m != config.end()) {
        if (!m->is_number_integer() || m->get<int64_t>() < 1) {
          return FieldError("config.max_per_run", "expected a whole number of posts, at least 1");
        }
      }
      return Status::Ok();
    }
  }
  return Status::Ok();
}

Result<WebSelectors> WebSelectorsFromConfig(const json& config) {
  if (!config.is_object()) return FieldError("config", "expected an object");
  const json* css = nullptr;
  if (auto it = config.find("css"); it != config.end()) {
    if (!it->is_object()) {
      return FieldError("config.css", "expected an object of CSS selectors ({\"links\": …})");
    }
    css = &*it;
  }
  WebSelectors out;
  std::pair<const char*, std::string*> fields[] = {{"links", &out.links}, {"next", &out.next},
                                                   {"title", &out.title}, {"body", &out.body},
                                                   {"time", &out.time},   {"author", &out.author}};
  for (auto [key, target] : fields) {
    YQ_RETURN_IF_ERROR(OptionalString(config, key));
    bool has_xpath = config.contains(key);
    bool has_css = css != nullptr && css->contains(key);
    if (has_xpath && has_css) {
      return FieldError(
          fmt::format("config.css.{}", key),
          fmt::format("config.{} is given too: one selector per field, XPath or CSS", key));
    }
    if (has_xpath) *target = config[key].get<std::string>();
    if (has_css) {
      const json& v = (*css)[key];
      if (!v.is_string()) return FieldError(fmt::format("config.css.{}", key), "expected a string");
      auto xpath = CssToXPath(v.get<std::string>());
      if (!xpath.ok())
        return FieldError(fmt::format("config.css.{}", key), xpath.status().message());
      *target = *xpath;
    }
  }
  if (css != nullptr) {
    for (const auto& [key, v] : css->items()) {
      bool known = false;
      for (auto [name, target] : fields) known = known || key == name;
      if (!known) {
        return FieldError(fmt::format("config.css.{}", key),
                          "not a selector name (links, next, title, body, time, author)");
      }
    }
  }
  if (out.links.empty()) {
    return FieldError("config.links",
                      "missing (an XPath selecting the article links of the list, or a CSS "
                      "selector in config.css.links)");
  }
  return out;
}

Result<model::Source> SourceFromJson(const json& body, const std::string& fixed_name) {
  if (!body.is_object()) return Status::InvalidArgument("expected a JSON object");
  model::Source s;
  auto name = body.find("name");
  if (name != body.end()) {
    if (!name->is_string() || name->get<std::string>().empty() ||
        name->get<std::string>().size() > 200) {
      return FieldError("name", "expected a non-empty string of at most 200 bytes");
    }
    s.name = name->get<std::string>();
    if (!fixed_name.empty() && s.name != fixed_name) {
      return FieldError("name", fmt::format("\"{}\" differs from the source \"{}\" addressed",
                                            s.name, fixed_name));
    }
  } else if (fixed_name.empty()) {
    return FieldError("name", "missing");
  } else {
    s.name = fixed_name;
  }
  auto kind = body.find("kind");
  if (kind == body.end() || !kind->is_string()) {
    return FieldError("kind", "missing (rss, web, json_api, folder, push or replay)");
  }
  auto k = model::ParseSourceKind(kind->get<std::string>());
  if (!k) {
    return FieldError("kind",
                      fmt::format("\"{}\" is not rss, web, json_api, folder, push or replay",
                                  kind->get<std::string>()));
  }
  s.kind = *k;
  if (auto it = body.find("interval_s"); it != body.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 10 || it->get<int64_t>() > 7 * 86400) {
      return FieldError("interval_s", "expected whole seconds between 10 and 604800");
    }
    s.interval = std::chrono::seconds(it->get<int64_t>());
  }
  if (auto it = body.find("channel"); it != body.end()) {
    auto c = it->is_string() ? model::ParseChannel(it->get<std::string>()) : std::nullopt;
    if (!c) {
      return FieldError("channel", fmt::format("expected one of {}", model::ChannelNamesList()));
    }
    s.channel = *c;
  }
  if (auto it = body.find("region"); it != body.end()) {
    std::string r = it->is_string() ? it->get<std::string>() : "";
    bool digits = !r.empty();
    for (char ch : r) digits = digits && ch >= '0' && ch <= '9';
    if (!it->is_string() ||
        (!r.empty() && (!digits || (r.size() != 2 && r.size() != 4 && r.size() != 6)))) {
      return FieldError("region", "expected a GB/T 2260 code of 2, 4 or 6 digits");
    }
    s.region = r;
    while (!s.region.empty() && s.region.size() < 6) s.region += "00";
  }
  if (auto it = body.find("tz"); it != body.end()) {
    if (!it->is_string()) return FieldError("tz", "expected a string like +08:00");
    auto tz = ParseZoneOffset(it->get<std::string>());
    if (!tz.ok()) return FieldError("tz", tz.status().message());
    s.tz_offset_minutes = *tz;
  }
  json config = json::object();
  if (auto it = body.find("config"); it != body.end()) config = *it;
  YQ_RETURN_IF_ERROR(CheckSourceConfig(s.kind, config));
  s.config_json = config.dump();
  if (auto it = body.find("paused"); it != body.end()) {
    if (!it->is_boolean()) return FieldError("paused", "expected true or false");
    s.paused = it->get<bool>();
  }
  return s;
}

json SourceToJson(const model::Source& s) {
  const model::SourceState& st = s.state;
  json config = json::parse(s.config_json, nullptr, false);
  if (config.is_discarded()) config = json::object();
  json state = {{"cursor", st.cursor},
                {"etag", st.etag},
                {"last_modified", st.last_modified},
                {"last_run_at", Time(st.last_run_at)},
                {"last_success_at", Time(st.last_success_at)},
                {"last_post_at", Time(st.last_post_at)},
                {"consecutive_failures", st.consecutive_failures},
                {"counts",
                 {{"runs", st.runs},
                  {"failures", st.failures},
                  {"fetched", st.fetched},
                  {"accepted", st.accepted},
                  {"duplicate", st.duplicate},
                  {"rejected", st.rejected}}}};
  if (st.last_error_at) {
    state["last_error"] = {{"at", core::FormatIso8601(*st.last_error_at)},
                           {"url", st.last_error_url},
                           {"message", st.last_error}};
  } else {
    state["last_error"] = nullptr;
  }
  return {{"id", s.id},
          {"name", s.name},
          {"kind", model::SourceKindName(s.kind)},
          {"interval_s", s.interval.count()},
          {"channel", model::ChannelName(s.channel)},
          {"region", s.region},
          {"tz", FormatZoneOffset(s.tz_offset_minutes)},
          {"config", config},
          {"paused", s.paused},
          {"created_at", core::FormatIso8601(s.created_at)},
          {"updated_at", core::FormatIso8601(s.updated_at)},
          {"health",
           {{"state", model::SourceHealthName(s.state.health)},
            {"since", Time(st.health_since)},
            {"reason", st.health_reason}}},
          {"state", state}};
}

}  // namespace yuqing::collect

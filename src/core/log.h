// Logging: a thin layer over spdlog so modules do not depend on its configuration.
// Safe from any thread.
#pragma once

#include <spdlog/spdlog.h>

#include <string_view>

namespace yuqing::core {

// Sets the level from "trace", "debug", "info", "warn", "error", "off". Unknown → info.
void SetLogLevel(std::string_view level);

}  // namespace yuqing::core

#define YQ_LOG_INFO(...) ::spdlog::info(__VA_ARGS__)
#define YQ_LOG_WARN(...) ::spdlog::warn(__VA_ARGS__)
#define YQ_LOG_ERROR(...) ::spdlog::error(__VA_ARGS__)
#define YQ_LOG_DEBUG(...) ::spdlog::debug(__VA_ARGS__)

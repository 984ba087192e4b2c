#include "core/log.h"

#include <string>

namespace yuqing::core {

void SetLogLevel(std::string_view level) {
  spdlog::set_level(spdlog::level::from_str(std::string(level)));
}

}  // namespace yuqing::core

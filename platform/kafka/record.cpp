#include "platform/kafka/record.hpp"

namespace fo::kafka {

std::optional<std::string_view> FindHeader(const Headers& headers, std::string_view key) {
  for (const auto& header : headers) {
    if (header.key == key) return std::string_view(header.value);
  }
  return std::nullopt;
}

}  // namespace fo::kafka

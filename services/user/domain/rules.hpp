#pragma once
// Field rules for accounts; each returns the problem with a value, or nullopt when it is fine.
#include <optional>
#include <string>
#include <string_view>

namespace fo::user::domain {

inline constexpr std::size_t kUsernameMin = 3, kUsernameMax = 32;
inline constexpr std::size_t kPasswordMin = 8, kPasswordMax = 128;
inline constexpr std::size_t kEmailMax = 254, kFullNameMax = 100;

std::optional<std::string> CheckUsername(std::string_view username);
std::optional<std::string> CheckEmail(std::string_view email);
std::optional<std::string> CheckPassword(std::string_view password);
std::optional<std::string> CheckFullName(std::string_view full_name);

// Emails compare case-insensitively; we store them lowercased.
std::string NormalizeEmail(std::string_view email);

}  // namespace fo::user::domain

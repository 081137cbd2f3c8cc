#include "services/user/domain/rules.hpp"

#include <algorithm>
#include <cctype>

namespace fo::user::domain {
namespace {

std::size_t CodePoints(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool IsUsernameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

}  // namespace

std::optional<std::string> CheckUsername(std::string_view username) {
  if (username.size() < kUsernameMin || username.size() > kUsernameMax) {
    return "must be 3 to 32 characters";
  }
  if (!std::all_of(username.begin(), username.end(), IsUsernameChar)) {
    return "may contain only a-z, 0-9, '_', '.' and '-'";
  }
  return std::nullopt;
}

std::optional<std::string> CheckEmail(std::string_view email) {
  if (email.size() > kEmailMax) return "must be at most 254 characters";
  auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 ||
      email.find('@', at + 1) != std::string_view::npos) {
    return "must be a valid email address";
  }
  auto local = email.substr(0, at);
  auto domain = email.substr(at + 1);
  auto dot = domain.rfind('.');
  if (local.size() > 64 || domain.empty() || dot == std::string_view::npos || dot == 0 ||
      domain.size() - dot - 1 < 2 || domain.front() == '-' ||
      domain.find("..") != std::string_view::npos || local.front() == '.' || local.back() == '.' ||
      local.find("..") != std::string_view::npos) {
    return "must be a valid email address";
  }
  for (unsigned char c : email) {
    if (IsControl(c) || c == ' ' || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' ||
        c == ';' || c == ':' || c == '\\' || c == '"' || c == '[' || c == ']') {
      return "must be a valid email address";
    }
  }
  return std::nullopt;
}

std::optional<std::string> CheckPassword(std::string_view password) {
  auto length = CodePoints(password);
  if (length < kPasswordMin) return "must be at least 8 characters";
  if (length > kPasswordMax) return "must be at most 128 characters";
  return std::nullopt;
}

std::optional<std::string> CheckFullName(std::string_view full_name) {
  if (CodePoints(full_name) > kFullNameMax) return "must be at most 100 characters";
  if (std::any_of(full_name.begin(), full_name.end(),
                  [](char c) { return IsControl(static_cast<unsigned char>(c)); })) {
    return "must not contain control characters";
  }
  return std::nullopt;
}

std::string NormalizeEmail(std::string_view email) {
  std::string out(email);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace fo::user::domain

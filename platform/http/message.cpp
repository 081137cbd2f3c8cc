#include "platform/http/message.hpp"

#include <strings.h>

#include <charconv>

#include "platform/errors/error.hpp"

namespace fo::http {

std::string_view FindHeader(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && ::strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return value;
    }
  }
  return {};
}

std::optional<std::string_view> Request::Query(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

std::string_view Request::Param(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return {};
}

std::int64_t Request::IdParam(std::string_view name) const {
  auto text = Param(name);
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    throw InvalidArgument(std::string(name) + " must be a positive integer",
                          {{std::string(name), "must be a positive integer"}});
  }
  return id;
}

const Principal& Request::Caller() const {
  if (!principal) throw Unauthenticated("authentication required");
  return *principal;
}

std::chrono::milliseconds Request::Remaining() const {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() > 0 ? left : std::chrono::milliseconds(0);
}

std::string_view ReasonPhrase(int code) {
  switch (code) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 402:
      return "Payment Required";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Unknown";
  }
}

Response Json(int code, std::string body) {
  Response response{code, {{"Content-Type", "application/json"}}, std::move(body)};
  return response;
}

Response NoContent() { return Response{status::kNoContent, {}, {}}; }

Response Text(int code, std::string body, std::string content_type) {
  return Response{code, {{"Content-Type", std::move(content_type)}}, std::move(body)};
}

}  // namespace fo::http

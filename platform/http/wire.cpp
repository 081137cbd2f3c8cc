#include "platform/http/wire.hpp"

#include <charconv>

#include "platform/http/client.hpp"

namespace fo::http {
namespace {

void AppendNumber(std::string& out, std::size_t number) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, number);
  out.append(digits, end);
}

void AppendHeaders(std::string& out, const Headers& headers) {
  for (const auto& [name, value] : headers) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
}

}  // namespace

bool BodylessStatus(int status) { return status < 200 || status == 204 || status == 304; }

void WriteResponseHead(std::string& out, const Response& response, unsigned version,
                       bool keep_alive) {
  out.clear();
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  AppendNumber(out, static_cast<std::size_t>(response.status));
  out += ' ';
  out += ReasonPhrase(response.status);
  out += "\r\n";
  AppendHeaders(out, response.headers);
  if (!BodylessStatus(response.status)) {
    out += "Content-Length: ";
    AppendNumber(out, response.body.size());
    out += "\r\n";
  }
  if (!keep_alive && version != 10) out += "Connection: close\r\n";
  if (keep_alive && version == 10) out += "Connection: keep-alive\r\n";
  out += "\r\n";
}

void WriteRequestHead(std::string& out, const ClientRequest& request) {
  out.clear();
  out += request.method;
  out += ' ';
  out += request.target;
  out += " HTTP/1.1\r\n";
  AppendHeaders(out, request.headers);
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT" ||
      request.method == "PATCH") {
    out += "Content-Length: ";
    AppendNumber(out, request.body.size());
    out += "\r\n";
  }
  out += "\r\n";
}

}  // namespace fo::http

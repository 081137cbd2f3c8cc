#pragma once
// Beast's HTTP/1.1 parser, feeding our own message types directly: no beast::http::fields in
// between (a node allocation per header, then a copy into ours). Included only by the two
// Beast translation units, server.cpp and client.cpp.
#include <boost/beast/http/basic_parser.hpp>

#include "platform/http/client.hpp"
#include "platform/http/message.hpp"

namespace fo::http::detail {

namespace bhttp = boost::beast::http;
using boost::beast::error_code;
using boost::beast::string_view;  // Beast's, not std's: the overrides must match

template <bool IsRequest>
class ParserBase : public bhttp::basic_parser<IsRequest> {
 protected:
  ParserBase(Headers& headers, std::string& body) : headers_(headers), body_(body) {}

 private:
  void on_field_impl(bhttp::field, string_view name, string_view value, error_code&) override {
    headers_.emplace_back(std::string(name.data(), name.size()),
                          std::string(value.data(), value.size()));
  }
  void on_header_impl(error_code&) override {}
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code&) override {
    if (length) body_.reserve(static_cast<std::size_t>(*length));  // within body_limit
  }
  std::size_t on_body_impl(string_view data, error_code&) override {
    body_.append(data.data(), data.size());
    return data.size();
  }
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, string_view data, error_code&) override {
    body_.append(data.data(), data.size());
    return data.size();
  }
  void on_finish_impl(error_code&) override {}

  Headers& headers_;
  std::string& body_;
};

// Fills method, target, headers and body; the caller derives path and query.
class RequestParser final : public ParserBase<true> {
 public:
  explicit RequestParser(Request& out) : ParserBase(out.headers, out.body), out_(out) {}
  unsigned Version() const { return version_; }

 private:
  void on_request_impl(bhttp::verb, string_view method, string_view target, int version,
                       error_code&) override {
    out_.method.assign(method.data(), method.size());
    out_.target.assign(target.data(), target.size());
    version_ = static_cast<unsigned>(version);
  }
  void on_response_impl(int, string_view, int, error_code&) override {}

  Request& out_;
  unsigned version_ = 11;
};

class ResponseParser final : public ParserBase<false> {
 public:
  explicit ResponseParser(ClientResponse& out) : ParserBase(out.headers, out.body), out_(out) {}

 private:
  void on_request_impl(bhttp::verb, string_view, string_view, int, error_code&) override {}
  void on_response_impl(int status, string_view, int, error_code&) override {
    out_.status = status;
  }

  ClientResponse& out_;
};

}  // namespace fo::http::detail

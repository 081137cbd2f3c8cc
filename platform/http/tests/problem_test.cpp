#include "platform/http/problem.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace fo::http {
namespace {

constexpr std::string_view kTrace = "4bf92f3577b34da6a3ce929d0e0e4736";

TEST(QuoteTraceId, AddsTheTraceToAProblemAHandlerMadeWithoutOne) {
  auto response = Problem(402, "the payment was declined");
  QuoteTraceId(response, kTrace);
  const auto body = boost::json::parse(response.body).as_object();
  EXPECT_EQ(body.at("trace_id").as_string(), kTrace);
  EXPECT_EQ(body.at("status").as_int64(), 402);
  EXPECT_EQ(body.at("detail").as_string(), "the payment was declined");
}

TEST(QuoteTraceId, KeepsTheTraceABodyQuotesAlready) {
  auto response = Problem(409, "replayed", {}, "0af7651916cd43dd8448eb211c80319c");
  QuoteTraceId(response, kTrace);
  EXPECT_EQ(boost::json::parse(response.body).at("trace_id").as_string(),
            "0af7651916cd43dd8448eb211c80319c");
}

TEST(QuoteTraceId, LeavesEverythingElseAlone) {
  Response ok{200, {{"Content-Type", "application/problem+json"}}, R"({"a":1})"};
  Response plain{404, {{"Content-Type", "text/plain"}}, "not found"};
  Response broken{500, {{"Content-Type", "application/problem+json"}}, "{not json"};
  Response array{400, {{"Content-Type", "application/problem+json"}}, "[1]"};
  for (auto* response : {&ok, &plain, &broken, &array}) {
    const auto before = response->body;
    QuoteTraceId(*response, kTrace);
    EXPECT_EQ(response->body, before);
  }
  auto untraced = Problem(400, "bad");
  const auto before = untraced.body;
  QuoteTraceId(untraced, "");  // not sampled and no context: nothing to quote
  EXPECT_EQ(untraced.body, before);
}

}  // namespace
}  // namespace fo::http

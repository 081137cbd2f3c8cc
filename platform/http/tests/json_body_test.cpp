#include "platform/http/json_body.hpp"

#include <gtest/gtest.h>

namespace fo::http {
namespace {

Request WithBody(std::string body, std::string type = "application/json") {
  Request request;
  request.body = std::move(body);
  if (!type.empty()) request.headers.emplace_back("Content-Type", type);
  return request;
}

std::vector<FieldError> ErrorsOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidArgument);
    return e.fields();
  }
  ADD_FAILURE() << "expected an InvalidArgument error";
  return {};
}

TEST(JsonBody, ReadsTypedFields) {
  auto body = JsonBody::Parse(WithBody(R"({"name":"ann","age":30,"ok":true,"gone":null})"));
  EXPECT_EQ(body.String("name", {.required = true}), "ann");
  EXPECT_EQ(body.Int("age", {.min = 0, .max = 200}), 30);
  EXPECT_EQ(body.Bool("ok"), true);
  EXPECT_EQ(body.String("gone"), std::nullopt);  // null reads as absent
  EXPECT_NO_THROW(body.Finish());
}

TEST(JsonBody, MalformedAndNonObjectBodiesAre400) {
  for (const char* text : {"{", "", "[1,2]", "\"x\"", "{\"a\":1,}", "{\"a\":\"\xff\"}"}) {
    auto errors = ErrorsOf([&] { JsonBody::Parse(WithBody(text)); });
    ASSERT_EQ(errors.size(), 1u) << text;
    EXPECT_EQ(errors[0].field, "body");
  }
}

TEST(JsonBody, WrongContentTypeIs400) {
  auto errors = ErrorsOf([] { JsonBody::Parse(WithBody("{}", "text/plain")); });
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "Content-Type");
  EXPECT_NO_THROW(JsonBody::Parse(WithBody("{}", "application/json; charset=utf-8")));
  EXPECT_NO_THROW(JsonBody::Parse(WithBody("{}", "")));
}

TEST(JsonBody, ReportsEveryBadFieldAtOnce) {
  auto body = JsonBody::Parse(
      WithBody(R"({"name":5,"age":"x","ok":"yes","long":"abcdef","extra":1,"big":1e3,"neg":-1})"));
  auto errors = ErrorsOf([&] {
    body.String("name");
    body.Int("age");
    body.Bool("ok");
    body.String("long", {.max = 5});
    body.String("missing", {.required = true});
    body.Int("big");
    body.Int("neg", {.min = 0});
    body.Finish();
  });
  std::map<std::string, std::string> by_field;
  for (const auto& e : errors) by_field[e.field] = e.message;
  EXPECT_EQ(by_field["name"], "must be a string");
  EXPECT_EQ(by_field["age"], "must be an integer");
  EXPECT_EQ(by_field["ok"], "must be true or false");
  EXPECT_EQ(by_field["long"], "must be at most 5 characters");
  EXPECT_EQ(by_field["missing"], "is required");
  EXPECT_EQ(by_field["extra"], "is not a known field");
  EXPECT_EQ(by_field["big"], "must be an integer");  // a double is not an integer
  EXPECT_EQ(by_field["neg"].rfind("must be between", 0), 0u);
  EXPECT_EQ(errors.size(), 8u);
}

TEST(JsonBody, NamesReadOnlyFieldsAndRefusedNulls) {
  auto body = JsonBody::Parse(WithBody(R"({"name":null,"stock":3,"price":7})"));
  auto errors = ErrorsOf([&] {
    body.ReadOnly("stock", "is read-only");
    body.ReadOnly("absent", "is read-only");  // nothing to say about a field not sent
    body.RefuseNulls();
    body.String("name");
    body.Int("price");
    body.Finish();
  });
  std::map<std::string, std::string> by_field;
  for (const auto& e : errors) by_field[e.field] = e.message;
  EXPECT_EQ(by_field["stock"], "is read-only");  // not "is not a known field"
  EXPECT_EQ(by_field["name"], "must not be null");
  EXPECT_EQ(errors.size(), 2u);
}

TEST(JsonBody, CountsCharactersNotBytes) {
  auto body = JsonBody::Parse(WithBody(R"({"name":"ÅÅÅÅÅ"})"));
  EXPECT_EQ(body.String("name", {.max = 5}), "ÅÅÅÅÅ");
  EXPECT_NO_THROW(body.Finish());
}

TEST(CleanText, AcceptsUtf8AndRejectsNulAndMalformedSequences) {
  EXPECT_TRUE(IsCleanText(""));
  EXPECT_TRUE(IsCleanText("plain ascii"));
  EXPECT_TRUE(IsCleanText("\xC3\xA5 \xE2\x82\xAC \xF0\x9F\x98\x80"));  // å € 😀
  EXPECT_FALSE(IsCleanText(std::string("a\0b", 3)));
  EXPECT_FALSE(IsCleanText("\xFF"));
  EXPECT_FALSE(IsCleanText("\xC3"));              // truncated
  EXPECT_FALSE(IsCleanText("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsCleanText("\xED\xA0\x80"));      // UTF-16 surrogate
  EXPECT_FALSE(IsCleanText("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsCleanText("\xE2\x28\xA1"));      // bad continuation
}

}  // namespace
}  // namespace fo::http

#include "platform/telemetry/log/log.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace fo::log {
namespace {

TEST(Log, JsonLineHasCorrelationAndEscapedFields) {
  Configure({.service = "user", .format = Format::kJson, .level = Level::kInfo});
  auto line = FormatLine(Level::kWarn, "he said \"hi\"\n", {{"status", 404}, {"path", "/a\"b"}},
                         {"0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"});
  ASSERT_EQ(line.back(), '\n');
  auto doc = boost::json::parse(line).as_object();
  EXPECT_EQ(doc.at("level").as_string(), "warn");
  EXPECT_EQ(doc.at("service").as_string(), "user");
  EXPECT_EQ(doc.at("msg").as_string(), "he said \"hi\"\n");
  EXPECT_EQ(doc.at("trace_id").as_string(), "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(doc.at("span_id").as_string(), "b7ad6b7169203331");
  EXPECT_EQ(doc.at("status").as_int64(), 404);
  EXPECT_EQ(doc.at("path").as_string(), "/a\"b");
  EXPECT_TRUE(doc.at("ts").as_string().ends_with("Z"));
}

TEST(Log, LevelFilter) {
  Configure({.service = "user", .format = Format::kJson, .level = Level::kWarn});
  EXPECT_FALSE(Enabled(Level::kInfo));
  EXPECT_TRUE(Enabled(Level::kError));
  Configure({.service = "user", .format = Format::kText, .level = Level::kDebug});
  EXPECT_TRUE(Enabled(Level::kDebug));
  auto line = FormatLine(Level::kInfo, "started", {{"port", 8080}}, {});
  EXPECT_NE(line.find("info started port=8080"), std::string::npos);
}

}  // namespace
}  // namespace fo::log

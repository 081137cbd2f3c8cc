#include "platform/telemetry/tracing/attribute_list.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fo::telemetry {
namespace {

std::vector<std::string> Keys(const AttributeList& list) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : list) keys.push_back(key);
  return keys;
}

TEST(AttributeListTest, KeepsFirstSetOrderAndReplacesValues) {
  AttributeList list;
  EXPECT_TRUE(list.empty());
  EXPECT_TRUE(list.Set("b", std::string_view("one")));
  EXPECT_TRUE(list.Set("a", std::int64_t{2}));
  EXPECT_TRUE(list.Set("b", 2.5));  // a string replaced by a number
  EXPECT_TRUE(list.Set("a", std::string_view("text")));
  EXPECT_TRUE(list.Set("c", true));
  ASSERT_EQ(list.size(), 3U);
  EXPECT_EQ(Keys(list), (std::vector<std::string>{"b", "a", "c"}));
  EXPECT_DOUBLE_EQ(std::get<double>(list[0].second), 2.5);
  EXPECT_EQ(std::get<std::string>(list[1].second), "text");
  EXPECT_EQ(std::get<bool>(list[2].second), true);
}

TEST(AttributeListTest, InitializerListAndVariantValues) {
  const AttributeList list{{"s", std::string("v")}, {"i", std::int64_t{-7}}, {"s", 1.0}};
  ASSERT_EQ(list.size(), 2U);  // the repeated key replaced its value
  EXPECT_DOUBLE_EQ(std::get<double>(list[0].second), 1.0);
  EXPECT_EQ(std::get<std::int64_t>(list[1].second), -7);
}

TEST(AttributeListTest, RefusesNewKeysWhenFullButStillReplaces) {
  AttributeList list;
  for (std::size_t i = 0; i < kMaxSpanAttributes; ++i) {
    ASSERT_TRUE(list.Set("k" + std::to_string(i), static_cast<std::int64_t>(i)));
  }
  EXPECT_FALSE(list.Set("one-more", true));
  EXPECT_TRUE(list.Set("k0", std::string_view("replaced")));
  EXPECT_EQ(list.size(), kMaxSpanAttributes);
  EXPECT_EQ(std::get<std::string>(list[0].second), "replaced");
}

// The point of the list: a cleared list reuses its entries' buffers, so a recycled span records
// its attributes without allocating.
TEST(AttributeListTest, ClearKeepsTheStringsForTheNextUse) {
  const std::string long_key = "network.protocol.version.of.the.peer";
  const std::string long_value(200, 'x');
  AttributeList list;
  list.Set(long_key, std::string_view(long_value));
  list.Set("status", std::int64_t{200});
  const char* key_buffer = list[0].first.data();
  const char* value_buffer = std::get<std::string>(list[0].second).data();

  list.clear();
  EXPECT_TRUE(list.empty());
  EXPECT_EQ(list.begin(), list.end());

  list.Set("db.query.text.of.the.statement", std::string_view(std::string(150, 'y')));
  ASSERT_EQ(list.size(), 1U);
  EXPECT_EQ(list[0].first, "db.query.text.of.the.statement");
  EXPECT_EQ(std::get<std::string>(list[0].second), std::string(150, 'y'));
  EXPECT_EQ(list[0].first.data(), key_buffer);
  EXPECT_EQ(std::get<std::string>(list[0].second).data(), value_buffer);
  // The spare second entry is not visible, and a key set anew does not find its old value.
  EXPECT_TRUE(list.Set("status", true));
  EXPECT_EQ(std::get<bool>(list[1].second), true);
}

}  // namespace
}  // namespace fo::telemetry

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

// The point of the list: a cleared list encodes into the same buffer, so a recycled span records
// its attributes without allocating.
TEST(AttributeListTest, ClearKeepsTheBufferForTheNextUse) {
  const std::string long_value(200, 'x');
  AttributeList list;
  list.Set("network.protocol.version.of.the.peer", std::string_view(long_value));
  list.Set("status", std::int64_t{200});
  const char* buffer = list.Encoded().data();

  list.clear();
  EXPECT_TRUE(list.empty());
  EXPECT_TRUE(list.Encoded().empty());
  EXPECT_EQ(list.begin(), list.end());

  list.Set("db.query.text.of.the.statement", std::string_view(std::string(150, 'y')));
  ASSERT_EQ(list.size(), 1U);
  EXPECT_EQ(list[0].first, "db.query.text.of.the.statement");
  EXPECT_EQ(std::get<std::string>(list[0].second), std::string(150, 'y'));
  EXPECT_EQ(list.Encoded().data(), buffer);
  // A key set before the clear is new again.
  EXPECT_TRUE(list.Set("status", true));
  ASSERT_EQ(list.size(), 2U);
  EXPECT_EQ(std::get<bool>(list[1].second), true);
}

// Each attribute is its Span.attributes field (9), as the span's encoding copies it: checked
// byte for byte for each kind of value (the published protos decode it in otlp_protobuf_test).
TEST(AttributeListTest, EncodesEachAttributeAsASpanAttributesField) {
  AttributeList list;
  list.Set("k", std::string_view("vv"));
  list.Set("i", std::int64_t{-1});
  list.Set("d", 1.0);
  list.Set("b", true);
  using namespace std::string_literals;
  const std::string expected =
      // 4a len | 0a 01 'k' | 12 len | 0a 02 'v' 'v'
      "\x4a\x09\x0a\x01"s + "k\x12\x04\x0a\x02vv" +
      // 4a len | 0a 01 'i' | 12 0b | 18 and ten bytes of -1
      "\x4a\x10\x0a\x01"s + "i\x12\x0b\x18" + std::string(9, '\xff') + "\x01" +
      // 4a len | 0a 01 'd' | 12 09 | 21 and 1.0 little-endian
      "\x4a\x0e\x0a\x01"s + "d\x12\x09\x21\x00\x00\x00\x00\x00\x00\xf0\x3f"s +
      // 4a len | 0a 01 'b' | 12 02 | 10 01
      "\x4a\x07\x0a\x01"s + "b\x12\x02\x10\x01";
  EXPECT_EQ(list.Encoded(), expected);
}

// Replacing a value re-encodes its field in place: what follows moves and still reads back.
TEST(AttributeListTest, ReplacingAValueOfAnotherSizeMovesTheFieldsAfterIt) {
  AttributeList list;
  list.Set("a", std::string_view("short"));
  list.Set("b", std::int64_t{7});
  list.Set("c", std::string_view("after"));
  list.Set("a", std::string_view(std::string(300, 'z')));  // its length takes two bytes now
  ASSERT_EQ(list.size(), 3U);
  EXPECT_EQ(std::get<std::string>(list[0].second), std::string(300, 'z'));
  EXPECT_EQ(std::get<std::int64_t>(list[1].second), 7);
  EXPECT_EQ(list[2].first, "c");
  EXPECT_EQ(std::get<std::string>(list[2].second), "after");
  list.Set("a", false);  // and shorter again
  EXPECT_EQ(std::get<bool>(list[0].second), false);
  EXPECT_EQ(std::get<std::string>(list[2].second), "after");
  EXPECT_EQ(list.Encoded().size(), 9U + 9U + 14U);  // tag, length, key, value: each
}

// Keys and text are made valid UTF-8 when set, so the span's encoding needs no check of its own.
TEST(AttributeListTest, RepairsInvalidUtf8WhenSet) {
  AttributeList list;
  list.Set("bad\xff", std::string_view("/a\xc0\xafz"));
  list.Set("ok", std::string_view("caf\xc3\xa9"));  // valid: kept as it is
  EXPECT_EQ(list[0].first, "bad\xef\xbf\xbd");
  EXPECT_EQ(std::get<std::string>(list[0].second), "/a\xef\xbf\xbd\xef\xbf\xbdz");
  EXPECT_EQ(std::get<std::string>(list[1].second), "caf\xc3\xa9");
  EXPECT_TRUE(list.Set("bad\xef\xbf\xbd", true));  // the repaired key is the one stored
  EXPECT_EQ(list.size(), 2U);
}

// A value read from the list itself stays valid while the list grows its buffer.
TEST(AttributeListTest, SetsAValueReadFromTheListItself) {
  AttributeList list;
  list.Set("first", std::string_view(std::string(100, 'q')));
  for (int i = 0; i < 20; ++i) {
    const AttributeRef first = list.Ref(0);
    ASSERT_TRUE(list.Set("copy" + std::to_string(i), std::get<std::string_view>(first.value)));
  }
  EXPECT_EQ(std::get<std::string>(list[20].second), std::string(100, 'q'));
}

// Spans are copied (test doubles keep what they were handed): a copy owns its own bytes.
TEST(AttributeListTest, CopiesAreIndependentAndMovesCarryTheAttributes) {
  AttributeList list{{"k", std::string("v")}, {"n", std::int64_t{1}}};
  AttributeList copy = list;
  list.Set("k", std::string_view("changed"));
  EXPECT_EQ(std::get<std::string>(copy[0].second), "v");
  EXPECT_EQ(copy.size(), 2U);
  copy = list;
  EXPECT_EQ(std::get<std::string>(copy[0].second), "changed");
  EXPECT_EQ(copy.Encoded(), list.Encoded());

  AttributeList moved = std::move(list);
  EXPECT_EQ(moved.Encoded(), copy.Encoded());
  moved = std::move(copy);
  EXPECT_EQ(moved.size(), 2U);
  EXPECT_EQ(std::get<std::int64_t>(moved[1].second), 1);
  EXPECT_TRUE(moved.Set("more", true));
  EXPECT_EQ(moved.size(), 3U);
}

}  // namespace
}  // namespace fo::telemetry

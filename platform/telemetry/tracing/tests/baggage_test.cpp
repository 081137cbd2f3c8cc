#include "platform/telemetry/tracing/baggage.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fo::telemetry {
namespace {

using Entry = std::pair<std::string, std::string>;

TEST(BaggageTest, ParsesMembersWithWhitespaceAndProperties) {
  const Baggage baggage =
      ParseBaggage(" userId = alice , serverNode=DF%2028,isProduction=false;prop1;p2=v2");
  EXPECT_EQ(baggage, (Baggage{Entry{"userId", "alice"}, Entry{"serverNode", "DF 28"},
                              Entry{"isProduction", "false"}}));
}

TEST(BaggageTest, PercentDecodesUtf8AndReplacesInvalidSequences) {
  EXPECT_EQ(ParseBaggage("k=%E2%82%AC"), (Baggage{Entry{"k", "\xe2\x82\xac"}}));  // euro sign
  EXPECT_EQ(ParseBaggage("k=%FF"), (Baggage{Entry{"k", "\xef\xbf\xbd"}}));        // U+FFFD
  EXPECT_EQ(ParseBaggage("k=100%"), (Baggage{Entry{"k", "100%"}}));  // not an escape: kept
}

TEST(BaggageTest, SkipsInvalidMembers) {
  const Baggage baggage = ParseBaggage("good=1,no-equals,bad key=2,=3,q=\"x\",also=ok,,");
  EXPECT_EQ(baggage, (Baggage{Entry{"good", "1"}, Entry{"also", "ok"}}));
}

TEST(BaggageTest, RepeatedKeyKeepsLastValue) {
  EXPECT_EQ(ParseBaggage("a=1,b=2,a=3"), (Baggage{Entry{"a", "3"}, Entry{"b", "2"}}));
}

TEST(BaggageTest, FormatEncodesAndRoundTrips) {
  const Baggage baggage{{"user", "alice smith"}, {"path", "a,b;c=d%"}, {"euro", "\xe2\x82\xac"}};
  const std::string header = FormatBaggage(baggage);
  EXPECT_EQ(header, "user=alice%20smith,path=a%2Cb%3Bc=d%25,euro=%E2%82%AC");
  EXPECT_EQ(ParseBaggage(header), baggage);
}

TEST(BaggageTest, FormatSkipsInvalidKeys) {
  EXPECT_EQ(FormatBaggage({{"bad key", "1"}, {"", "2"}, {"ok", "3"}}), "ok=3");
}

TEST(BaggageTest, MemberLimit) {
  Baggage many;
  std::string header;
  for (int i = 0; i < 200; ++i) {
    many.emplace_back("k" + std::to_string(i), "v");
    header += (i ? ",k" : "k") + std::to_string(i) + "=v";
  }
  EXPECT_EQ(ParseBaggage(header).size(), kMaxBaggageMembers);
  const std::string formatted = FormatBaggage(many);
  EXPECT_EQ(ParseBaggage(formatted).size(), kMaxBaggageMembers);
  EXPECT_EQ(formatted.find("k180="), std::string::npos);
}

TEST(BaggageTest, ByteLimitDropsWholeMembers) {
  const std::string big(5000, 'x');
  const Baggage baggage{{"a", big}, {"b", big}, {"c", "small"}};
  const std::string formatted = FormatBaggage(baggage);
  EXPECT_LE(formatted.size(), kMaxBaggageBytes);
  EXPECT_EQ(formatted, "a=" + big + ",c=small");  // b would not fit; never cut in the middle

  const Baggage parsed = ParseBaggage("a=" + big + ",b=" + big + ",c=small");
  EXPECT_EQ(parsed, (Baggage{Entry{"a", big}, Entry{"c", "small"}}));
}

TEST(BaggageTest, EmptyHeader) {
  EXPECT_TRUE(ParseBaggage("").empty());
  EXPECT_EQ(FormatBaggage({}), "");
}

}  // namespace
}  // namespace fo::telemetry

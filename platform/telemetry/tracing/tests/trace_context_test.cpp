// traceparent / tracestate cases from the W3C Trace Context spec and its test suite.
#include "platform/telemetry/tracing/trace_context.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fo::telemetry {
namespace {

constexpr std::string_view kValid = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

TEST(TraceparentTest, ParsesValidHeader) {
  const auto context = ParseTraceparent(kValid);
  ASSERT_TRUE(context.has_value());
  EXPECT_EQ(context->TraceIdHex(), "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(context->SpanIdHex(), "b7ad6b7169203331");
  EXPECT_TRUE(context->Sampled());
  EXPECT_TRUE(context->remote);
  EXPECT_TRUE(context->IsValid());
}

TEST(TraceparentTest, NotSampledFlag) {
  const auto context = ParseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00");
  ASSERT_TRUE(context.has_value());
  EXPECT_FALSE(context->Sampled());
}

TEST(TraceparentTest, UnknownFlagsAreNotPropagated) {
  const auto context = ParseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-ff");
  ASSERT_TRUE(context.has_value());
  EXPECT_EQ(context->flags, kTraceFlagSampled);
  EXPECT_EQ(FormatTraceparent(*context).substr(53), "01");
}

TEST(TraceparentTest, TrimsOptionalWhitespace) {
  EXPECT_TRUE(ParseTraceparent(" \t" + std::string(kValid) + "\t ").has_value());
}

TEST(TraceparentTest, RejectsInvalidHeaders) {
  const std::string cases[] = {
      "",
      "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",    // version ff is forbidden
      "00-00000000000000000000000000000000-b7ad6b7169203331-01",    // all-zero trace id
      "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",    // all-zero span id
      "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01",    // uppercase trace id
      "00-0af7651916cd43dd8448eb211c80319c-B7AD6B7169203331-01",    // uppercase span id
      "0A-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",    // uppercase version
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0F",    // uppercase flags
      "00-0af7651916cd43dd8448eb211c8031-b7ad6b7169203331-01",      // short trace id
      "00-0af7651916cd43dd8448eb211c80319c00-b7ad6b7169203331-01",  // long trace id
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b71692033-01",      // short span id
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333100-01",  // long span id
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1",     // short flags
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-001",   // long flags
      "0-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",     // short version
      "000-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",   // long version
      "00_0af7651916cd43dd8448eb211c80319c_b7ad6b7169203331_01",    // wrong separators
      "00-0af7651916cd43dd8448eb211c80319g-b7ad6b7169203331-01",    // not hex
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0g",    // flags not hex
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-",   // version 00 with extra
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-what-the-future-will-be-like",
      "cc-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01.what-the-future-will-be-like",
  };
  for (const std::string& header : cases) {
    EXPECT_FALSE(ParseTraceparent(header).has_value()) << header;
  }
}

TEST(TraceparentTest, AcceptsFutureVersionWithExtraFields) {
  const auto exact = ParseTraceparent("cc-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
  ASSERT_TRUE(exact.has_value());
  const auto extended = ParseTraceparent(
      "cc-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-what-the-future-will-be-like");
  ASSERT_TRUE(extended.has_value());
  EXPECT_EQ(extended->TraceIdHex(), "0af7651916cd43dd8448eb211c80319c");
  EXPECT_TRUE(extended->Sampled());
  // We always send the version we implement.
  EXPECT_EQ(FormatTraceparent(*extended), kValid);
}

TEST(TraceparentTest, FormatRoundTrips) {
  const auto context = ParseTraceparent(kValid);
  ASSERT_TRUE(context.has_value());
  EXPECT_EQ(FormatTraceparent(*context), kValid);

  SpanContext made;
  made.trace_id = {0x4b, 0xf9, 0x2f, 0x35, 0x77, 0xb3, 0x4d, 0xa6,
                   0xa3, 0xce, 0x92, 0x9d, 0x0e, 0x0e, 0x47, 0x36};
  made.span_id = {0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7};
  const std::string header = FormatTraceparent(made);
  EXPECT_EQ(header, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  const auto parsed = ParseTraceparent(header);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->trace_id, made.trace_id);
  EXPECT_EQ(parsed->span_id, made.span_id);
  EXPECT_FALSE(parsed->Sampled());
}

TEST(TracestateTest, PassesValidValueThrough) {
  const auto context = ParseTraceparent(kValid, "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  ASSERT_TRUE(context.has_value());
  EXPECT_EQ(context->trace_state, "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
}

TEST(TracestateTest, NormalisesWhitespaceAndEmptyMembers) {
  EXPECT_EQ(NormalizeTracestate(" rojo=1 ,\t, congo=2 ,"), "rojo=1,congo=2");
  EXPECT_EQ(NormalizeTracestate("tenant1@vendor=x,a1-_*/b=y z"), "tenant1@vendor=x,a1-_*/b=y z");
}

TEST(TracestateTest, InvalidValueIsDroppedButTraceparentKept) {
  const std::string invalid[] = {
      "Rojo=1",                            // uppercase key
      "1rojo=1",                           // simple key must start with a letter
      "rojo=1,rojo=2",                     // duplicate key
      "rojo",                              // no value
      "rojo=",                             // empty value
      "rojo=a=b",                          // '=' in value
      "rojo=\x01",                         // control character
      "t@" + std::string(15, 'v') + "=1",  // system id too long
      std::string(257, 'a') + "=1",        // key too long
      "rojo=" + std::string(257, 'v'),     // value too long
  };
  for (const std::string& tracestate : invalid) {
    const auto context = ParseTraceparent(kValid, tracestate);
    ASSERT_TRUE(context.has_value()) << tracestate;
    EXPECT_EQ(context->trace_state, "") << tracestate;
  }
}

TEST(TracestateTest, MemberLimit) {
  std::string members;
  for (int i = 0; i < 32; ++i) members += (i ? ",k" : "k") + std::to_string(i) + "=v";
  EXPECT_EQ(NormalizeTracestate(members), members);
  EXPECT_EQ(NormalizeTracestate(members + ",k32=v"), "");  // 33 members: invalid
}

TEST(TracestateTest, TruncatesLongMembersFirstThenFromTheRight) {
  const std::string big = "big=" + std::string(200, 'x');
  std::string small;
  for (int i = 0; i < 30; ++i) small += ",k" + std::to_string(i) + "=" + std::string(14, 'v');
  const std::string normalised = NormalizeTracestate(big + small);
  EXPECT_LE(normalised.size(), 512U);
  EXPECT_EQ(normalised.find("big="), std::string::npos);
  EXPECT_EQ(normalised.rfind("k0=", 0), 0U);  // leftmost kept
  EXPECT_EQ(normalised.find("k29="), std::string::npos);
}

}  // namespace
}  // namespace fo::telemetry

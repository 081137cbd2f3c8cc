#include "platform/telemetry/tracing/text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fo::telemetry::detail {
namespace {

TEST(Utf8Test, InvalidByteFoundAtEveryOffsetOfALongString) {
  // The ASCII fast path reads eight bytes at a time, the last word overlapping the one before
  // it: a bad byte in any position of any length, in a whole word or in the tail, must be seen.
  for (std::size_t length = 1; length <= 27; ++length) {
    for (std::size_t at = 0; at < length; ++at) {
      std::string text(length, 'a');
      EXPECT_TRUE(IsValidUtf8(text));
      text[at] = '\xff';
      EXPECT_FALSE(IsValidUtf8(text)) << length << " " << at;
      EXPECT_EQ(ReplaceInvalidUtf8(text).size(), length + 2) << at;  // one byte became three
    }
  }
}

TEST(Utf8Test, NonAsciiBitsSeesAHighByteAtEveryOffset) {
  EXPECT_EQ(NonAsciiBits(""), 0U);
  for (std::size_t length = 1; length <= 27; ++length) {
    std::string text(length, '\x7f');  // the highest ASCII byte
    EXPECT_EQ(NonAsciiBits(text), 0U) << length;
    for (std::size_t at = 0; at < length; ++at) {
      text[at] = '\x80';
      EXPECT_NE(NonAsciiBits(text), 0U) << length << " " << at;
      text[at] = '\x7f';
    }
  }
}

TEST(Utf8Test, SequencesAcrossWordsAndAtTheEnd) {
  EXPECT_TRUE(IsValidUtf8("abcdefg\xc3\xa9xyz"));              // é across the first word's end
  EXPECT_TRUE(IsValidUtf8("abcdef\xf0\x9f\x98\x80zzzzzzzz"));  // a 4-byte emoji across it
  EXPECT_FALSE(IsValidUtf8("abcdefgh\xe2\x82"));               // truncated at the end
  EXPECT_FALSE(IsValidUtf8("abcdefgh\xed\xa0\x80"));           // a surrogate
  EXPECT_FALSE(IsValidUtf8("abcdefgh\xc0\xaf"));               // overlong '/'
  EXPECT_FALSE(IsValidUtf8("abcdefgh\xf4\x90\x80\x80"));       // past U+10FFFF
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_EQ(ReplaceInvalidUtf8("ok\xe2\x82"), "ok\xef\xbf\xbd\xef\xbf\xbd");
}

}  // namespace
}  // namespace fo::telemetry::detail

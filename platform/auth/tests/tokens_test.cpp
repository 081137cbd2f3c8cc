#include "platform/auth/tokens.hpp"

#include <gtest/gtest.h>

#include <set>

#include "platform/auth/detail/base64url.hpp"

namespace fo::auth {
namespace {

TEST(TokensTest, RandomTokenIsUnpaddedBase64UrlOfTheRequestedSize) {
  const auto token = RandomToken();
  EXPECT_EQ(token.size(), 43u);  // 32 bytes
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  EXPECT_EQ(detail::Base64UrlDecode(token)->size(), 32u);
  EXPECT_EQ(RandomToken(16).size(), 22u);
  EXPECT_EQ(RandomToken(1).size(), 2u);
  EXPECT_THROW(RandomToken(0), std::invalid_argument);
}

TEST(TokensTest, RandomTokensAreUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(RandomToken());
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(TokensTest, Sha256HexMatchesKnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Base64UrlTest, RoundTripsAndIsStrict) {
  for (const std::string bytes : {"", "f", "fo", "foo", "\xff\xfe\x00\x01"}) {
    EXPECT_EQ(detail::Base64UrlDecode(detail::Base64UrlEncode(bytes)), bytes);
  }
  EXPECT_EQ(detail::Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_FALSE(detail::Base64UrlDecode("Zm9v=="));  // padding
  EXPECT_FALSE(detail::Base64UrlDecode("Zm+v"));    // standard alphabet
  EXPECT_FALSE(detail::Base64UrlDecode("Zg="));
  EXPECT_FALSE(detail::Base64UrlDecode("Zh"));  // non-zero leftover bits ("Zg" is canonical)
  EXPECT_FALSE(detail::Base64UrlDecode("Z"));
}

}  // namespace
}  // namespace fo::auth

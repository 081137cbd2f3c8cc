#include "platform/config/env.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace fo::config {
namespace {

TEST(Env, FallsBackWhenUnsetOrEmpty) {
  ::unsetenv("FO_TEST_UNSET");
  ::setenv("FO_TEST_EMPTY", "", 1);
  EXPECT_EQ(String("FO_TEST_UNSET", "x"), "x");
  EXPECT_EQ(Int("FO_TEST_EMPTY", 7), 7);
  EXPECT_THROW(Required("FO_TEST_UNSET"), ConfigError);
}

TEST(Env, ParsesIntsStrictly) {
  ::setenv("FO_TEST_INT", "42", 1);
  EXPECT_EQ(Int("FO_TEST_INT", 0), 42);
  ::setenv("FO_TEST_INT", "42x", 1);
  EXPECT_THROW(Int("FO_TEST_INT", 0), ConfigError);
  ::setenv("FO_TEST_INT", "500", 1);
  EXPECT_THROW(Int("FO_TEST_INT", 0, 1, 100), ConfigError);
}

TEST(Env, ParsesBools) {
  ::setenv("FO_TEST_BOOL", "TRUE", 1);
  EXPECT_TRUE(Bool("FO_TEST_BOOL", false));
  ::setenv("FO_TEST_BOOL", "off", 1);
  EXPECT_FALSE(Bool("FO_TEST_BOOL", true));
  ::setenv("FO_TEST_BOOL", "maybe", 1);
  EXPECT_THROW(Bool("FO_TEST_BOOL", true), ConfigError);
}

TEST(Env, ReadsSecretsInlineOrFromAFile) {
  ::unsetenv("FO_TEST_SECRET");
  ::unsetenv("FO_TEST_SECRET_FILE");
  EXPECT_FALSE(Secret("FO_TEST_SECRET"));
  const std::string path = ::testing::TempDir() + "fo_test_secret";
  std::ofstream(path) << "from-file";
  ::setenv("FO_TEST_SECRET_FILE", path.c_str(), 1);
  EXPECT_EQ(Secret("FO_TEST_SECRET"), "from-file");
  ::setenv("FO_TEST_SECRET", "inline", 1);
  EXPECT_EQ(Secret("FO_TEST_SECRET"), "inline");  // the inline value wins
  ::unsetenv("FO_TEST_SECRET");
  ::setenv("FO_TEST_SECRET_FILE", "/nonexistent/secret", 1);
  EXPECT_THROW(Secret("FO_TEST_SECRET"), ConfigError);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace fo::config

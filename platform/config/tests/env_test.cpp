#include "platform/config/env.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

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

}  // namespace
}  // namespace fo::config

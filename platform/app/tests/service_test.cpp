#include "platform/app/service.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace fo::app {
namespace {

TEST(ParseCommand, DefaultsToTheFirstAndRefusesOthers) {
  char program[] = "svc";
  char migrate[] = "--migrate-only";
  char bogus[] = "bogus";
  char* none[] = {program, nullptr};
  char* one[] = {program, migrate, nullptr};
  char* bad[] = {program, bogus, nullptr};
  EXPECT_EQ(ParseCommand(1, none, "svc", {"serve", "--migrate-only"}), "serve");
  EXPECT_EQ(ParseCommand(2, one, "svc", {"serve", "--migrate-only"}), "--migrate-only");
  ::testing::internal::CaptureStderr();
  EXPECT_FALSE(ParseCommand(2, bad, "svc", {"serve", "--migrate-only"}));
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "usage: svc [serve | --migrate-only]\n");
}

TEST(GuardedMain, TurnsAnEscapingExceptionIntoExitCodeOne) {
  EXPECT_EQ(GuardedMain([] { return 0; }), 0);
  EXPECT_EQ(GuardedMain([] { return 3; }), 3);
  EXPECT_EQ(GuardedMain([]() -> int { throw std::runtime_error("boom"); }), 1);
}

}  // namespace
}  // namespace fo::app

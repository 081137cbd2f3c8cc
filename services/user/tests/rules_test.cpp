#include "services/user/domain/rules.hpp"

#include <gtest/gtest.h>

#include "platform/errors/error.hpp"
#include "services/user/app/accounts.hpp"

namespace fo::user::domain {
namespace {

TEST(Rules, Username) {
  EXPECT_EQ(CheckUsername("ann"), std::nullopt);
  EXPECT_EQ(CheckUsername("a.b-c_9"), std::nullopt);
  EXPECT_EQ(CheckUsername(std::string(32, 'a')), std::nullopt);
  EXPECT_NE(CheckUsername("ab"), std::nullopt);
  EXPECT_NE(CheckUsername(std::string(33, 'a')), std::nullopt);
  EXPECT_NE(CheckUsername("Ann"), std::nullopt);
  EXPECT_NE(CheckUsername("an n"), std::nullopt);
  EXPECT_NE(CheckUsername("ann'; drop"), std::nullopt);
  EXPECT_NE(CheckUsername("änn"), std::nullopt);
}

TEST(Rules, Email) {
  EXPECT_EQ(CheckEmail("ann@example.com"), std::nullopt);
  EXPECT_EQ(CheckEmail("a.b+tag@sub.example.org"), std::nullopt);
  for (const char* bad : {"", "ann", "@example.com", "ann@", "ann@example", "ann@@example.com",
                          "ann@.com", "a b@example.com", "ann@example..com", ".ann@example.com",
                          "ann@example.c", "<ann>@example.com"}) {
    EXPECT_NE(CheckEmail(bad), std::nullopt) << bad;
  }
  EXPECT_NE(CheckEmail(std::string(250, 'a') + "@x.com"), std::nullopt);
  EXPECT_EQ(NormalizeEmail("Ann@Example.COM"), "ann@example.com");
}

TEST(Rules, PasswordAndFullName) {
  EXPECT_EQ(CheckPassword("12345678"), std::nullopt);
  EXPECT_NE(CheckPassword("1234567"), std::nullopt);
  EXPECT_EQ(CheckPassword("ääääääää"), std::nullopt);  // 8 characters, 16 bytes
  EXPECT_NE(CheckPassword(std::string(129, 'x')), std::nullopt);
  EXPECT_EQ(CheckFullName(""), std::nullopt);
  EXPECT_EQ(CheckFullName(std::string(100, 'x')), std::nullopt);
  EXPECT_NE(CheckFullName(std::string(101, 'x')), std::nullopt);
  EXPECT_NE(CheckFullName("tab\there"), std::nullopt);
}

TEST(Rules, NewAccountListsEveryBadField) {
  try {
    app::ValidateNewAccount({"x", "nope", "short", std::string(101, 'n')});
    FAIL();
  } catch (const Error& e) {
    ASSERT_EQ(e.fields().size(), 4u);
    EXPECT_EQ(e.fields()[0].field, "username");
    EXPECT_EQ(e.fields()[1].field, "email");
    EXPECT_EQ(e.fields()[2].field, "password");
    EXPECT_EQ(e.fields()[3].field, "full_name");
  }
}

}  // namespace
}  // namespace fo::user::domain

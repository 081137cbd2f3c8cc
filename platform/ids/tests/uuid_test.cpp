#include "platform/ids/uuid.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace fo::ids {
namespace {

TEST(UuidV7, HasVersionVariantAndCanonicalForm) {
  const std::string id = NewUuidV7();
  ASSERT_TRUE(IsUuid(id)) << id;
  EXPECT_EQ(id[14], '7');
  EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b') << id;
}

TEST(UuidV7, SortsByCreationTimeAcrossMilliseconds) {
  const std::string first = NewUuidV7();
  std::string later;
  do {
    later = NewUuidV7();
  } while (later.substr(0, 13) == first.substr(0, 13));  // wait for the next millisecond
  EXPECT_LT(first, later);
}

TEST(UuidV7, IsUniqueOverManyDraws) {
  std::set<std::string> seen;
  for (int i = 0; i < 10'000; ++i) EXPECT_TRUE(seen.insert(NewUuidV7()).second);
}

TEST(IsUuid, RejectsWrongLengthDashesAndCharacters) {
  EXPECT_TRUE(IsUuid("01937F6E-8C5A-7B3E-9F1A-2C4D6E8F0A1B"));
  EXPECT_FALSE(IsUuid(""));
  EXPECT_FALSE(IsUuid("01937f6e-8c5a-7b3e-9f1a-2c4d6e8f0a1"));
  EXPECT_FALSE(IsUuid("01937f6e08c5a-7b3e-9f1a-2c4d6e8f0a1b"));
  EXPECT_FALSE(IsUuid("01937f6e-8c5a-7b3e-9f1a-2c4d6e8f0a1g"));
}

}  // namespace
}  // namespace fo::ids

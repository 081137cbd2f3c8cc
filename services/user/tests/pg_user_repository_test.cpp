// The PostgreSQL adapters against the private test database (started by `make test`).
#include "services/user/adapters/pg_user_repository.hpp"

#include <gtest/gtest.h>

#include <boost/asio/detached.hpp>

#include "platform/pg/migrations.hpp"
#include "platform/testing/run.hpp"
#include "services/user/migrations.hpp"

namespace fo::user::adapters {
namespace {
namespace asio = boost::asio;
using app::Task;
using namespace std::chrono_literals;

class PgUserRepositoryTest : public ::testing::Test {
 protected:
  PgUserRepositoryTest() : pool_(io_.get_executor(), Options()) {
    Run(pg::Migrate(pool_, Migrations(), "user-service"));
    Run(pool_.Query(Ctx(),
                    {"reset", "TRUNCATE users RESTART IDENTITY CASCADE", "TRUNCATE", "users"}));
  }

  static pg::PoolOptions Options() {
    pg::PoolOptions o;
    o.url = fo::testing::RequiredEnv("FO_TEST_USER_DATABASE_URL");
    o.max_size = 8;
    return o;
  }
  static Context Ctx() {
    Context ctx;
    ctx.deadline = std::chrono::steady_clock::now() + 10s;
    return ctx;
  }
  template <typename T>
  T Run(asio::awaitable<T> work) {
    return fo::testing::RunIn(io_, std::move(work));
  }
  app::User Make(const std::string& name, app::Role role = app::Role::kUser) {
    return Run(users_.Create(Ctx(), {name, name + "@example.com", "Full " + name, "hash", role}));
  }
  ErrorKind KindOf(const std::function<void()>& fn) { return fo::testing::ErrorFrom(fn).kind(); }

  asio::io_context io_;
  pg::Pool pool_;
  PgUserRepository users_{pool_};
  PgRefreshTokenStore tokens_{pool_};
};

TEST_F(PgUserRepositoryTest, MigrationsAppliedTwiceAreANoOp) {
  EXPECT_EQ(Run(pg::Migrate(pool_, Migrations(), "user-service")), 0);
}

TEST_F(PgUserRepositoryTest, CreatesAndFindsUsers) {
  auto ann = Make("ann");
  EXPECT_GT(ann.id, 0);
  EXPECT_EQ(ann.role, app::Role::kUser);
  EXPECT_TRUE(ann.is_active);
  EXPECT_EQ(ann.created_at.size(), 27u);  // 2026-01-01T00:00:00.000000Z
  EXPECT_EQ(ann.created_at.back(), 'Z');
  auto found = Run(users_.Find(Ctx(), ann.id));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->email, "ann@example.com");
  auto credentials = Run(users_.FindCredentials(Ctx(), "ann"));
  ASSERT_TRUE(credentials);
  EXPECT_EQ(credentials->second, "hash");
  EXPECT_FALSE(Run(users_.Find(Ctx(), 999999)));
}

TEST_F(PgUserRepositoryTest, DuplicatesAreConflictsNamingTheField) {
  Make("ann");
  try {
    Run(users_.Create(Ctx(), {"ann", "other@example.com", "", "h", app::Role::kUser}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConflict);
    EXPECT_EQ(e.fields().at(0).field, "username");
  }
  try {
    // Emails are unique regardless of case.
    Run(users_.Create(Ctx(), {"bob", "ANN@example.com", "", "h", app::Role::kUser}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kConflict);
    EXPECT_EQ(e.fields().at(0).field, "email");
  }
}

TEST_F(PgUserRepositoryTest, FiftyParallelRegistrationsOfOneNameYieldExactlyOneUser) {
  std::atomic<int> created{0}, conflicts{0};
  for (int i = 0; i < 50; ++i) {
    asio::co_spawn(
        io_,
        [&, i]() -> Task<void> {
          try {
            app::NewUser user{"same", "same" + std::to_string(i) + "@example.com", "", "h",
                              app::Role::kUser};
            co_await users_.Create(Ctx(), std::move(user));
            ++created;
          } catch (const Error& e) {
            if (e.kind() == ErrorKind::kConflict) ++conflicts;
          }
        },
        asio::detached);
  }
  io_.restart();
  io_.run();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(conflicts.load(), 49);
}

TEST_F(PgUserRepositoryTest, DeleteFreesUsernameAndEmail) {
  auto ann = Make("ann");
  EXPECT_TRUE(Run(users_.Delete(Ctx(), ann.id)));
  EXPECT_FALSE(Run(users_.Delete(Ctx(), ann.id)));
  EXPECT_NO_THROW(Make("ann"));
}

TEST_F(PgUserRepositoryTest, TheLastActiveAdminCannotBeDemotedDeactivatedOrDeleted) {
  auto root = Make("root", app::Role::kAdmin);
  EXPECT_EQ(KindOf([&] { Run(users_.SetRole(Ctx(), root.id, app::Role::kUser)); }),
            ErrorKind::kUnprocessable);
  EXPECT_EQ(KindOf([&] { Run(users_.SetActive(Ctx(), root.id, false)); }),
            ErrorKind::kUnprocessable);
  EXPECT_EQ(KindOf([&] { Run(users_.Delete(Ctx(), root.id)); }), ErrorKind::kUnprocessable);
  auto second = Make("second", app::Role::kAdmin);
  EXPECT_EQ(Run(users_.SetRole(Ctx(), root.id, app::Role::kUser))->role, app::Role::kUser);
  EXPECT_EQ(KindOf([&] { Run(users_.SetRole(Ctx(), second.id, app::Role::kUser)); }),
            ErrorKind::kUnprocessable);
}

TEST_F(PgUserRepositoryTest, TwoAdminsDemotingEachOtherConcurrentlyLeaveOneAdmin) {
  for (int round = 0; round < 10; ++round) {
    Run(pool_.Query(Ctx(),
                    {"reset2", "TRUNCATE users RESTART IDENTITY CASCADE", "TRUNCATE", "users"}));
    auto a = Make("a" + std::to_string(round), app::Role::kAdmin);
    auto b = Make("b" + std::to_string(round), app::Role::kAdmin);
    std::atomic<int> ok{0};
    for (auto id : {a.id, b.id}) {
      asio::co_spawn(
          io_,
          [&, id]() -> Task<void> {
            try {
              co_await users_.SetRole(Ctx(), id, app::Role::kUser);
              ++ok;
            } catch (const Error&) {
            }
          },
          asio::detached);
    }
    io_.restart();
    io_.run();
    EXPECT_EQ(ok.load(), 1);
    EXPECT_EQ(Run(users_.Stats(Ctx())).admin_count, 1);
  }
}

TEST_F(PgUserRepositoryTest, ListFiltersSearchesAndCounts) {
  Make("alice");
  Make("alfred", app::Role::kAdmin);
  auto bob = Make("bob");
  Make("under_score");
  Run(users_.SetActive(Ctx(), bob.id, false));
  app::UserQuery query;
  query.search = "al";
  auto page = Run(users_.List(Ctx(), query));
  EXPECT_EQ(page.total, 2);
  query = {};
  query.role = app::Role::kAdmin;
  EXPECT_EQ(Run(users_.List(Ctx(), query)).total, 1);
  query = {};
  query.is_active = false;
  page = Run(users_.List(Ctx(), query));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].username, "bob");
  query = {};
  query.search = "_";  // a literal underscore, not a wildcard
  EXPECT_EQ(Run(users_.List(Ctx(), query)).total, 1);
  query = {};
  query.limit = 2;
  query.offset = 3;
  page = Run(users_.List(Ctx(), query));
  EXPECT_EQ(page.total, 4);
  EXPECT_EQ(page.items.size(), 1u);
  auto stats = Run(users_.Stats(Ctx()));
  EXPECT_EQ(stats.total_users, 4);
  EXPECT_EQ(stats.admin_count, 1);
  EXPECT_EQ(stats.user_count, 3);
  EXPECT_EQ(stats.active_users, 3);
}

TEST_F(PgUserRepositoryTest, RefreshTokensRotateOnceAndDieWithRoleChanges) {
  auto ann = Make("ann");
  auto admin = Make("root", app::Role::kAdmin);
  (void)admin;
  Run(tokens_.Save(Ctx(), ann.id, "h1", 3600s));
  std::atomic<int> rotated{0};
  for (int i = 0; i < 10; ++i) {
    asio::co_spawn(
        io_,
        [&, i]() -> Task<void> {
          const auto owner =
              co_await tokens_.Rotate(Ctx(), "h1", "next" + std::to_string(i), 3600s);
          if (owner) ++rotated;
        },
        asio::detached);
  }
  io_.restart();
  io_.run();
  EXPECT_EQ(rotated.load(), 1);
  Run(tokens_.Save(Ctx(), ann.id, "h2", 3600s));
  Run(users_.SetRole(Ctx(), ann.id, app::Role::kAdmin));
  EXPECT_FALSE(Run(tokens_.Rotate(Ctx(), "h2", "h3", 3600s)));
  Run(tokens_.Save(Ctx(), ann.id, "expired", 0s));
  EXPECT_FALSE(Run(tokens_.Rotate(Ctx(), "expired", "h4", 3600s)));
}

TEST_F(PgUserRepositoryTest, FindManyReturnsKnownIds) {
  auto a = Make("ann");
  auto b = Make("bob");
  auto found = Run(users_.FindMany(Ctx(), {a.id, b.id, 424242}));
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].username, "ann");
}

}  // namespace
}  // namespace fo::user::adapters

#include "services/user/app/directory.hpp"

#include <algorithm>

#include "platform/errors/error.hpp"

namespace fo::user::app {

inline constexpr std::size_t kMaxBatch = 100;

Task<Validation> Directory::Validate(const Context& ctx, std::int64_t id) {
  auto user = co_await users_.Find(ctx, id);
  if (!user) co_return Validation{};
  co_return Validation{true, user->is_active, user->role};
}

Task<User> Directory::Get(const Context& ctx, std::int64_t id) {
  auto user = co_await users_.Find(ctx, id);
  if (!user) throw NotFound("user " + std::to_string(id) + " does not exist");
  co_return *user;
}

Task<std::vector<User>> Directory::GetMany(const Context& ctx, std::vector<std::int64_t> ids) {
  if (ids.size() > kMaxBatch) throw InvalidArgument("at most 100 ids per call");
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (ids.empty()) co_return std::vector<User>{};
  co_return co_await users_.FindMany(ctx, ids);
}

}  // namespace fo::user::app

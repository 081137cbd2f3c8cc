#pragma once
// Read-only lookups other services make over gRPC.
#include "services/user/app/ports.hpp"

namespace fo::user::app {

struct Validation {
  bool exists = false;
  bool is_active = false;
  Role role = Role::kUser;
};

class Directory {
 public:
  explicit Directory(UserRepository& users) : users_(users) {}
  Task<Validation> Validate(const Context& ctx, std::int64_t id);
  Task<User> Get(const Context& ctx, std::int64_t id);
  Task<std::vector<User>> GetMany(const Context& ctx, std::vector<std::int64_t> ids);

 private:
  UserRepository& users_;
};

}  // namespace fo::user::app

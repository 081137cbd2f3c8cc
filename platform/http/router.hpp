#pragma once
// Method + path-pattern routing. Patterns are literal segments and {name} parameters; a literal
// segment always wins over a parameter, so /products/favorites is never read as an id. Routes
// may name the parameter at one position differently (/items/{id}, /items/{sku}/price).
// A prefix route (AddPrefix) answers its path and everything below it, for any method: what a
// proxy needs. It is the last resort: any literal or parameter route that matches the path wins.
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "platform/http/message.hpp"

namespace fo::http {

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

struct Route {
  std::string pattern;
  Access access = Access::kPublic;
  Handler handler;
  std::vector<std::string> param_names;  // the pattern's {parameters}, in order
};

struct Match {
  const Route* route = nullptr;  // null: no such route or method
  bool path_exists = false;      // true with a null route: 405
  std::string allow;             // methods allowed on the path, for 405
  std::vector<std::pair<std::string, std::string>> params;
};

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  void Add(std::string_view method, std::string_view pattern, Handler handler,
           Access access = Access::kPublic);
  void Get(std::string_view p, Handler h, Access a = Access::kPublic) { Add("GET", p, h, a); }
  void Post(std::string_view p, Handler h, Access a = Access::kPublic) { Add("POST", p, h, a); }
  void Put(std::string_view p, Handler h, Access a = Access::kPublic) { Add("PUT", p, h, a); }
  void Patch(std::string_view p, Handler h, Access a = Access::kPublic) { Add("PATCH", p, h, a); }
  void Delete(std::string_view p, Handler h, Access a = Access::kPublic) { Add("DELETE", p, h, a); }

  // Literal segments only; throws std::logic_error on a duplicate prefix.
  void AddPrefix(std::string_view prefix, Handler handler, Access access = Access::kPublic);

  Match Find(std::string_view method, std::string_view path) const;
  // Every route, for listings (e.g. checking an API document against the real routes).
  std::vector<std::pair<std::string, std::string>> MethodsAndPatterns() const;

 private:
  struct Node;
  static const Route* LongestPrefix(const Node* node, const std::vector<std::string_view>& path);
  std::unique_ptr<Node> root_;
};

}  // namespace fo::http

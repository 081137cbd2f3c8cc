#include "platform/http/router.hpp"

#include <stdexcept>

namespace fo::http {

struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
  std::unique_ptr<Node> param;  // routes may name a parameter differently at one position
  std::map<std::string, Route, std::less<>> methods;
  std::unique_ptr<Route> prefix;  // answers this path and everything below it, any method
};

namespace {

// Splits "/a/b/" into {"a", "b"}; empty segments are dropped so a trailing slash still matches.
std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool IsParameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

void Router::Add(std::string_view method, std::string_view pattern, Handler handler,
                 Access access) {
  Node* node = root_.get();
  std::vector<std::string> param_names;
  for (auto segment : Segments(pattern)) {
    if (IsParameter(segment)) {
      param_names.emplace_back(segment.substr(1, segment.size() - 2));
      if (!node->param) node->param = std::make_unique<Node>();
      node = node->param.get();
    } else {
      auto& child = node->literals[std::string(segment)];
      if (!child) child = std::make_unique<Node>();
      node = child.get();
    }
  }
  auto [it, inserted] = node->methods.try_emplace(
      std::string(method),
      Route{std::string(pattern), access, std::move(handler), std::move(param_names)});
  if (!inserted)
    throw std::logic_error("duplicate route " + std::string(method) + " " + std::string(pattern));
}

void Router::AddPrefix(std::string_view prefix, Handler handler, Access access) {
  Node* node = root_.get();
  for (auto segment : Segments(prefix)) {
    if (IsParameter(segment)) throw std::logic_error("prefix routes have literal segments only");
    auto& child = node->literals[std::string(segment)];
    if (!child) child = std::make_unique<Node>();
    node = child.get();
  }
  if (node->prefix) throw std::logic_error("duplicate prefix route " + std::string(prefix));
  node->prefix =
      std::make_unique<Route>(Route{std::string(prefix), access, std::move(handler), {}});
}

namespace {

// Depth-first: a literal child first, then the parameter child, so a literal wins but a
// parameter route still matches when the literal branch leads nowhere.
template <typename NodeT>
const NodeT* Walk(const NodeT* node, const std::vector<std::string_view>& segments,
                  std::size_t index, std::vector<std::string_view>& params) {
  if (index == segments.size()) return node->methods.empty() ? nullptr : node;
  auto segment = segments[index];
  if (auto it = node->literals.find(segment); it != node->literals.end()) {
    if (const auto* found = Walk(it->second.get(), segments, index + 1, params)) return found;
  }
  if (node->param) {
    params.push_back(segment);
    if (const auto* found = Walk(node->param.get(), segments, index + 1, params)) return found;
    params.pop_back();
  }
  return nullptr;
}

}  // namespace

const Route* Router::LongestPrefix(const Node* node, const std::vector<std::string_view>& path) {
  const Route* found = node->prefix.get();
  for (auto segment : path) {
    auto it = node->literals.find(segment);
    if (it == node->literals.end()) break;
    node = it->second.get();
    if (node->prefix) found = node->prefix.get();
  }
  return found;
}

Match Router::Find(std::string_view method, std::string_view path) const {
  Match match;
  std::vector<std::string_view> values;
  const auto segments = Segments(path);
  const Node* node = Walk(root_.get(), segments, 0, values);
  if (node == nullptr) {
    match.route = LongestPrefix(root_.get(), segments);
    match.path_exists = match.route != nullptr;
    return match;
  }
  match.path_exists = true;
  if (auto it = node->methods.find(method); it != node->methods.end()) {
    match.route = &it->second;
    // Values by position, names from the route that matched.
    for (std::size_t i = 0; i < values.size(); ++i) {
      match.params.emplace_back(it->second.param_names[i], std::string(values[i]));
    }
    return match;
  }
  for (const auto& [name, route] : node->methods) {
    if (!match.allow.empty()) match.allow += ", ";
    match.allow += name;
  }
  return match;
}

std::vector<std::pair<std::string, std::string>> Router::MethodsAndPatterns() const {
  std::vector<std::pair<std::string, std::string>> out;
  std::vector<const Node*> pending{root_.get()};
  while (!pending.empty()) {
    const Node* node = pending.back();
    pending.pop_back();
    for (const auto& [method, route] : node->methods) out.emplace_back(method, route.pattern);
    if (node->prefix) out.emplace_back("*", node->prefix->pattern);
    for (const auto& [segment, child] : node->literals) pending.push_back(child.get());
    if (node->param) pending.push_back(node->param.get());
  }
  return out;
}

}  // namespace fo::http

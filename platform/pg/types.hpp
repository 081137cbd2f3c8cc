#pragma once
// Typed parameters and rows over libpq's text format.
#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fo::pg {

// A statement known ahead: its name doubles as the prepared-statement name on each connection,
// `table` and `operation` label its metrics and spans.
struct Statement {
  std::string_view name;
  std::string_view sql;
  std::string_view operation;  // SELECT, INSERT, ...
  std::string_view table;
};

class Params {
 public:
  Params() = default;
  template <typename... Ts>
  explicit Params(Ts&&... values) {
    (Add(std::forward<Ts>(values)), ...);
  }
  Params& Add(std::int64_t value);
  Params& Add(int value) { return Add(static_cast<std::int64_t>(value)); }
  Params& Add(bool value);
  Params& Add(std::string_view value);
  Params& Add(const std::string& value) { return Add(std::string_view(value)); }
  Params& Add(const char* value) { return Add(std::string_view(value)); }
  Params& Add(std::nullopt_t);
  // Array literals, for `$n::bigint[]` / `$n::text[]` (= ANY, unnest).
  Params& Add(const std::vector<std::int64_t>& values);
  Params& Add(const std::vector<std::string>& values);
  template <typename T>
  Params& Add(const std::optional<T>& value) {
    return value ? Add(*value) : Add(std::nullopt);
  }

  int Size() const { return static_cast<int>(values_.size()); }
  std::vector<const char*> Pointers() const;

 private:
  std::vector<std::optional<std::string>> values_;
};

class Row {
 public:
  Row(const PGresult* result, int row) : result_(result), row_(row) {}
  bool IsNull(int column) const;
  std::string String(int column) const;
  std::int64_t Int(int column) const;
  bool Bool(int column) const;
  std::optional<std::string> OptionalString(int column) const;
  std::optional<std::int64_t> OptionalInt(int column) const;

 private:
  const PGresult* result_;
  int row_;
};

class Result {
 public:
  Result() = default;
  explicit Result(PGresult* result) : result_(result, &PQclear) {}
  int Rows() const { return result_ ? PQntuples(result_.get()) : 0; }
  bool Empty() const { return Rows() == 0; }
  Row operator[](int row) const { return Row(result_.get(), row); }
  std::int64_t AffectedRows() const;

 private:
  std::shared_ptr<PGresult> result_;
};

}  // namespace fo::pg

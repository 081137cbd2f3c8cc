#pragma once
// Every SQL statement of the user service, prepared once per connection.
#include "platform/pg/types.hpp"

namespace fo::user::adapters::sql {

// Columns of domain::User, in the order RowToUser reads them.
#define FO_USER_COLUMNS                                                           \
  "id, username, email, full_name, role, is_active, "                             \
  "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), " \
  "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

inline constexpr pg::Statement kInsert{
    "users_insert",
    "INSERT INTO users (username, email, full_name, password_hash, role) "
    "VALUES ($1, $2, $3, $4, $5) RETURNING " FO_USER_COLUMNS,
    "INSERT", "users"};

inline constexpr pg::Statement kFindById{
    "users_find", "SELECT " FO_USER_COLUMNS " FROM users WHERE id = $1", "SELECT", "users"};

inline constexpr pg::Statement kFindCredentials{
    "users_credentials", "SELECT " FO_USER_COLUMNS ", password_hash FROM users WHERE username = $1",
    "SELECT", "users"};

inline constexpr pg::Statement kPasswordHash{
    "users_password_hash", "SELECT password_hash FROM users WHERE id = $1", "SELECT", "users"};

// A new password also ends every session of the user, in the same statement.
inline constexpr pg::Statement kUpdate{
    "users_update",
    "WITH revoked AS (DELETE FROM refresh_tokens WHERE user_id = $1 AND $4::text IS NOT NULL) "
    "UPDATE users SET email = COALESCE($2, email), full_name = COALESCE($3, full_name), "
    "password_hash = COALESCE($4, password_hash), updated_at = now() "
    "WHERE id = $1 RETURNING " FO_USER_COLUMNS,
    "UPDATE", "users"};

// Filters are optional: a NULL parameter matches everything, so one statement serves all
// combinations. $3 is an ILIKE pattern with wildcards escaped by the caller.
#define FO_USER_FILTER                                                                 \
  " WHERE ($1::text IS NULL OR role = $1) AND ($2::boolean IS NULL OR is_active = $2)" \
  " AND ($3::text IS NULL OR username ILIKE $3 OR email ILIKE $3)"

inline constexpr pg::Statement kList{"users_list",
                                     "SELECT " FO_USER_COLUMNS " FROM users" FO_USER_FILTER
                                     " ORDER BY id LIMIT $4 OFFSET $5",
                                     "SELECT", "users"};

inline constexpr pg::Statement kCount{"users_count", "SELECT count(*) FROM users" FO_USER_FILTER,
                                      "SELECT", "users"};

inline constexpr pg::Statement kFindMany{"users_find_many",
                                         "SELECT " FO_USER_COLUMNS
                                         " FROM users WHERE id = ANY($1::bigint[]) ORDER BY id",
                                         "SELECT", "users"};

// Serializes every change that could remove the last active admin.
inline constexpr pg::Statement kLockAdmins{"users_lock_admins",
                                           "SELECT pg_advisory_xact_lock(hashtext('users.admins'))",
                                           "SELECT", "users"};

inline constexpr pg::Statement kOtherActiveAdmins{
    "users_other_admins",
    "SELECT count(*) FROM users WHERE role = 'admin' AND is_active AND id <> $1", "SELECT",
    "users"};

inline constexpr pg::Statement kSetRole{
    "users_set_role",
    "UPDATE users SET role = $2, updated_at = now() WHERE id = $1 RETURNING " FO_USER_COLUMNS,
    "UPDATE", "users"};

inline constexpr pg::Statement kSetActive{
    "users_set_active",
    "UPDATE users SET is_active = $2, updated_at = now() WHERE id = $1 RETURNING " FO_USER_COLUMNS,
    "UPDATE", "users"};

inline constexpr pg::Statement kDelete{"users_delete", "DELETE FROM users WHERE id = $1", "DELETE",
                                       "users"};

inline constexpr pg::Statement kStats{
    "users_stats",
    "SELECT count(*), count(*) FILTER (WHERE role = 'admin'), count(*) FILTER (WHERE role = "
    "'user'), count(*) FILTER (WHERE is_active) FROM users",
    "SELECT", "users"};

inline constexpr pg::Statement kSaveToken{
    "tokens_save",
    "INSERT INTO refresh_tokens (token_hash, user_id, expires_at) "
    "VALUES ($1, $2, now() + make_interval(secs => $3))",
    "INSERT", "refresh_tokens"};

// Consumes the old token only if it is still live; one statement, so two concurrent refreshes
// of the same token cannot both succeed.
inline constexpr pg::Statement kConsumeToken{
    "tokens_consume",
    "DELETE FROM refresh_tokens WHERE token_hash = $1 AND expires_at > now() RETURNING user_id",
    "DELETE", "refresh_tokens"};

inline constexpr pg::Statement kRevokeToken{"tokens_revoke",
                                            "DELETE FROM refresh_tokens WHERE token_hash = $1",
                                            "DELETE", "refresh_tokens"};

inline constexpr pg::Statement kRevokeUserTokens{"tokens_revoke_user",
                                                 "DELETE FROM refresh_tokens WHERE user_id = $1",
                                                 "DELETE", "refresh_tokens"};

}  // namespace fo::user::adapters::sql

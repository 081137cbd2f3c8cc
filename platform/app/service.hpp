#pragma once
// What every service's main.cpp shares, so that main.cpp stays wiring only.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/app/app.hpp"
#include "platform/grpc/server.hpp"
#include "platform/http/server.hpp"
#include "platform/pg/pool.hpp"

namespace fo::app {

// argv[1] when it is one of `commands` (the first is the default when argv[1] is absent);
// otherwise prints "usage: <program> [a | b | ...]" to stderr and returns nullopt.
std::optional<std::string> ParseCommand(int argc, char** argv, std::string_view program,
                                        const std::vector<std::string_view>& commands);

// Runs `body`; an exception that escapes it becomes a fatal log line and exit code 1.
int GuardedMain(const std::function<int()>& body);

// The standard life of a service with a database, an HTTP and a gRPC listener: readiness
// checks the database; on stop the gRPC health turns NOT_SERVING, HTTP drains (10 s), gRPC
// shuts down (5 s), then any stop hooks added after this call run. Starts both listeners and
// logs their ports.
void Serve(App& application, pg::Pool& pool, http::Server& http_server, rpc::Server& grpc_server);

}  // namespace fo::app

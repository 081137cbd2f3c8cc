#include "platform/app/service.hpp"

#include <algorithm>
#include <iostream>

#include "platform/telemetry/log/log.hpp"

namespace fo::app {

std::optional<std::string> ParseCommand(int argc, char** argv, std::string_view program,
                                        const std::vector<std::string_view>& commands) {
  const std::string command = argc > 1 ? argv[1] : std::string(commands.front());
  if (std::find(commands.begin(), commands.end(), command) != commands.end()) return command;
  std::cerr << "usage: " << program << " [";
  for (std::size_t i = 0; i < commands.size(); ++i) std::cerr << (i ? " | " : "") << commands[i];
  std::cerr << "]\n";
  return std::nullopt;
}

int GuardedMain(const std::function<int()>& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    log::Error("fatal", {{"error", e.what()}});
    return 1;
  }
}

void Serve(App& application, pg::Pool& pool, http::Server& http_server, rpc::Server& grpc_server) {
  application.AddReadinessCheck("database",
                                [&pool](Deadline deadline) { return pool.Ping(deadline); });
  application.OnStop([&]() -> boost::asio::awaitable<void> {
    grpc_server.SetServing(false);
    co_await http_server.Drain(std::chrono::seconds(10));
    grpc_server.Shutdown(std::chrono::seconds(5));
  });
  http_server.Start();
  grpc_server.Start();
  log::Info(application.Name() + " service listening",
            {{"http_port", static_cast<int>(http_server.Port())},
             {"grpc_port", static_cast<int>(grpc_server.Port())}});
}

}  // namespace fo::app

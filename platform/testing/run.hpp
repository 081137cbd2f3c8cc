#pragma once
// Test helpers: run a coroutine to completion on an io_context, read required test settings.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>

#include "platform/errors/error.hpp"

namespace fo::testing {

template <typename T>
T RunIn(boost::asio::io_context& io, boost::asio::awaitable<T> work) {
  auto future = boost::asio::co_spawn(io, std::move(work), boost::asio::use_future);
  io.restart();
  while (future.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    if (io.run_one() == 0) io.restart();
  }
  return future.get();
}

// The fo::Error that `fn` throws; a test failure (and an "expected an error" Error) when it
// throws none.
inline Error ErrorFrom(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected an error";
  return InvalidArgument("expected an error");
}

// The fo::Error that `work` fails with when run on `io`.
template <typename T>
Error FailureIn(boost::asio::io_context& io, boost::asio::awaitable<T> work) {
  return ErrorFrom([&] { RunIn(io, std::move(work)); });
}

// Integration tests need the private infrastructure that `make test` starts; they fail (never
// skip) when it is missing, so a green run always means the real thing was exercised.
inline std::string RequiredEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    throw std::runtime_error(std::string(name) +
                             " is not set: run the tests with `make test`, which starts the "
                             "private PostgreSQL and Redis");
  }
  return value;
}

}  // namespace fo::testing

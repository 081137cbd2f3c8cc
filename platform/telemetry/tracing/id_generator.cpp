#include "platform/telemetry/tracing/id_generator.hpp"

#include <array>
#include <cstring>
#include <random>

namespace fo::telemetry {
namespace {

// xoshiro256++ (Blackman & Vigna): fast, 256-bit state, good statistical quality. Ids need to be
// unique and unpredictable enough for sampling, not cryptographically secure.
class Xoshiro256 {
 public:
  Xoshiro256() {
    std::random_device device;
    for (auto& word : state_) {
      word = static_cast<std::uint64_t>(device()) << 32 | device();
    }
    if ((state_[0] | state_[1] | state_[2] | state_[3]) == 0)
      state_[0] = 1;  // all-zero is a fixed point
  }

  std::uint64_t Next() {
    const std::uint64_t result = Rotl(state_[0] + state_[3], 23) + state_[0];
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

 private:
  static std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<std::uint64_t, 4> state_{};
};

Xoshiro256& ThreadRng() {
  thread_local Xoshiro256 rng;
  return rng;
}

}  // namespace

TraceId NewTraceId() {
  TraceId id{};
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
  while (hi == 0 && lo == 0) {
    hi = ThreadRng().Next();
    lo = ThreadRng().Next();
  }
  std::memcpy(id.data(), &hi, sizeof hi);
  std::memcpy(id.data() + 8, &lo, sizeof lo);
  return id;
}

SpanId NewSpanId() {
  SpanId id{};
  std::uint64_t value = 0;
  while (value == 0) value = ThreadRng().Next();
  std::memcpy(id.data(), &value, sizeof value);
  return id;
}

}  // namespace fo::telemetry

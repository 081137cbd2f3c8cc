#include "services/user/app/account_metrics.hpp"

#include <initializer_list>

#include "platform/telemetry/metrics/metrics.hpp"

namespace fo::user::app {
namespace {

// Every outcome shows from the start, at zero, so rates work before the first event.
prometheus::Family<prometheus::Counter>& Family(const char* name, const char* help,
                                                std::initializer_list<const char*> outcomes) {
  auto& family = metrics::Global().Counter(name, help);
  for (const char* outcome : outcomes) family.Add({{"outcome", outcome}});
  return family;
}

}  // namespace

void CountRegistration(const char* outcome) {
  static auto& family = Family("user_registrations_total", "Registrations by outcome.",
                               {"created", "invalid", "conflict"});
  family.Add({{"outcome", outcome}}).Increment();
}

void CountLogin(const char* outcome) {
  static auto& family =
      Family("user_logins_total", "Logins by outcome.", {"succeeded", "rejected"});
  family.Add({{"outcome", outcome}}).Increment();
}

}  // namespace fo::user::app

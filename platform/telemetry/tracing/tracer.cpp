#include "platform/telemetry/tracing/tracer.hpp"

#include "platform/telemetry/tracing/id_generator.hpp"

namespace fo::telemetry {
namespace {
// Room a new SpanData's attributes start with (a recycled one keeps what it grew to).
constexpr std::size_t kTypicalAttributes = 8;
constexpr std::size_t kTypicalAttributeBytes = 512;
}  // namespace

struct Tracer::State {
  Sampler sampler;
  std::shared_ptr<SpanProcessor> processor;
};

Tracer::Tracer() = default;
Tracer::~Tracer() = default;

Tracer::Tracer(Sampler sampler, std::shared_ptr<SpanProcessor> processor) {
  Configure(true, sampler, std::move(processor));
}

void Tracer::Configure(bool enabled, Sampler sampler, std::shared_ptr<SpanProcessor> processor) {
  const std::lock_guard lock(configure_mutex_);
  const State* state = nullptr;
  if (enabled) {
    states_.push_back(std::make_unique<const State>(State{sampler, std::move(processor)}));
    state = states_.back().get();
  }
  state_.store(state, std::memory_order_release);
}

Span Tracer::StartSpan(std::string_view name, SpanKind kind, const SpanContext* parent) const {
  const bool has_parent = parent != nullptr && parent->IsValid();
  const State* state = state_.load(std::memory_order_acquire);
  if (state == nullptr) return has_parent ? Span(*parent) : Span();

  SpanContext context;
  context.trace_id = has_parent ? parent->trace_id : NewTraceId();
  context.span_id = NewSpanId();
  if (has_parent) context.trace_state = parent->trace_state;
  const bool sampled = state->sampler.ShouldSample(has_parent ? parent : nullptr, context.trace_id);
  context.flags = sampled ? kTraceFlagSampled : 0;
  if (!sampled || !state->processor) return Span(std::move(context));

  auto data = state->processor->NewSpanData();
  data->context = std::move(context);
  if (has_parent) {
    data->parent_span_id = parent->span_id;
    data->parent_remote = parent->remote;
  }
  // clear() and append(), not assign(): assign must allow for `name` overlapping the string
  // itself, at about twice the instructions for a short name.
  data->name.clear();
  data->name.append(name);
  data->kind = kind;
  // Server, client and SQL spans carry four to eight attributes: one allocation, not several.
  data->attributes.reserve(kTypicalAttributes, kTypicalAttributeBytes);
  return Span(std::move(data), state->processor.get());
}

}  // namespace fo::telemetry

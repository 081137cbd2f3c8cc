// The protobuf encoding, read back with libprotobuf's schema-less wire parser. Field numbers are
// written out here from opentelemetry/proto, apart from the encoder's own table; the black-box
// suite (tests/e2e/test_otlp_export.py) decodes a service's export with the published protos.
#include <google/protobuf/unknown_field_set.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <string>
#include <vector>

#include "platform/telemetry/tracing/otlp_encoding.hpp"

namespace fo::telemetry {
namespace {

using google::protobuf::UnknownField;

struct Field {
  int number = 0;
  UnknownField::Type type = UnknownField::TYPE_VARINT;
  std::uint64_t value = 0;  // varint, fixed32 or fixed64
  std::string bytes;        // length-delimited
};

// One decoded message: its fields in wire order.
struct Message {
  std::vector<Field> fields;

  std::vector<const Field*> All(int number) const {
    std::vector<const Field*> out;
    for (const Field& field : fields) {
      if (field.number == number) out.push_back(&field);
    }
    return out;
  }
  bool Has(int number) const { return !All(number).empty(); }
  const Field& One(int number) const {
    const auto all = All(number);
    EXPECT_EQ(all.size(), 1U) << "field " << number;
    static const Field kMissing;
    return all.empty() ? kMissing : *all.front();
  }
};

Message Parse(const std::string& bytes) {
  google::protobuf::UnknownFieldSet set;
  EXPECT_TRUE(set.ParseFromString(bytes)) << "not a well-formed protobuf message";
  Message message;
  for (int i = 0; i < set.field_count(); ++i) {
    const UnknownField& in = set.field(i);
    Field out;
    out.number = in.number();
    out.type = in.type();
    switch (in.type()) {
      case UnknownField::TYPE_VARINT:
        out.value = in.varint();
        break;
      case UnknownField::TYPE_FIXED32:
        out.value = in.fixed32();
        break;
      case UnknownField::TYPE_FIXED64:
        out.value = in.fixed64();
        break;
      case UnknownField::TYPE_LENGTH_DELIMITED:
        out.bytes = in.length_delimited();
        break;
      case UnknownField::TYPE_GROUP:
        ADD_FAILURE() << "groups are never written";
        break;
    }
    message.fields.push_back(std::move(out));
  }
  return message;
}

Message Sub(const Message& message, int number) { return Parse(message.One(number).bytes); }

// ExportTraceServiceRequest.resource_spans(1) -> ResourceSpans.scope_spans(2).
Message ScopeSpans(const std::string& request) {
  const Message top = Parse(request);
  return Sub(Sub(top, 1), 2);
}

std::vector<Message> Spans(const std::string& request) {
  std::vector<Message> out;
  const Message scope_spans = ScopeSpans(request);  // outlives the loop (C++20 range-for rules)
  for (const Field* span : scope_spans.All(2)) out.push_back(Parse(span->bytes));
  return out;
}

// KeyValue(key 1, value 2) list -> key and its AnyValue.
const Field* Attribute(const Message& owner, int number, std::string_view key, Message& value) {
  for (const Field* field : owner.All(number)) {
    const Message key_value = Parse(field->bytes);
    if (key_value.One(1).bytes == key) {
      value = Sub(key_value, 2);
      return field;
    }
  }
  return nullptr;
}

std::string Encode(const std::vector<std::unique_ptr<SpanData>>& spans,
                   const KeyValues& resource = {{"service.name", "payment"}}) {
  std::string out = "stale bytes from an earlier batch";
  EncodeOtlpProtobuf(resource, spans, out);
  return out;
}

std::string AsBytes(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::unique_ptr<SpanData> FullSpan() {
  auto span = std::make_unique<SpanData>();
  for (std::uint8_t i = 0; i < 16; ++i) span->context.trace_id[i] = i + 1;
  span->context.span_id = {0xb7, 0xad, 0x6b, 0x71, 0x69, 0x20, 0x33, 0x31};
  span->context.flags = 1;
  span->context.trace_state = "vendor=x";
  span->parent_span_id = {1, 2, 3, 4, 5, 6, 7, 8};
  span->parent_remote = true;
  span->name = "POST /api/payments";
  span->kind = SpanKind::kServer;
  span->start_unix_nano = 1'700'000'000'000'000'001;
  span->end_unix_nano = 1'700'000'000'123'000'001;
  span->attributes = {{"http.request.method", std::string("POST")},
                      {"empty", std::string()},
                      {"http.response.status_code", std::int64_t{201}},
                      {"negative", std::int64_t{-9007199254740993}},
                      {"zero", std::int64_t{0}},
                      {"ratio", 0.25},
                      {"nan", std::nan("")},
                      {"retried", false}};
  span->dropped_attributes = 3;
  span->events.push_back(
      SpanEvent{"exception", 42, {{"exception.message", std::string("card declined")}}});
  span->dropped_events = 2;
  span->status = StatusCode::kError;
  span->status_message = "declined";
  return span;
}

TEST(OtlpProtobufTest, ResourceAndScope) {
  std::vector<std::unique_ptr<SpanData>> spans;
  spans.push_back(FullSpan());
  const std::string request =
      Encode(spans, {{"service.name", "payment"}, {"deployment.environment", "test"}});
  const Message resource_spans = Sub(Parse(request), 1);
  const Message resource = Sub(resource_spans, 1);
  Message value;
  ASSERT_NE(Attribute(resource, 1, "service.name", value), nullptr);
  EXPECT_EQ(value.One(1).bytes, "payment");  // AnyValue.string_value
  ASSERT_NE(Attribute(resource, 1, "deployment.environment", value), nullptr);
  EXPECT_EQ(value.One(1).bytes, "test");
  const Message scope = Sub(ScopeSpans(request), 1);
  EXPECT_EQ(scope.One(1).bytes, "full-observability");  // InstrumentationScope.name
}

TEST(OtlpProtobufTest, EverySpanFieldUnderItsOtlpNumber) {
  std::vector<std::unique_ptr<SpanData>> spans;
  spans.push_back(FullSpan());
  const SpanData& data = *spans[0];
  const auto decoded = Spans(Encode(spans));
  ASSERT_EQ(decoded.size(), 1U);
  const Message& span = decoded[0];
  EXPECT_EQ(span.One(1).bytes, AsBytes(data.context.trace_id));
  EXPECT_EQ(span.One(2).bytes, AsBytes(data.context.span_id));
  EXPECT_EQ(span.One(3).bytes, "vendor=x");
  EXPECT_EQ(span.One(4).bytes, AsBytes(data.parent_span_id));
  EXPECT_EQ(span.One(5).bytes, "POST /api/payments");
  EXPECT_EQ(span.One(6).value, 2U);  // SPAN_KIND_SERVER
  EXPECT_EQ(span.One(7).type, UnknownField::TYPE_FIXED64);
  EXPECT_EQ(span.One(7).value, data.start_unix_nano);
  EXPECT_EQ(span.One(8).value, data.end_unix_nano);
  EXPECT_EQ(span.All(9).size(), data.attributes.size());
  EXPECT_EQ(span.One(10).value, 3U);  // dropped_attributes_count
  EXPECT_EQ(span.One(12).value, 2U);  // dropped_events_count
  EXPECT_EQ(span.One(16).type, UnknownField::TYPE_FIXED32);
  EXPECT_EQ(span.One(16).value, 0x301U);  // sampled | context has is-remote | parent is remote

  const Message event = Parse(span.One(11).bytes);
  EXPECT_EQ(event.One(1).type, UnknownField::TYPE_FIXED64);
  EXPECT_EQ(event.One(1).value, 42U);
  EXPECT_EQ(event.One(2).bytes, "exception");
  Message value;
  ASSERT_NE(Attribute(event, 3, "exception.message", value), nullptr);
  EXPECT_EQ(value.One(1).bytes, "card declined");

  const Message status = Sub(span, 15);
  EXPECT_EQ(status.One(2).bytes, "declined");
  EXPECT_EQ(status.One(3).value, 2U);  // STATUS_CODE_ERROR
}

TEST(OtlpProtobufTest, AttributeValuesKeepTheirTypes) {
  std::vector<std::unique_ptr<SpanData>> spans;
  spans.push_back(FullSpan());
  const Message span = Spans(Encode(spans))[0];
  Message value;
  ASSERT_NE(Attribute(span, 9, "http.request.method", value), nullptr);
  EXPECT_EQ(value.One(1).bytes, "POST");
  ASSERT_NE(Attribute(span, 9, "empty", value), nullptr);
  EXPECT_EQ(value.One(1).bytes, "");  // a oneof member is present even when empty
  ASSERT_NE(Attribute(span, 9, "http.response.status_code", value), nullptr);
  EXPECT_EQ(value.One(3).value, 201U);  // int_value
  ASSERT_NE(Attribute(span, 9, "negative", value), nullptr);
  EXPECT_EQ(static_cast<std::int64_t>(value.One(3).value), -9007199254740993);
  ASSERT_NE(Attribute(span, 9, "zero", value), nullptr);
  EXPECT_EQ(value.One(3).value, 0U);
  ASSERT_NE(Attribute(span, 9, "ratio", value), nullptr);
  EXPECT_EQ(value.One(4).type, UnknownField::TYPE_FIXED64);  // double_value
  EXPECT_DOUBLE_EQ(std::bit_cast<double>(value.One(4).value), 0.25);
  ASSERT_NE(Attribute(span, 9, "nan", value), nullptr);
  EXPECT_TRUE(std::isnan(std::bit_cast<double>(value.One(4).value)));
  ASSERT_NE(Attribute(span, 9, "retried", value), nullptr);
  EXPECT_EQ(value.One(2).type, UnknownField::TYPE_VARINT);  // bool_value, false but present
  EXPECT_EQ(value.One(2).value, 0U);
}

TEST(OtlpProtobufTest, RootSpanLeavesDefaultsOut) {
  std::vector<std::unique_ptr<SpanData>> spans;
  spans.push_back(std::make_unique<SpanData>());
  spans.back()->context.flags = 1;
  spans.back()->kind = SpanKind::kConsumer;
  const Message span = Spans(Encode(spans))[0];
  EXPECT_FALSE(span.Has(3));              // no trace state
  EXPECT_FALSE(span.Has(4));              // no parent
  EXPECT_FALSE(span.Has(10));             // nothing dropped
  EXPECT_FALSE(span.Has(11));             // no events
  EXPECT_FALSE(span.Has(15));             // status unset
  EXPECT_EQ(span.One(6).value, 5U);       // SPAN_KIND_CONSUMER
  EXPECT_EQ(span.One(16).value, 0x101U);  // a root span's parent is not remote
}

TEST(OtlpProtobufTest, LengthsOfEverySizeAndManySpansInOrder) {
  std::vector<std::unique_ptr<SpanData>> spans;
  // Values around the varint length boundaries (1, 2 and 3 bytes) of the patched lengths.
  for (const std::size_t size : {0, 100, 127, 128, 300, 16383, 16384, 70000}) {
    auto span = std::make_unique<SpanData>();
    span->name = "span-" + std::to_string(size);
    span->attributes = {{"payload", std::string(size, 'x')}};
    span->events.push_back(SpanEvent{std::string(size, 'e'), 1, {}});
    spans.push_back(std::move(span));
  }
  for (int i = 0; i < 600; ++i) {
    spans.push_back(std::make_unique<SpanData>());
    spans.back()->name = "small-" + std::to_string(i);
  }
  const auto decoded = Spans(Encode(spans));
  ASSERT_EQ(decoded.size(), spans.size());
  for (std::size_t i = 0; i < spans.size(); ++i) {
    EXPECT_EQ(decoded[i].One(5).bytes, spans[i]->name);
  }
  Message value;
  ASSERT_NE(Attribute(decoded[7], 9, "payload", value), nullptr);
  EXPECT_EQ(value.One(1).bytes, std::string(70000, 'x'));
  EXPECT_EQ(Parse(decoded[7].One(11).bytes).One(2).bytes, std::string(70000, 'e'));
}

TEST(OtlpProtobufTest, InvalidUtf8IsRepairedAndValidTextKept) {
  std::vector<std::unique_ptr<SpanData>> spans;
  spans.push_back(std::make_unique<SpanData>());
  spans.back()->name = "GET /caf\xc3\xa9/\xff";
  spans.back()->attributes = {{"url.path", std::string("/a\xc0\xafz")},
                              {"k\xfe", std::string("v")}};
  const Message span = Spans(Encode(spans))[0];
  EXPECT_EQ(span.One(5).bytes, "GET /caf\xc3\xa9/\xef\xbf\xbd");
  Message value;
  ASSERT_NE(Attribute(span, 9, "url.path", value), nullptr);
  EXPECT_EQ(value.One(1).bytes, "/a\xef\xbf\xbd\xef\xbf\xbdz");  // an overlong '/' is invalid
  EXPECT_NE(Attribute(span, 9, "k\xef\xbf\xbd", value), nullptr);
}

// An all-ASCII span skips the per-string check: one bad string anywhere must still send its span
// through it.
TEST(OtlpProtobufTest, TheOnlyInvalidStringOfASpanIsRepairedWhereverItIs) {
  const std::string bad = "x\xff";
  const std::string repaired = "x\xef\xbf\xbd";
  const auto encode = [](std::unique_ptr<SpanData> span) {
    std::vector<std::unique_ptr<SpanData>> spans;
    spans.push_back(std::move(span));
    return Spans(Encode(spans))[0];
  };
  const auto ascii_span = [] {
    auto span = std::make_unique<SpanData>();
    span->name = "GET /api/products/{id}";
    span->attributes = {{"http.route", std::string("/api/products/{id}")},
                        {"http.response.status_code", std::int64_t{200}}};
    return span;
  };
  Message value;

  auto span = ascii_span();
  span->attributes.Set("url.path", std::string_view(bad));
  Message decoded = encode(std::move(span));
  ASSERT_NE(Attribute(decoded, 9, "url.path", value), nullptr);
  EXPECT_EQ(value.One(1).bytes, repaired);
  ASSERT_NE(Attribute(decoded, 9, "http.route", value), nullptr);
  EXPECT_EQ(value.One(1).bytes, "/api/products/{id}");

  span = ascii_span();
  span->attributes.Set(bad, std::string_view("v"));
  EXPECT_NE(Attribute(encode(std::move(span)), 9, repaired, value), nullptr);

  span = ascii_span();
  span->status = StatusCode::kError;
  span->status_message = bad;
  EXPECT_EQ(Sub(encode(std::move(span)), 15).One(2).bytes, repaired);

  span = ascii_span();
  span->name = bad;
  EXPECT_EQ(encode(std::move(span)).One(5).bytes, repaired);
}

TEST(OtlpProtobufTest, EmptyBatchIsAValidRequest) {
  const Message scope_spans = ScopeSpans(Encode({}));
  EXPECT_FALSE(scope_spans.Has(2));
  EXPECT_TRUE(scope_spans.Has(1));
}

}  // namespace
}  // namespace fo::telemetry

#pragma once
// What goes to and comes from Kafka, free of librdkafka types so that callers and fakes never
// include rdkafkacpp.h.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fo::kafka {

struct Header {
  std::string key;
  std::string value;
};
using Headers = std::vector<Header>;

// The first header named `key`, if any.
std::optional<std::string_view> FindHeader(const Headers& headers, std::string_view key);

struct Record {
  std::string topic;
  std::string key;  // the aggregate id: one key always lands on one partition, in order
  std::string value;
  Headers headers;
};

// Where the broker stored a produced record.
struct Delivery {
  std::int32_t partition = -1;
  std::int64_t offset = -1;
};

// A consumed record.
struct Message {
  std::string topic;
  std::int32_t partition = -1;
  std::int64_t offset = -1;
  std::string key;
  std::string value;
  Headers headers;
  std::int64_t timestamp_ms = -1;
};

}  // namespace fo::kafka

// The writer's own contract, byte for byte: it claims room ahead of the bytes, so these check that
// `out` ends up holding exactly what was written, after what it held before, however the room grew.
#include "platform/telemetry/tracing/proto_writer.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace fo::telemetry::detail {
namespace {

std::string VarintBytes(std::uint64_t value) {
  std::string bytes;
  for (; value >= 0x80; value >>= 7) bytes += static_cast<char>((value & 0x7f) | 0x80);
  bytes += static_cast<char>(value);
  return bytes;
}

TEST(ProtoWriterTest, AppendsExactlyItsBytesAfterWhatOutHeld) {
  std::string out = "prefix";
  {
    ProtoWriter writer(out);
    writer.Varint(1, 150);  // 08 96 01
    writer.Bytes(2, "hi");  // 12 02 'h' 'i'
    writer.Fixed32(3, 1);   // 1d 01 00 00 00
    EXPECT_EQ(writer.Written(), 6U + 3U + 4U + 5U);
  }
  EXPECT_EQ(out, std::string("prefix\x08\x96\x01\x12\x02hi\x1d\x01\x00\x00\x00", 18));
}

TEST(ProtoWriterTest, FinishGivesBackTheRoomAndTheWriterCarriesOn) {
  std::string out;
  ProtoWriter writer(out);
  writer.Reserve(1000);
  writer.Varint(1, 1);
  EXPECT_GE(out.size(), 1000U);  // the room is part of `out` until Finish
  writer.Finish();
  EXPECT_EQ(out, std::string("\x08\x01"));
  writer.Varint(2, 2);
  writer.Finish();
  EXPECT_EQ(out, std::string("\x08\x01\x10\x02"));
}

TEST(ProtoWriterTest, NestedMessagesOfEveryLengthSizeAcrossManyGrowths) {
  // Bodies whose lengths take one, two and three varint bytes, written a byte-sized field at a
  // time so the room grows many times while a message is open.
  for (const std::size_t fields : {10U, 100U, 8191U, 9000U}) {
    std::string out = "x";
    {
      ProtoWriter writer(out);
      const std::size_t body = writer.Begin(7);
      for (std::size_t i = 0; i < fields; ++i) writer.Varint(1, 1);  // two bytes each
      writer.End(body);
      writer.Varint(2, 3);  // a field after the message lands after it
    }
    const std::size_t size = 2 * fields;
    std::string expected = "x\x3a" + VarintBytes(size);  // field 7, length-delimited
    for (std::size_t i = 0; i < fields; ++i) expected += "\x08\x01";
    expected += "\x10\x03";
    EXPECT_EQ(out, expected) << fields << " fields";
  }
}

TEST(ProtoWriterTest, ClaimedRunsOfFieldsAreCommittedAsWritten) {
  std::string out;
  {
    ProtoWriter writer(out);
    char* at = writer.Claim(ProtoWriter::kMaxTag + ProtoWriter::kMaxVarint + 3);
    at = PutBytes(at, 4, "abc");
    writer.Commit(at);
    writer.Double(5, 0.0);
  }
  EXPECT_EQ(out, std::string("\x22\x03"
                             "abc"
                             "\x29\x00\x00\x00\x00\x00\x00\x00\x00",
                             14));
}

}  // namespace
}  // namespace fo::telemetry::detail

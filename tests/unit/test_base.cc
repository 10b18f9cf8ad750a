// Small pieces of base/: bit helpers, IrqLine, logging configuration, errors.
#include <catch2/catch.hpp>

#include "base/bits.h"
#include "base/error.h"
#include "base/irq.h"
#include "base/log.h"

using namespace tern;

TEST_CASE("little-endian loads and stores are independent of the host byte order") {
  u8 bytes[8] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
  CHECK(load_le<u16>(bytes) == 0x0201);
  CHECK(load_le<u32>(bytes) == 0x04030201u);
  CHECK(load_le<u64>(bytes) == 0x0807060504030201ull);
  store_le<u32>(bytes, 0xAABBCCDDu);
  CHECK(bytes[0] == 0xDD);
  CHECK(bytes[3] == 0xAA);
  CHECK(load_le_sized(bytes, 2) == 0xCCDD);
}

TEST_CASE("sign_extend widens from any width") {
  CHECK(sign_extend(0x80, 8) == -128);
  CHECK(sign_extend(0x7F, 8) == 127);
  CHECK(sign_extend(0xFFFF, 16) == -1);
  CHECK(sign_extend(0x1FF, 8) == -1);  // bits above the width are ignored
  CHECK(low_mask(64) == ~u64{0});
}

namespace {
struct RecordingSink : IrqSink {
  std::vector<std::pair<unsigned, bool>> events;
  void set_irq(unsigned line, bool level) override { events.emplace_back(line, level); }
};
}  // namespace

TEST_CASE("an IrqLine forwards levels to its sink and pulse gives an edge") {
  RecordingSink sink;
  IrqLine line(&sink, 5);
  line.raise();
  line.lower();
  line.pulse();
  REQUIRE(sink.events.size() == 4);
  CHECK(sink.events[0] == std::make_pair(5u, true));
  CHECK(sink.events[1] == std::make_pair(5u, false));
  CHECK(sink.events[2] == std::make_pair(5u, true));
  CHECK(sink.events[3] == std::make_pair(5u, false));
  IrqLine unconnected;
  unconnected.raise();  // no sink: nothing happens
  CHECK_FALSE(unconnected.connected());
}

TEST_CASE("--log sets levels per category and rejects unknown names") {
  configure_logging("pic:trace,cpu");
  CHECK(log_enabled(LogCat::kPic, LogLevel::kTrace));
  CHECK(log_enabled(LogCat::kCpu, LogLevel::kDebug));
  CHECK_FALSE(log_enabled(LogCat::kCpu, LogLevel::kTrace));
  configure_logging("all:warn");
  CHECK_FALSE(log_enabled(LogCat::kPic, LogLevel::kInfo));
  CHECK_THROWS_WITH(configure_logging("nosuch"), Catch::Contains("unknown category 'nosuch'"));
  CHECK_THROWS_WITH(configure_logging("pic:loud"), Catch::Contains("unknown level 'loud'"));
}

TEST_CASE("user errors carry exit code 125 unless told otherwise") {
  try {
    fail("bad {}", 1);
    FAIL("fail() returned");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "bad 1");
    CHECK(e.code() == ExitCode::kBadInput);
  }
}

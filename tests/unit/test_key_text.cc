// Text typed with --send-keys becomes PS/2 set 2 key strokes.
#include <catch2/catch.hpp>

#include "base/error.h"
#include "frontend/guest_script.h"
#include "frontend/key_text.h"

using namespace tern;

TEST_CASE("letters, capitals and escapes map to set 2 make and break codes") {
  const auto strokes = text_to_keystrokes("aA\\n");
  REQUIRE(strokes.size() == 3);
  CHECK(strokes[0] == std::vector<u8>{0x1C, 0xF0, 0x1C});
  CHECK(strokes[1] == std::vector<u8>{0x12, 0x1C, 0xF0, 0x1C, 0xF0, 0x12});  // Shift around 'a'
  CHECK(strokes[2] == std::vector<u8>{0x5A, 0xF0, 0x5A});                    // Enter
}

TEST_CASE("shifted symbols use the key of their unshifted partner") {
  const auto strokes = text_to_keystrokes("$(");
  CHECK(strokes[0][1] == 0x25);  // '4'
  CHECK(strokes[1][1] == 0x46);  // '9'
}

TEST_CASE("characters no key types are refused with a message") {
  CHECK_THROWS_WITH(text_to_keystrokes("\xC3\xA9"), Catch::Contains("no key types"));
  CHECK_THROWS_WITH(text_to_keystrokes("\\q"), Catch::Contains("unknown escape"));
}

TEST_CASE("--send-keys takes TEXT@SECONDS, splitting at the last @") {
  const auto keys = parse_send_keys("user@host@1.5");
  CHECK(keys.text == "user@host");
  CHECK(keys.at_ns == 1'500'000'000);
  CHECK_THROWS_AS(parse_send_keys("no time"), Error);
  CHECK_THROWS_AS(parse_send_keys("x@soon"), Error);
  CHECK_THROWS_AS(parse_send_keys("x@-1"), Error);
}

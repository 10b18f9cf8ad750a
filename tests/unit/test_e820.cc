// The e820 map handed to the firmware.
#include <catch2/catch.hpp>

#include "bios/e820.h"

using namespace tern;

TEST_CASE("RAM below the PCI hole and above 4 GiB, 20 bytes per entry") {
  const auto map = board_e820(128u << 20, 0);
  REQUIRE(map.size() == 1);
  CHECK(map[0].address == 0);
  CHECK(map[0].length == 128u << 20);
  const auto big = board_e820(0xE0000000, u64{2} << 30);
  REQUIRE(big.size() == 2);
  CHECK(big[1].address == u64{1} << 32);
  const std::vector<u8> bytes = encode_e820(big);
  REQUIRE(bytes.size() == 40);
  CHECK(bytes[20 + 4] == 1);   // address 0x1'0000'0000: byte 4
  CHECK(bytes[20 + 16] == 1);  // type RAM
  CHECK(bytes[8 + 3] == 0xE0); // length 0xE0000000
}

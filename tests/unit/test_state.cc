// The save-state stream: round trips, and every kind of damage refused with an Error.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>

#include "base/error.h"
#include "base/state.h"

using namespace tern;

namespace {

struct Sample {
  u8 a = 1;
  u16 b = 0x1234;
  u32 c = 0xDEADBEEF;
  u64 d = 0x0123456789ABCDEFull;
  bool e = true;
  std::array<u32, 3> f = {7, 8, 9};
  u8 g[4] = {1, 2, 3, 4};
  enum class Kind : u8 { kX, kY } h = Kind::kY;
  std::string s = "hello";

  void serialize(StateIo& io) {
    io(a, b, c, d, e, f, g, h);
    io.string(s);
  }
};

std::vector<u8> sample_file() {
  StateWriter w;
  Sample s;
  StateIo io = w.section("sample");
  s.serialize(io);
  StateIo other = w.section("other");
  u32 x = 42;
  other(x);
  return w.finish();
}

}  // namespace

TEST_CASE("every field kind saves and loads back unchanged") {
  const StateReader r(sample_file());
  Sample loaded;
  loaded.a = 0;
  loaded.b = 0;
  loaded.c = 0;
  loaded.d = 0;
  loaded.e = false;
  loaded.f = {};
  loaded.h = Sample::Kind::kX;
  loaded.s.clear();
  StateIo io = r.section("sample");
  loaded.serialize(io);
  io.expect_end();
  const Sample want;
  CHECK(loaded.a == want.a);
  CHECK(loaded.b == want.b);
  CHECK(loaded.c == want.c);
  CHECK(loaded.d == want.d);
  CHECK(loaded.e == want.e);
  CHECK(loaded.f == want.f);
  CHECK(loaded.g[3] == 4);
  CHECK(loaded.h == want.h);
  CHECK(loaded.s == want.s);
  CHECK(r.has("other"));
  CHECK_FALSE(r.has("missing"));
}

TEST_CASE("a missing section is refused with a message naming it") {
  const StateReader r(sample_file());
  CHECK_THROWS_WITH(r.section("cpu"), Catch::Contains("'cpu' is missing"));
}

TEST_CASE("reading past the end of a section is refused") {
  const StateReader r(sample_file());
  StateIo io = r.section("other");
  u64 too_big = 0;
  CHECK_THROWS_AS(io(too_big), Error);
}

TEST_CASE("leftover bytes in a section are detected") {
  const StateReader r(sample_file());
  StateIo io = r.section("other");
  u16 half = 0;
  io(half);
  CHECK_THROWS_AS(io.expect_end(), Error);
}

TEST_CASE("every truncation of a state file is refused") {
  const std::vector<u8> file = sample_file();
  for (size_t n = 0; n < file.size(); ++n) {
    const std::vector<u8> cut(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(n));
    CHECK_THROWS_AS(StateReader(cut), Error);
  }
}

TEST_CASE("every single flipped bit of a state file is refused") {
  const std::vector<u8> file = sample_file();
  for (size_t i = 0; i < file.size(); ++i) {
    for (int b = 0; b < 8; ++b) {
      std::vector<u8> bad = file;
      bad[i] ^= static_cast<u8>(1 << b);
      CHECK_THROWS_AS(StateReader(bad), Error);
    }
  }
}

TEST_CASE("a file of another format version is refused with the version named") {
  std::vector<u8> file = sample_file();
  file[8] = 99;
  CHECK_THROWS_WITH(StateReader(file), Catch::Contains("version 99"));
}

TEST_CASE("state files are written atomically and read back") {
  const std::string path = "test_state_roundtrip.tstate";
  StateWriter w;
  StateIo io = w.section("x");
  u32 v = 5;
  io(v);
  w.write_file(path);
  const StateReader r = StateReader::from_file(path);
  u32 back = 0;
  StateIo in = r.section("x");
  in(back);
  CHECK(back == 5);
  std::ifstream tmp(path + ".tmp");
  CHECK_FALSE(tmp.good());
  std::remove(path.c_str());
}

TEST_CASE("CRC-32 matches the standard check value") {
  const char* text = "123456789";
  CHECK(crc32(text, 9) == 0xCBF43926u);
}

TEST_CASE("CRC-32 is the same computed whole or in pieces of any alignment") {
  std::vector<u8> data(1000);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<u8>(i * 7 + 3);
  const u32 whole = crc32(data.data(), data.size());
  u32 pieces = crc32(data.data(), 1);
  pieces = crc32(data.data() + 1, 13, pieces);
  pieces = crc32(data.data() + 14, data.size() - 14, pieces);
  CHECK(pieces == whole);
  // The reference: one table step per byte.
  u32 bitwise = ~0u;
  for (u8 b : data) {
    bitwise ^= b;
    for (int k = 0; k < 8; ++k) bitwise = (bitwise & 1) ? 0xEDB88320u ^ (bitwise >> 1) : bitwise >> 1;
  }
  CHECK(whole == ~bitwise);
}

TEST_CASE("sparse pages: all-zero pages cost a bit, the rest loads back exactly") {
  std::vector<u8> memory(5 * StateIo::kSparsePage + 100, 0);  // a partial last page too
  memory[StateIo::kSparsePage + 17] = 0xAB;
  memory.back() = 0xCD;
  std::vector<u8> saved;
  StateIo out(saved);
  out.sparse_pages(memory.data(), memory.size());
  CHECK(saved.size() == 1 + StateIo::kSparsePage + 100);  // bitmap, page 1, the last 100 bytes

  std::vector<u8> loaded(memory.size(), 0x55);  // stale contents are cleared
  StateIo in("mem", saved);
  in.sparse_pages(loaded.data(), loaded.size());
  in.expect_end();
  CHECK(loaded == memory);
}

TEST_CASE("sparse pages: a section short of the pages its bitmap announces changes nothing") {
  std::vector<u8> memory(3 * StateIo::kSparsePage, 0x11);
  std::vector<u8> saved;
  StateIo out(saved);
  out.sparse_pages(memory.data(), memory.size());
  saved.pop_back();
  std::vector<u8> target(memory.size(), 0x22);
  StateIo in("mem", saved);
  CHECK_THROWS_AS(in.sparse_pages(target.data(), target.size()), Error);
  CHECK(target == std::vector<u8>(memory.size(), 0x22));
}

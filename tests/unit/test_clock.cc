// The virtual clock: instruction-driven time, timer ordering, save/restore of deadlines.
#include <catch2/catch.hpp>

#include <vector>

#include "base/clock.h"
#include "base/state.h"

using namespace tern;

TEST_CASE("virtual time advances with retired instructions at the configured rate") {
  Clock clock(100'000'000);  // 10 ns per instruction
  clock.advance_instructions(3);
  CHECK(clock.now() == 30);
  Clock odd(300'000'000);  // 3.33.. ns per instruction: the remainder is carried, never lost
  for (int i = 0; i < 3; ++i) odd.advance_instructions(1);
  CHECK(odd.now() == 10);
}

TEST_CASE("instructions_until reaches the deadline and never returns zero for a future time") {
  Clock clock(100'000'000);
  CHECK(clock.instructions_until(25) == 3);
  CHECK(clock.instructions_until(0) == 0);
  clock.advance_instructions(clock.instructions_until(25));
  CHECK(clock.now() >= 25);
}

TEST_CASE("timers fire in deadline order and same-time timers in creation order") {
  Clock clock;
  std::vector<int> fired;
  Timer a(clock, [&] { fired.push_back(1); });
  Timer b(clock, [&] { fired.push_back(2); });
  Timer c(clock, [&] { fired.push_back(3); });
  c.arm_at(100);
  b.arm_at(200);
  a.arm_at(200);
  CHECK(clock.next_deadline() == 100);
  clock.advance_to(150);
  clock.run_due();
  CHECK(fired == std::vector<int>{3});
  clock.advance_to(200);
  clock.run_due();
  CHECK(fired == std::vector<int>{3, 1, 2});
  CHECK(clock.next_deadline() == Clock::kNever);
}

TEST_CASE("a timer callback may re-arm its own timer for periodic work") {
  Clock clock;
  int count = 0;
  Timer* self = nullptr;
  Timer t(clock, [&] {
    if (++count < 3) self->arm_in(10);
  });
  self = &t;
  t.arm_at(10);
  clock.advance_to(1000);
  clock.run_due();
  // Re-armed relative to now (1000): only the first firing is due.
  CHECK(count == 1);
  CHECK(t.deadline() == 1010);
}

TEST_CASE("cancelled timers do not fire") {
  Clock clock;
  bool fired = false;
  Timer t(clock, [&] { fired = true; });
  t.arm_at(5);
  t.cancel();
  clock.advance_to(10);
  clock.run_due();
  CHECK_FALSE(fired);
  CHECK_FALSE(t.armed());
}

TEST_CASE("clock time and timer deadlines survive a save and restore") {
  Clock clock(50'000'000);
  Timer t(clock, [] {});
  clock.advance_instructions(7);
  t.arm_at(12345);
  StateWriter w;
  {
    StateIo io = w.section("clock");
    clock.serialize(io);
    t.serialize(io);
  }
  const StateReader r(w.finish());
  Clock restored(50'000'000);
  Timer t2(restored, [] {});
  StateIo io = r.section("clock");
  restored.serialize(io);
  t2.serialize(io);
  io.expect_end();
  CHECK(restored.now() == clock.now());
  CHECK(t2.deadline() == 12345);
  CHECK(restored.next_deadline() == 12345);
}

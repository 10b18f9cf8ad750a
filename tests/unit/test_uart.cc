// The 16550A UART: transmit to the backend, divisor latch, scratch, interrupt identification and
// acknowledgement, receive FIFO with trigger levels and timeout, overrun, loopback, OUT2 gating,
// input polled from the backend on the virtual clock, save/restore.
#include <catch2/catch.hpp>

#include <deque>
#include <string>

#include "base/state.h"
#include "devices/uart.h"

using namespace tern;

namespace {

struct FakeLine : CharBackend {
  void write(u8 byte) override { sent += static_cast<char>(byte); }
  void flush() override { flushed = sent.size(); }
  bool read(u8& byte) override {
    if (input.empty()) return false;
    byte = input.front();
    input.pop_front();
    return true;
  }
  bool readable() const override { return has_input; }
  std::string sent;
  std::deque<u8> input;
  bool has_input = true;
  size_t flushed = 0;
};

struct Line : IrqSink {
  void set_irq(unsigned, bool level) override { high = level; }
  bool high = false;
};

struct Board {
  Clock clock;
  IoSpace io;
  Line irq;
  FakeLine line;
  Uart uart{io, Uart::kCom1, clock, IrqLine(&irq, 4), &line};

  u8 in(u16 reg) { return static_cast<u8>(io.read(static_cast<u16>(Uart::kCom1 + reg), 1)); }
  void out(u16 reg, u8 v) { io.write(static_cast<u16>(Uart::kCom1 + reg), v, 1); }
  void run_for(u64 ns) {
    const u64 end = clock.now() + ns;
    while (clock.next_deadline() <= end) {
      clock.advance_to(clock.next_deadline());
      clock.run_due();
    }
    clock.advance_to(end);
  }
};

}  // namespace

TEST_CASE("bytes written to THR reach the backend and THR is empty again") {
  Board b;
  b.out(0, 'h');
  b.out(0, 'i');
  CHECK(b.line.sent == "hi");
  CHECK((b.in(5) & 0x60) == 0x60);
}

TEST_CASE("the divisor latch shadows RBR/THR and IER while DLAB is set") {
  Board b;
  b.out(1, 0x05);
  b.out(3, 0x83);
  b.out(0, 0x0C);
  b.out(1, 0x00);
  CHECK(b.in(0) == 0x0C);
  CHECK(b.in(1) == 0x00);
  CHECK(b.line.sent.empty());
  b.out(3, 0x03);
  CHECK(b.in(1) == 0x05);
  CHECK(b.in(3) == 0x03);
  b.out(7, 0xA5);
  CHECK(b.in(7) == 0xA5);
}

TEST_CASE("THR-empty interrupt: raised on enable, acknowledged by reading IIR, gated by OUT2") {
  Board b;
  b.out(1, 0x02);
  CHECK(!b.irq.high);  // OUT2 is off: the ISA line is not driven
  b.out(4, 0x08);
  CHECK(b.irq.high);
  CHECK(b.in(2) == 0x02);
  CHECK(!b.irq.high);
  CHECK(b.in(2) == 0x01);
  b.out(0, 'x');
  CHECK(b.irq.high);
}

TEST_CASE("received bytes raise the data-available interrupt until read") {
  Board b;
  b.out(4, 0x08);
  b.out(1, 0x01);
  b.uart.receive('A');
  CHECK(b.irq.high);
  CHECK(b.in(2) == 0x04);
  CHECK((b.in(5) & 0x01) == 0x01);
  CHECK(b.in(0) == 'A');
  CHECK(!b.irq.high);
  CHECK((b.in(5) & 0x01) == 0);
}

TEST_CASE("FIFO mode: trigger level, character timeout, IIR FIFO bits") {
  Board b;
  b.out(3, 0x03);
  b.out(0x3, 0x83);
  b.out(0, 1);  // 115200 baud: a character is 86.8 us
  b.out(3, 0x03);
  b.out(2, 0xC7);  // FIFO on, clear both, trigger 14
  b.out(4, 0x08);
  b.out(1, 0x01);
  for (char c : std::string("abc")) b.uart.receive(static_cast<u8>(c));
  CHECK(!b.irq.high);
  CHECK(b.in(2) == 0xC1);
  b.run_for(4 * 86'806 + 100);
  CHECK(b.irq.high);
  CHECK(b.in(2) == 0xCC);
  CHECK(b.in(0) == 'a');
  CHECK(!b.irq.high);
  for (int i = 0; i < 12; ++i) b.uart.receive(static_cast<u8>('0' + i));
  CHECK(b.irq.high);  // 14 bytes: trigger level reached
  CHECK(b.in(2) == 0xC4);
  CHECK(b.in(0) == 'b');
  CHECK(!b.irq.high);  // 13 left: below the trigger, timeout not yet due
}

TEST_CASE("overrun sets OE and raises the line-status interrupt, cleared by reading LSR") {
  Board b;
  b.out(4, 0x08);
  b.out(1, 0x04);
  b.uart.receive('1');
  b.uart.receive('2');
  CHECK(b.irq.high);
  CHECK(b.in(2) == 0x06);
  CHECK(b.in(5) == 0x63);
  CHECK(!b.irq.high);
  CHECK(b.in(0) == '1');
}

TEST_CASE("loopback: transmitted bytes come back, MSR mirrors MCR with delta bits") {
  Board b;
  b.out(4, 0x10);
  CHECK((b.in(6) & 0xF0) == 0x00);
  b.out(4, 0x1F);
  const u8 msr = b.in(6);
  CHECK((msr & 0xF0) == 0xF0);
  CHECK((msr & 0x0B) == 0x0B);
  CHECK((b.in(6) & 0x0F) == 0);
  b.out(4, 0x1B);  // OUT1 (RI) falls: trailing edge
  CHECK((b.in(6) & 0x04) == 0x04);
  b.out(0, 'L');
  CHECK(b.line.sent.empty());
  CHECK(b.in(0) == 'L');
}

TEST_CASE("modem-status interrupt on a delta bit, cleared by reading MSR") {
  Board b;
  b.out(1, 0x08);
  b.out(4, 0x18);
  b.out(4, 0x1A);  // RTS -> CTS changes
  CHECK(b.irq.high);
  CHECK(b.in(2) == 0x00);
  b.in(6);
  CHECK(!b.irq.high);
}

TEST_CASE("input is taken from the backend on the virtual clock, FIFO room permitting") {
  Board b;
  b.line.input = {'o', 'k'};
  b.out(2, 0x01);
  CHECK((b.in(5) & 1) == 0);
  b.out(0, '$');
  CHECK(b.line.flushed == 0);
  b.run_for(1'000'000);
  CHECK(b.line.flushed == 1);  // output is flushed when input is polled: a prompt shows
  CHECK(b.in(0) == 'o');
  CHECK(b.in(0) == 'k');
  SECTION("a backend without input is never polled") {
    Board c;
    c.line.has_input = false;
    c.uart.reset();
    CHECK(c.clock.next_deadline() == Clock::kNever);
  }
}

TEST_CASE("UART state survives save and load") {
  Board b;
  b.out(2, 0x01);
  b.out(4, 0x08);
  b.out(1, 0x01);
  b.out(7, 0x42);
  b.uart.receive('s');
  std::vector<u8> saved;
  StateIo out(saved);
  b.uart.serialize(out);
  Board c;
  StateIo in("uart", saved);
  c.uart.serialize(in);
  in.expect_end();
  CHECK(c.in(7) == 0x42);
  CHECK(c.in(2) == 0xC4);
  CHECK(c.in(0) == 's');
}

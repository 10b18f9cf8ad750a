#include "devices/ps2_keyboard.h"

#include "base/log.h"
#include "base/state.h"
#include "devices/ps2_scancodes.h"

namespace tern {

namespace {

constexpr u8 kAck = 0xFA;
constexpr u8 kResend = 0xFE;
constexpr u8 kBatOk = 0xAA;
constexpr u8 kEcho = 0xEE;
constexpr u8 kOverrun = 0x00;  // set 2/3 buffer overrun code

enum : u8 {
  kCmdSetLeds = 0xED,
  kCmdEcho = 0xEE,
  kCmdScancodeSet = 0xF0,
  kCmdIdentify = 0xF2,
  kCmdTypematic = 0xF3,
  kCmdEnable = 0xF4,
  kCmdDisable = 0xF5,
  kCmdDefaults = 0xF6,
  kCmdResend = 0xFE,
  kCmdReset = 0xFF,
};

}  // namespace

void Ps2Keyboard::reset() {
  clear_queue();
  m_pending_command = 0;
  m_set = 2;
  m_leds = 0;
  m_typematic = 0x2B;
  m_scanning = true;
  m_set1_break = false;
  m_last_sent = 0;
}

void Ps2Keyboard::reply(std::initializer_list<u8> bytes) {
  send(bytes);
  m_last_sent = *(bytes.end() - 1);
}

void Ps2Keyboard::key_scancode(u8 set2_byte) {
  if (!m_scanning) return;
  u8 code = set2_byte;
  if (m_set == 1) {
    if (set2_byte == 0xF0) {
      m_set1_break = true;
      return;
    }
    code = set2_to_set1(set2_byte);
    if (m_set1_break && set2_byte != 0xE0 && set2_byte != 0xE1) {
      code |= 0x80;
      m_set1_break = false;
    }
  }
  // A full buffer reports an overrun instead of the key (when there is room for that).
  if (room() <= 1) {
    if (room() == 1) send({kOverrun});
    return;
  }
  send({code});
}

void Ps2Keyboard::receive(u8 byte) {
  const u8 pending = m_pending_command;
  m_pending_command = 0;
  // A command byte while an argument is expected starts the new command.
  if (pending && byte < kCmdSetLeds) {
    switch (pending) {
      case kCmdSetLeds:
        m_leds = byte & 7;
        reply({kAck});
        return;
      case kCmdTypematic:
        m_typematic = byte & 0x7F;
        reply({kAck});
        return;
      case kCmdScancodeSet:
        if (byte == 0) {
          reply({kAck, m_set});
        } else if (byte <= 2) {
          m_set = byte;
          reply({kAck});
        } else {
          // Set 3 is not offered: the host falls back to set 2.
          reply({kResend});
        }
        return;
      default:
        break;
    }
  }
  command(byte);
}

void Ps2Keyboard::command(u8 byte) {
  log(LogCat::kKbd, LogLevel::kDebug, "keyboard command {:#04x}", byte);
  switch (byte) {
    case kCmdSetLeds:
    case kCmdTypematic:
    case kCmdScancodeSet:
      m_pending_command = byte;
      reply({kAck});
      break;
    case kCmdEcho:
      reply({kEcho});
      break;
    case kCmdIdentify:
      reply({kAck, 0xAB, 0x83});  // MF2 keyboard
      break;
    case kCmdEnable:
      clear_queue();
      m_scanning = true;
      reply({kAck});
      break;
    case kCmdDisable:
    case kCmdDefaults:
      clear_queue();
      m_typematic = 0x2B;
      m_scanning = byte == kCmdDefaults;
      reply({kAck});
      break;
    case kCmdResend:
      send({m_last_sent});
      break;
    case kCmdReset:
      reset();
      reply({kAck, kBatOk});
      break;
    default:
      if (byte >= 0xF7 && byte <= 0xFD) {
        reply({kAck});  // set 3 key-type commands: accepted, no effect in set 2
      } else {
        reply({kResend});
      }
      break;
  }
}

void Ps2Keyboard::serialize(StateIo& io) {
  serialize_queue(io);
  io(m_pending_command, m_set, m_leds, m_typematic, m_scanning, m_set1_break, m_last_sent);
}

}  // namespace tern

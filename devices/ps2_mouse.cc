#include "devices/ps2_mouse.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "base/log.h"
#include "base/state.h"

namespace tern {

namespace {

constexpr u8 kAck = 0xFA;
constexpr u8 kResend = 0xFE;
constexpr u8 kBatOk = 0xAA;

enum : u8 {
  kCmdScaling1 = 0xE6,
  kCmdScaling2 = 0xE7,
  kCmdResolution = 0xE8,
  kCmdStatus = 0xE9,
  kCmdStream = 0xEA,
  kCmdReadData = 0xEB,
  kCmdResetWrap = 0xEC,
  kCmdWrap = 0xEE,
  kCmdRemote = 0xF0,
  kCmdGetId = 0xF2,
  kCmdSampleRate = 0xF3,
  kCmdEnable = 0xF4,
  kCmdDisable = 0xF5,
  kCmdDefaults = 0xF6,
  kCmdResend = 0xFE,
  kCmdReset = 0xFF,
};

// 2:1 scaling of a stream-mode movement (IBM PS/2 reference: 1->1, 2->1, 3->3, 4->6, 5->9,
// otherwise doubled).
int scale_2to1(int d) {
  static constexpr int kSmall[6] = {0, 1, 1, 3, 6, 9};
  const int mag = std::abs(d);
  const int scaled = mag < 6 ? kSmall[mag] : 2 * mag;
  return d < 0 ? -scaled : scaled;
}

}  // namespace

void Ps2Mouse::set_defaults() {
  m_rate = 100;
  m_resolution = 2;
  m_scaling_2to1 = false;
  m_reporting = false;
  m_dx = m_dy = m_dz = 0;
}

void Ps2Mouse::reset() {
  clear_queue();
  set_defaults();
  m_pending_command = 0;
  m_id = 0;
  m_remote = false;
  m_wrap = false;
  m_buttons = 0;
  std::fill(std::begin(m_rate_history), std::end(m_rate_history), u8{0});
  m_last_sent = 0;
}

void Ps2Mouse::move(int dx, int dy, int dz, u8 buttons) {
  const bool buttons_changed = buttons != m_buttons;
  m_buttons = buttons;
  // A stream-mode mouse with reporting off does not count motion.
  if (!m_reporting && !m_remote) return;
  m_dx += dx;
  m_dy -= dy;  // PS/2 Y grows upwards
  m_dz += dz;
  if (m_remote || m_wrap) return;
  // At least one packet for a button change; more while motion is left and the queue has room.
  bool first = buttons_changed;
  while (first || m_dx || m_dy || (m_id != 0 && m_dz)) {
    const size_t before = room();
    send_packet();
    if (room() == before) break;  // queue full: keep the rest for later
    first = false;
  }
}

void Ps2Mouse::send_packet() {
  int dx = std::clamp(m_dx, -255, 255);
  int dy = std::clamp(m_dy, -255, 255);
  const int dz = std::clamp(m_dz, -8, 7);
  const int sent_dx = dx, sent_dy = dy;
  if (m_scaling_2to1 && !m_remote) {
    dx = std::clamp(scale_2to1(dx), -256, 255);
    dy = std::clamp(scale_2to1(dy), -256, 255);
  }
  const u8 b0 = static_cast<u8>(0x08 | (m_buttons & 7) | (dx < 0 ? 0x10 : 0) | (dy < 0 ? 0x20 : 0));
  bool fit;
  if (m_id == 0) {
    fit = send({b0, static_cast<u8>(dx), static_cast<u8>(dy)});
  } else {
    u8 b3 = static_cast<u8>(dz & 0x0F);
    if (m_id == 4) b3 |= static_cast<u8>(((m_buttons & kButton4) ? 0x10 : 0) | ((m_buttons & kButton5) ? 0x20 : 0));
    fit = send({b0, static_cast<u8>(dx), static_cast<u8>(dy), b3});
  }
  if (!fit) return;
  m_dx -= sent_dx;
  m_dy -= sent_dy;
  if (m_id != 0) m_dz -= dz;
}

void Ps2Mouse::receive(u8 byte) {
  if (m_pending_command) {
    argument(std::exchange(m_pending_command, u8{0}), byte);
    return;
  }
  if (m_wrap && byte != kCmdResetWrap && byte != kCmdReset) {
    send({byte});  // wrap mode echoes everything else
    return;
  }
  command(byte);
}

void Ps2Mouse::argument(u8 command, u8 value) {
  if (command == kCmdResolution) {
    m_resolution = value & 3;
  } else {
    m_rate = value;
    m_rate_history[0] = m_rate_history[1];
    m_rate_history[1] = m_rate_history[2];
    m_rate_history[2] = value;
    // The IntelliMouse knock sequences unlock the wheel (ID 3), then the extra buttons (ID 4).
    if (m_rate_history[0] == 200 && m_rate_history[1] == 100 && m_rate_history[2] == 80 && m_id == 0) m_id = 3;
    if (m_rate_history[0] == 200 && m_rate_history[1] == 200 && m_rate_history[2] == 80 && m_id == 3) m_id = 4;
  }
  send({kAck});
  m_last_sent = kAck;
}

void Ps2Mouse::command(u8 byte) {
  log(LogCat::kKbd, LogLevel::kDebug, "mouse command {:#04x}", byte);
  u8 ack = kAck;
  switch (byte) {
    case kCmdScaling1: m_scaling_2to1 = false; break;
    case kCmdScaling2: m_scaling_2to1 = true; break;
    case kCmdResolution:
    case kCmdSampleRate: m_pending_command = byte; break;
    case kCmdStatus: {
      const u8 status = static_cast<u8>((m_remote ? 0x40 : 0) | (m_reporting ? 0x20 : 0) | (m_scaling_2to1 ? 0x10 : 0) |
                                        ((m_buttons & kLeft) ? 4 : 0) | ((m_buttons & kMiddle) ? 2 : 0) |
                                        ((m_buttons & kRight) ? 1 : 0));
      send({kAck, status, m_resolution, m_rate});
      m_last_sent = m_rate;
      return;
    }
    case kCmdStream: m_remote = false; m_dx = m_dy = m_dz = 0; break;
    case kCmdRemote: m_remote = true; m_dx = m_dy = m_dz = 0; break;
    case kCmdReadData:
      send({kAck});
      send_packet();
      return;
    case kCmdResetWrap: m_wrap = false; break;
    case kCmdWrap: m_wrap = true; break;
    case kCmdGetId:
      send({kAck, m_id});
      m_last_sent = m_id;
      return;
    case kCmdEnable: m_reporting = true; m_dx = m_dy = m_dz = 0; break;
    case kCmdDisable: m_reporting = false; break;
    case kCmdDefaults: set_defaults(); break;
    case kCmdResend: send({m_last_sent}); return;
    case kCmdReset:
      reset();
      send({kAck, kBatOk, 0x00});
      m_last_sent = 0x00;
      return;
    default: ack = kResend; break;
  }
  send({ack});
  m_last_sent = ack;
}

void Ps2Mouse::serialize(StateIo& io) {
  serialize_queue(io);
  io(m_pending_command, m_id, m_rate, m_resolution, m_scaling_2to1, m_reporting, m_remote, m_wrap, m_buttons);
  io(m_dx, m_dy, m_dz, m_rate_history, m_last_sent);
}

}  // namespace tern

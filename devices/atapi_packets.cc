// The packet commands of the ATAPI CD-ROM (SCSI MMC-3, SPC-3): each builds its reply in
// m_reply (or names the sectors to send) and ends with reply(), good() or check_condition().
// Multi-byte fields in packets and replies are big-endian.
#include <algorithm>
#include <array>
#include <cstring>

#include "devices/atapi_cdrom.h"

namespace tern {

namespace {

u16 get_be16(const u8* p) { return static_cast<u16>(p[0] << 8 | p[1]); }
u32 get_be32(const u8* p) { return u32{p[0]} << 24 | u32{p[1]} << 16 | u32{p[2]} << 8 | p[3]; }
void put_be16(u8* p, u32 v) {
  p[0] = static_cast<u8>(v >> 8);
  p[1] = static_cast<u8>(v);
}
void put_be32(u8* p, u32 v) {
  put_be16(p, v >> 16);
  put_be16(p + 2, v);
}

// A CD address: LBA, or minutes/seconds/frames counted from the 2-second pregap (MMC-3 §6.26).
void put_address(u8* p, u32 lba, bool msf) {
  if (!msf) {
    put_be32(p, lba);
    return;
  }
  const u32 frames = lba + 150;
  p[0] = 0;
  p[1] = static_cast<u8>(frames / (75 * 60));
  p[2] = static_cast<u8>(frames / 75 % 60);
  p[3] = static_cast<u8>(frames % 75);
}

void put_padded(u8* p, size_t size, const char* text) {
  std::memset(p, ' ', size);
  std::memcpy(p, text, std::min(size, std::strlen(text)));
}

// ADR 1 (Q sub-channel has position), control 4 (data track).
constexpr u8 kAdrControlData = 0x14;
constexpr u8 kLeadOutTrack = 0xAA;

// MMC profiles.
constexpr u16 kProfileCdRom = 0x0008;
constexpr u16 kProfileDvdRom = 0x0010;

}  // namespace

const AtapiCdrom::PacketCommand* AtapiCdrom::find_packet_command(u8 opcode) {
  // opcode, handler, needs a disc, reports a pending unit attention (SPC-3 §5.9.7: INQUIRY,
  // REQUEST SENSE; MMC-3: GET CONFIGURATION and GET EVENT STATUS NOTIFICATION do not).
  static constexpr std::array<PacketCommand, 19> kCommands = {{
      {0x00, &AtapiCdrom::cmd_test_unit_ready, true, true},
      {0x03, &AtapiCdrom::cmd_request_sense, false, false},
      {0x12, &AtapiCdrom::cmd_inquiry, false, false},
      {0x1A, &AtapiCdrom::cmd_mode_sense, false, true},        // MODE SENSE(6)
      {0x1B, &AtapiCdrom::cmd_start_stop_unit, false, true},
      {0x1E, &AtapiCdrom::cmd_prevent_allow, false, true},
      {0x25, &AtapiCdrom::cmd_read_capacity, true, true},
      {0x28, &AtapiCdrom::cmd_read, true, true},               // READ(10)
      {0x2B, &AtapiCdrom::cmd_seek, true, true},               // SEEK(10)
      {0x43, &AtapiCdrom::cmd_read_toc, true, true},
      {0x46, &AtapiCdrom::cmd_get_configuration, false, false},
      {0x4A, &AtapiCdrom::cmd_get_event_status, false, false},
      {0x51, &AtapiCdrom::cmd_read_disc_information, true, true},
      {0x5A, &AtapiCdrom::cmd_mode_sense, false, true},        // MODE SENSE(10)
      {0xA8, &AtapiCdrom::cmd_read, true, true},               // READ(12)
      {0xBB, &AtapiCdrom::cmd_set_cd_speed, false, true},
      {0xBD, &AtapiCdrom::cmd_mechanism_status, false, true},
      {0xBE, &AtapiCdrom::cmd_read_cd, true, true},
      {0x35, &AtapiCdrom::cmd_test_unit_ready, false, true},   // SYNCHRONIZE CACHE: nothing cached
  }};
  for (const PacketCommand& c : kCommands) {
    if (c.opcode == opcode) return &c;
  }
  return nullptr;
}

void AtapiCdrom::cmd_test_unit_ready() { good(); }

void AtapiCdrom::cmd_request_sense() {
  // A pending unit attention is reported (and cleared) here when nothing else is.
  if (m_sense_key == SenseKey::kNoSense && m_unit_attention) {
    m_sense_key = SenseKey::kUnitAttention;
    m_asc = m_unit_attention;
    m_ascq = 0;
    m_unit_attention = 0;
  }
  u8* r = m_reply.data();
  std::memset(r, 0, 18);
  r[0] = 0x70;  // current error, fixed format
  r[2] = static_cast<u8>(m_sense_key);
  r[7] = 10;    // additional sense length
  r[12] = m_asc;
  r[13] = m_ascq;
  m_sense_key = SenseKey::kNoSense;
  m_asc = m_ascq = 0;
  reply(18, m_cdb[4]);
}

void AtapiCdrom::cmd_inquiry() {
  if (m_cdb[1] & 0x01) {  // EVPD: no vital product data pages
    invalid_field();
    return;
  }
  u8* r = m_reply.data();
  std::memset(r, 0, 36);
  r[0] = 0x05;  // CD/DVD device
  r[1] = 0x80;  // removable
  r[2] = 0x00;
  r[3] = 0x21;  // ATAPI, response data format 1
  r[4] = 36 - 5;
  put_padded(r + 8, 8, "TERN");
  put_padded(r + 16, 16, "TERN DVD-ROM");
  put_padded(r + 32, 4, "0.1");
  reply(36, get_be16(m_cdb.data() + 3));
}

// The mode pages for page code `page` (3Fh: all) after no header; returns their length or 0
// when the page is not supported. `changeable`: the mask of changeable bits (none).
size_t AtapiCdrom::mode_pages(u8 page, bool changeable, u8* out) const {
  size_t n = 0;
  auto add = [&](u8 code, std::initializer_list<u8> params) {
    if (page != code && page != 0x3F) return;
    out[n] = code;
    out[n + 1] = static_cast<u8>(params.size());
    size_t i = n + 2;
    for (u8 b : params) out[i++] = changeable ? 0 : b;
    n = i;
  };
  // 01h read error recovery: read retry count 5.
  add(0x01, {0x00, 0x05, 0, 0, 0, 0, 0x05, 0, 0, 0});
  // 0Dh CD device parameters: 60 S units per M, 75 F units per S.
  add(0x0D, {0, 0, 0, 60, 0, 75});
  // 2Ah capabilities and mechanical status (MMC-3 §7.3.3): reads CD-R/RW, method 2, DVD-ROM;
  // mode 2 form 1/2 and multi-session; tray loader that ejects and locks; 24x CD (4234 kB/s),
  // 512 KiB buffer.
  const u8 lock = static_cast<u8>(0x29 | (m_locked ? 0x02 : 0x00));
  add(0x2A, {0x0F, 0x00, 0x70, 0x00, lock, 0x00, 0x10, 0x8A, 0x00, 0x00, 0x02, 0x00, 0x10, 0x8A, 0, 0, 0, 0, 0, 0});
  return n;
}

void AtapiCdrom::cmd_mode_sense() {
  const bool ten = m_cdb[0] == 0x5A;
  const u8 page = m_cdb[2] & 0x3F;
  const u8 control = m_cdb[2] >> 6;
  if (control == 3) {
    check_condition(SenseKey::kIllegalRequest, 0x39, 0x00);  // SAVING PARAMETERS NOT SUPPORTED
    return;
  }
  const size_t header = ten ? 8 : 4;
  u8* r = m_reply.data();
  std::memset(r, 0, header);
  const size_t pages = mode_pages(page, control == 1, r + header);
  if (pages == 0) {
    invalid_field();
    return;
  }
  const size_t total = header + pages;
  // Medium type: 120 mm CD-ROM data, or door closed with no disc.
  const u8 medium = has_media() ? 0x01 : 0x70;
  if (ten) {
    put_be16(r, static_cast<u32>(total - 2));
    r[2] = medium;
  } else {
    r[0] = static_cast<u8>(total - 1);
    r[1] = medium;
  }
  reply(total, ten ? get_be16(m_cdb.data() + 7) : m_cdb[4]);
}

void AtapiCdrom::cmd_start_stop_unit() {
  const bool load_eject = m_cdb[4] & 0x02;
  const bool start = m_cdb[4] & 0x01;
  if (load_eject && !start) {
    if (m_locked) {
      check_condition(SenseKey::kIllegalRequest, 0x53, 0x02);  // MEDIUM REMOVAL PREVENTED
      return;
    }
    if (!m_tray_open && m_media) m_media_event = 3;  // media removal
    m_tray_open = true;
  } else if (load_eject && start && m_tray_open) {
    m_tray_open = false;
    if (m_media) media_changed();
  }
  good();
}

void AtapiCdrom::cmd_prevent_allow() {
  m_locked = m_cdb[4] & 0x01;
  good();
}

void AtapiCdrom::cmd_read_capacity() {
  u8* r = m_reply.data();
  put_be32(r, static_cast<u32>(media_sectors() - 1));
  put_be32(r + 4, kSectorSize);
  reply(8, 8);
}

void AtapiCdrom::cmd_read() {
  const u32 lba = get_be32(m_cdb.data() + 2);
  const u32 count = m_cdb[0] == 0x28 ? get_be16(m_cdb.data() + 7) : get_be32(m_cdb.data() + 6);
  if (!m_media->in_range(lba, count, kSectorSize)) {
    check_condition(SenseKey::kIllegalRequest, 0x21, 0x00);  // LOGICAL BLOCK ADDRESS OUT OF RANGE
    return;
  }
  reply_sectors(lba, count);
}

void AtapiCdrom::cmd_read_cd() {
  // Only the user data of data sectors (flags 10h) or nothing (00h); raw sectors, headers and
  // sub-channel data are not made up. Sector type 1 (CD-DA) never matches a data disc.
  const u8 sector_type = (m_cdb[1] >> 2) & 0x07;
  const u8 flags = m_cdb[9] & 0xF8;
  const u32 lba = get_be32(m_cdb.data() + 2);
  const u32 count = u32{m_cdb[6]} << 16 | get_be16(m_cdb.data() + 7);
  if (sector_type == 1) {
    check_condition(SenseKey::kIllegalRequest, 0x64, 0x00);  // ILLEGAL MODE FOR THIS TRACK
    return;
  }
  if ((flags != 0x10 && flags != 0x00) || m_cdb[10] != 0) {
    invalid_field();
    return;
  }
  if (!m_media->in_range(lba, count, kSectorSize)) {
    check_condition(SenseKey::kIllegalRequest, 0x21, 0x00);
    return;
  }
  reply_sectors(lba, flags == 0x10 ? count : 0);
}

void AtapiCdrom::cmd_seek() {
  if (get_be32(m_cdb.data() + 2) >= media_sectors()) {
    check_condition(SenseKey::kIllegalRequest, 0x21, 0x00);
    return;
  }
  good();
}

// READ TOC format 0: one data track starting at 0, then the lead-out (MMC-3 §6.26.2.2).
size_t AtapiCdrom::toc_formatted(bool msf, u8 track, u8* out) const {
  size_t n = 4;
  auto entry = [&](u8 number, u32 lba) {
    out[n] = 0;
    out[n + 1] = kAdrControlData;
    out[n + 2] = number;
    out[n + 3] = 0;
    put_address(out + n + 4, lba, msf);
    n += 8;
  };
  if (track <= 1) entry(1, 0);
  entry(kLeadOutTrack, static_cast<u32>(media_sectors()));
  put_be16(out, static_cast<u32>(n - 2));
  out[2] = 1;  // first track
  out[3] = 1;  // last track
  return n;
}

// READ TOC format 2: the raw Q sub-channel TOC of a one-session, one-track disc, with points
// A0h (first track), A1h (last track), A2h (lead-out) and track 1 (MMC-3 §6.26.2.4).
size_t AtapiCdrom::toc_raw(u8* out) const {
  size_t n = 4;
  auto entry = [&](u8 point, u8 pmin, u8 psec, u8 pframe) {
    const u8 e[11] = {1, kAdrControlData, 0, point, 0, 0, 0, 0, pmin, psec, pframe};
    std::memcpy(out + n, e, sizeof e);
    n += sizeof e;
  };
  u8 lead_out[4];
  put_address(lead_out, static_cast<u32>(media_sectors()), true);
  entry(0xA0, 1, 0x00, 0);  // first track 1, disc type CD-ROM
  entry(0xA1, 1, 0, 0);     // last track 1
  entry(0xA2, lead_out[1], lead_out[2], lead_out[3]);
  entry(1, 0, 2, 0);        // track 1 at 00:02:00
  put_be16(out, static_cast<u32>(n - 2));
  out[2] = 1;  // first session
  out[3] = 1;  // last session
  return n;
}

void AtapiCdrom::cmd_read_toc() {
  const bool msf = m_cdb[1] & 0x02;
  u8 format = m_cdb[2] & 0x0F;
  // Older hosts put the format in bits 7-6 of the control byte (SFF-8020i).
  if (format == 0) format = m_cdb[9] >> 6;
  const u8 track = m_cdb[6];
  const u16 allocation = get_be16(m_cdb.data() + 7);
  u8* r = m_reply.data();
  switch (format) {
    case 0:
      if (track > 1 && track != kLeadOutTrack) {
        invalid_field();
        return;
      }
      reply(toc_formatted(msf, track, r), allocation);
      return;
    case 1:  // multi-session information: session 1 starts with track 1 at 0
      std::memset(r, 0, 12);
      put_be16(r, 10);
      r[2] = 1;
      r[3] = 1;
      r[5] = kAdrControlData;
      r[6] = 1;
      put_address(r + 8, 0, msf);
      reply(12, allocation);
      return;
    case 2: reply(toc_raw(r), allocation); return;
    default: invalid_field(); return;
  }
}

// GET CONFIGURATION feature descriptors (MMC-3 §5.3) for request type `rt` from `start`.
size_t AtapiCdrom::configuration_features(u8 rt, u16 start, u8* out) const {
  const bool dvd = has_media() && is_dvd();
  const bool cd = has_media() && !is_dvd();
  size_t n = 0;
  auto feature = [&](u16 code, bool current, std::initializer_list<u8> data) {
    const bool wanted = rt == 2 ? code == start : code >= start && (rt == 0 || current);
    if (!wanted) return;
    put_be16(out + n, code);
    out[n + 2] = static_cast<u8>((code <= 0x0003 ? 0x02 : 0x00) | (current ? 0x01 : 0x00));  // persistent, current
    out[n + 3] = static_cast<u8>(data.size());
    size_t i = n + 4;
    for (u8 b : data) out[i++] = b;
    n = i;
  };
  feature(0x0000, true, {0x00, 0x10, dvd ? u8{1} : u8{0}, 0x00, 0x00, 0x08, cd ? u8{1} : u8{0}, 0x00});  // profiles
  feature(0x0001, true, {0x00, 0x00, 0x00, 0x02});                       // core: ATAPI interface
  feature(0x0003, true, {0x29, 0x00, 0x00, 0x00});                       // removable medium: tray, eject, lock
  feature(0x0010, has_media(), {0x00, 0x00, 0x08, 0x00, 0x00, static_cast<u8>(dvd ? 16 : 1), 0x00, 0x00});  // random readable
  feature(0x001E, cd, {0x00, 0x00, 0x00, 0x00});                         // CD read
  feature(0x001F, dvd, {});                                              // DVD read
  return n;
}

void AtapiCdrom::cmd_get_configuration() {
  const u8 rt = m_cdb[1] & 0x03;
  if (rt == 3) {
    invalid_field();
    return;
  }
  u8* r = m_reply.data();
  std::memset(r, 0, 8);
  const size_t n = 8 + configuration_features(rt, get_be16(m_cdb.data() + 2), r + 8);
  put_be32(r, static_cast<u32>(n - 4));
  put_be16(r + 6, !has_media() ? 0 : is_dvd() ? kProfileDvdRom : kProfileCdRom);
  reply(n, get_be16(m_cdb.data() + 7));
}

void AtapiCdrom::cmd_get_event_status() {
  if (!(m_cdb[1] & 0x01)) {  // only polled operation
    invalid_field();
    return;
  }
  const bool media_class = m_cdb[4] & 0x10;
  u8* r = m_reply.data();
  r[3] = 0x10;  // supported event classes: media
  if (!media_class) {
    put_be16(r, 2);
    r[2] = 0x80;  // no event available
    reply(4, get_be16(m_cdb.data() + 7));
    return;
  }
  put_be16(r, 6);
  r[2] = 0x04;  // media class
  r[4] = m_media_event;
  r[5] = static_cast<u8>((has_media() ? 0x02 : 0x00) | (m_tray_open ? 0x01 : 0x00));
  r[6] = 0;
  r[7] = 0;
  m_media_event = 0;
  reply(8, get_be16(m_cdb.data() + 7));
}

void AtapiCdrom::cmd_read_disc_information() {
  if ((m_cdb[1] & 0x07) != 0) {  // only standard disc information
    invalid_field();
    return;
  }
  u8* r = m_reply.data();
  std::memset(r, 0, 34);
  put_be16(r, 32);
  r[2] = 0x0E;  // not erasable, last session complete, disc complete
  r[3] = 1;     // first track
  r[4] = 1;     // sessions
  r[5] = 1;     // first track in last session
  r[6] = 1;     // last track in last session
  put_be32(r + 16, 0xFFFFFFFF);  // no next session lead-in
  put_be32(r + 20, 0xFFFFFFFF);  // no last possible lead-out
  reply(34, get_be16(m_cdb.data() + 7));
}

void AtapiCdrom::cmd_mechanism_status() {
  u8* r = m_reply.data();
  std::memset(r, 0, 8);
  r[1] = m_tray_open ? 0x10 : 0x00;  // door open
  reply(8, get_be16(m_cdb.data() + 8));
}

void AtapiCdrom::cmd_set_cd_speed() { good(); }

}  // namespace tern

#include "bios/cmos.h"

#include <algorithm>

namespace tern {

namespace {

// CMOS RAM indices (IBM PC/AT convention; 0x34/0x35, 0x38, 0x3D, 0x5B-0x5F are the
// Bochs/QEMU extensions SeaBIOS reads).
constexpr u8 kFloppyTypes = 0x10;
constexpr u8 kEquipment = 0x14;
constexpr u8 kBaseMemory = 0x15;        // 0x15/0x16: KiB below 1 MiB
constexpr u8 kExtendedMemory = 0x17;    // 0x17/0x18: KiB above 1 MiB, at most 0xFFFF
constexpr u8 kExtendedMemory2 = 0x30;   // 0x30/0x31: the same, as POST found it
constexpr u8 kMemoryAbove16M = 0x34;    // 0x34/0x35: 64 KiB units above 16 MiB
constexpr u8 kBootFlag1 = 0x38;         // bits 7-4: third boot device; bit 0: skip floppy check
constexpr u8 kBootFlag2 = 0x3D;         // bits 3-0: first, 7-4: second boot device
constexpr u8 kMemoryAbove4G = 0x5B;     // 0x5B-0x5D: 64 KiB units above 4 GiB
constexpr u8 kCpuCount = 0x5F;          // CPUs minus one

// Equipment byte bits (BIOS INT 11h layout).
constexpr u8 kEquipFloppy = 0x01;
constexpr u8 kEquipFpu = 0x02;
constexpr u8 kEquipPs2Mouse = 0x04;
constexpr u8 kEquipSecondFloppy = 0x40;

void set16(Rtc& rtc, u8 index, u64 value) {
  rtc.set_cmos(index, static_cast<u8>(value));
  rtc.set_cmos(static_cast<u8>(index + 1), static_cast<u8>(value >> 8));
}

u8 boot_device_code(char c) {
  switch (c) {
    case 'a': return 1;
    case 'c': return 2;
    case 'd': return 3;
    case 'n': return 4;
    default: return 0;
  }
}

}  // namespace

void fill_cmos(Rtc& rtc, const CmosSetup& s) {
  set16(rtc, kBaseMemory, 640);
  const u64 extended_kib = s.ram_below_4g > (1u << 20) ? (s.ram_below_4g >> 10) - 1024 : 0;
  set16(rtc, kExtendedMemory, std::min<u64>(extended_kib, 0xFFFF));
  set16(rtc, kExtendedMemory2, std::min<u64>(extended_kib, 0xFFFF));
  const u64 above_16m = s.ram_below_4g > (16u << 20) ? (s.ram_below_4g - (16u << 20)) >> 16 : 0;
  set16(rtc, kMemoryAbove16M, std::min<u64>(above_16m, 0xFFFF));
  const u64 above_4g = s.ram_above_4g >> 16;
  rtc.set_cmos(kMemoryAbove4G, static_cast<u8>(above_4g));
  rtc.set_cmos(kMemoryAbove4G + 1, static_cast<u8>(above_4g >> 8));
  rtc.set_cmos(kMemoryAbove4G + 2, static_cast<u8>(above_4g >> 16));
  rtc.set_cmos(kCpuCount, static_cast<u8>(std::max(1u, s.cpus) - 1));

  rtc.set_cmos(kFloppyTypes, static_cast<u8>(s.floppy_types[0] << 4 | (s.floppy_types[1] & 0x0F)));
  const int floppies = (s.floppy_types[0] ? 1 : 0) + (s.floppy_types[1] ? 1 : 0);
  u8 equipment = kEquipFpu | kEquipPs2Mouse;
  if (floppies >= 1) equipment |= kEquipFloppy;
  if (floppies == 2) equipment |= kEquipSecondFloppy;
  rtc.set_cmos(kEquipment, equipment);

  u8 order[3] = {};
  for (size_t i = 0; i < 3 && i < s.boot_order.size(); ++i) order[i] = boot_device_code(s.boot_order[i]);
  rtc.set_cmos(kBootFlag2, static_cast<u8>(order[1] << 4 | order[0]));
  rtc.set_cmos(kBootFlag1, static_cast<u8>(order[2] << 4));  // bit 0 clear: check floppy boot signatures
}

}  // namespace tern

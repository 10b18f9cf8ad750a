// The floppy formats tern knows, identified by image size: a raw floppy image holds its
// cylinders x heads x sectors of 512 bytes in (cylinder, head, sector) order, so its size alone
// names the format. The data rate is the one the media is recorded at: a controller programmed
// for another rate finds no address marks (how BIOSes sense the media type).
#pragma once

#include "base/types.h"

namespace tern {

// Data rates as the 82077AA's CCR/DSR bits 1-0 select them (MFM): 0 = 500 kbps,
// 1 = 300 kbps, 2 = 250 kbps, 3 = 1 Mbps.
enum class FloppyRate : u8 { k500k = 0, k300k = 1, k250k = 2, k1M = 3 };

struct FloppyGeometry {
  u64 bytes;
  u8 cylinders;
  u8 heads;
  u8 sectors_per_track;
  FloppyRate rate;
  // CMOS register 0x10 drive type of the drive that holds this media (1 = 360K, 2 = 1.2M,
  // 3 = 720K, 4 = 1.44M, 5 = 2.88M).
  u8 cmos_drive_type;
  const char* name;
};

// The geometry of a floppy image of `bytes` bytes, or null when no known format has that size.
const FloppyGeometry* floppy_geometry_for_size(u64 bytes);

// The format an image of `bytes` bytes is read as: its own format when its size is one, else a
// short image (whole sectors, as tools like GRUB's grub-mkrescue write them) is the start of a
// 1.44M diskette, or of a 2.88M one when larger; null when neither holds it or it is not whole
// sectors.
const FloppyGeometry* floppy_geometry_for_image(u64 bytes);

}  // namespace tern

#include "devices/floppy_geometry.h"

#include <array>

namespace tern {

namespace {

// 5.25" DD media is read at 300 kbps in a 1.2M (HD) drive, which is the drive tern gives
// them; 3.5" DD at 250 kbps.
constexpr std::array<FloppyGeometry, 10> kFormats = {{
    {160 * 1024, 40, 1, 8, FloppyRate::k300k, 2, "160K"},
    {180 * 1024, 40, 1, 9, FloppyRate::k300k, 2, "180K"},
    {320 * 1024, 40, 2, 8, FloppyRate::k300k, 2, "320K"},
    {360 * 1024, 40, 2, 9, FloppyRate::k300k, 2, "360K"},
    {720 * 1024, 80, 2, 9, FloppyRate::k250k, 3, "720K"},
    {1200 * 1024, 80, 2, 15, FloppyRate::k500k, 2, "1.2M"},
    {1440 * 1024, 80, 2, 18, FloppyRate::k500k, 4, "1.44M"},
    {1680 * 1024, 80, 2, 21, FloppyRate::k500k, 4, "1.68M (DMF)"},
    {1722 * 1024, 82, 2, 21, FloppyRate::k500k, 4, "1.72M"},
    {2880 * 1024, 80, 2, 36, FloppyRate::k1M, 5, "2.88M"},
}};

}  // namespace

const FloppyGeometry* floppy_geometry_for_size(u64 bytes) {
  for (const FloppyGeometry& g : kFormats) {
    if (g.bytes == bytes) return &g;
  }
  return nullptr;
}

const FloppyGeometry* floppy_geometry_for_image(u64 bytes) {
  if (const FloppyGeometry* exact = floppy_geometry_for_size(bytes)) return exact;
  if (bytes == 0 || bytes % 512 != 0) return nullptr;
  for (u64 size : {u64{1440 * 1024}, u64{2880 * 1024}}) {
    if (bytes < size) return floppy_geometry_for_size(size);
  }
  return nullptr;
}

}  // namespace tern

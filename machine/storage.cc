#include "machine/storage.h"

#include "base/state.h"
#include "devices/ata_disk.h"
#include "devices/atapi_cdrom.h"

namespace tern {

namespace {

// Device paths as SeaBIOS builds them (boot.c): the IDE function at 01.1, channel, position;
// the floppy controller behind the ISA bridge at 01.0.
constexpr const char* kBootPathHda = "/pci@i0cf8/ide@1,1/drive@0/disk@0";
constexpr const char* kBootPathHdb = "/pci@i0cf8/ide@1,1/drive@0/disk@1";
constexpr const char* kBootPathCdrom = "/pci@i0cf8/ide@1,1/drive@1/disk@0";
constexpr const char* kBootPathFloppy = "/pci@i0cf8/isa@1/fdc@03f0/floppy@0";

}  // namespace

StorageImages open_storage_images(const MachineConfig& config) {
  StorageImages images;
  auto open = [&](const std::string& path, MediaKind kind, const char* option) -> std::unique_ptr<DiskImage> {
    if (path.empty()) return nullptr;
    return open_disk_image(path, kind, config.snapshot, option);
  };
  images.hda = open(config.hda, MediaKind::kHardDisk, "--hda");
  images.hdb = open(config.hdb, MediaKind::kHardDisk, "--hdb");
  images.cdrom = open(config.cdrom, MediaKind::kCdrom, "--cdrom");
  images.fda = open(config.fda, MediaKind::kFloppy, "--fda");
  return images;
}

Storage::Storage(IoSpace& io, PhysMemory& mem, IrqLine irq6, IrqLine irq14, IrqLine irq15, StorageImages images) {
  m_dma = std::make_unique<Dma8237>(io, mem);
  m_fdc = std::make_unique<Fdc82077>(io, irq6, m_dma->channel(2));
  if (images.fda) m_fdc->attach_drive(0, std::move(images.fda));
  m_ide = std::make_unique<PiixIde>(io, mem, irq14, irq15);
  if (images.hda) m_ide->channel(0).attach(0, std::make_unique<AtaDisk>(std::move(images.hda), "TERN-HD0"));
  if (images.hdb) m_ide->channel(0).attach(1, std::make_unique<AtaDisk>(std::move(images.hdb), "TERN-HD1"));
  m_ide->channel(1).attach(0, std::make_unique<AtapiCdrom>(std::move(images.cdrom), "TERN-CD0"));
}

u8 Storage::floppy_cmos_type(unsigned drive) const {
  if (!m_fdc->drive_present(drive)) return 0;
  const FloppyGeometry* g = m_fdc->media_geometry(drive);
  return g ? g->cmos_drive_type : 4;  // an empty drive is a 1.44M drive
}

void Storage::reset() {
  m_dma->reset();
  m_fdc->reset();
}

void Storage::serialize(StateIo& io) {
  m_dma->serialize(io);
  m_fdc->serialize(io);
  m_ide->serialize(io);
}

std::vector<std::string> storage_boot_paths(const MachineConfig& config) {
  std::vector<std::string> out;
  auto line = [&out](const char* path) { out.emplace_back(path); };
  for (const char c : config.boot_order) {
    switch (c) {
      case 'a':
        if (!config.fda.empty()) line(kBootPathFloppy);
        break;
      case 'c':
        if (!config.hda.empty()) line(kBootPathHda);
        if (!config.hdb.empty()) line(kBootPathHdb);
        break;
      case 'd': line(kBootPathCdrom); break;
      default: break;
    }
  }
  return out;
}

}  // namespace tern

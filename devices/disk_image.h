// Disk image backends: the one block interface every storage device (ATA disk, ATAPI CD-ROM,
// floppy) reads and writes through, and the functions that open the user's images.
//
// An image is a byte array addressed by offset; devices think in their own sector size and use
// the sector helpers. A guest access beyond the end is refused (false) so the device can report
// it as a device error; a host I/O failure is refused the same way and logged.
//
// Opening (`open_disk_image`) checks the image before anything runs: a directory, an unreadable
// file, an empty image, or one whose size does not fit the media (a floppy size that matches no
// format, a CD image that is not whole 2048-byte sectors, a disk image that is not whole
// 512-byte sectors) is a one-line Error. Writable images are locked with flock(LOCK_EX) so that
// two runs never write one image; read-only media (a CD) and --snapshot images take a shared
// lock, so several readers may share an image but never with a writer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/types.h"

namespace tern {

class StateIo;

class DiskImage {
 public:
  virtual ~DiskImage() = default;

  u64 size() const { return m_size; }
  // True when guest writes must be refused (CD-ROM media, write-protected floppies).
  bool read_only() const { return m_read_only; }

  // Copies [offset, offset + count) out of or into the image. False (nothing or part done)
  // when the range is outside the image, the image is read-only, or the host I/O failed.
  bool read(u64 offset, void* dst, size_t count);
  bool write(u64 offset, const void* src, size_t count);
  // Makes completed writes durable (the guest's FLUSH CACHE). False on a host I/O error.
  virtual bool flush() = 0;

  // Whole sectors of `sector_size` bytes.
  u64 sector_count(u32 sector_size) const { return m_size / sector_size; }
  bool read_sectors(u64 lba, u64 count, u32 sector_size, void* dst) {
    return in_range(lba, count, sector_size) && read(lba * sector_size, dst, count * sector_size);
  }
  bool write_sectors(u64 lba, u64 count, u32 sector_size, const void* src) {
    return in_range(lba, count, sector_size) && write(lba * sector_size, src, count * sector_size);
  }
  bool in_range(u64 lba, u64 count, u32 sector_size) const {
    const u64 sectors = sector_count(sector_size);
    return lba <= sectors && count <= sectors - lba;
  }

  // Saves or restores what a save state must carry: the size (a state is refused against an
  // image of another size) and, for a --snapshot overlay, the guest's writes.
  virtual void serialize(StateIo& io);

 protected:
  DiskImage(u64 size, bool read_only) : m_size(size), m_read_only(read_only) {}
  virtual bool do_read(u64 offset, void* dst, size_t count) = 0;
  virtual bool do_write(u64 offset, const void* src, size_t count) = 0;

 private:
  u64 m_size;
  bool m_read_only;
};

enum class MediaKind : u8 { kHardDisk, kCdrom, kFloppy };

// Opens the user's image `path` for a drive of kind `kind`; `option` names it in messages
// ("--hda"). With `snapshot`, guest writes go to an in-memory overlay and the file is never
// written. Throws Error (exit 125) with a one-line reason when the image cannot be used.
std::unique_ptr<DiskImage> open_disk_image(const std::string& path, MediaKind kind, bool snapshot,
                                           const std::string& option);

// An image held in memory (tests, generated media).
std::unique_ptr<DiskImage> make_memory_image(std::vector<u8> data, bool read_only = false);

// An overlay that keeps every write in memory and reads unwritten parts from `base`, which is
// never written: what --snapshot puts in front of an image.
std::unique_ptr<DiskImage> make_snapshot_overlay(std::unique_ptr<DiskImage> base);

}  // namespace tern

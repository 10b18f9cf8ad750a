#include "devices/disk_image.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/error.h"
#include "base/log.h"
#include "base/state.h"
#include "devices/floppy_geometry.h"

namespace tern {

namespace {

constexpr u32 kDiskSectorSize = 512;
constexpr u32 kCdSectorSize = 2048;

// A raw image file: the guest's sectors at their offsets, read and written with pread/pwrite.
// The media may be larger than the file (a short floppy image): past the file's end it reads
// as zeros, and writes there extend the file.
class RawFileImage final : public DiskImage {
 public:
  RawFileImage(int fd, u64 size, u64 file_size, bool read_only, std::string path)
      : DiskImage(size, read_only), m_fd(fd), m_file_size(file_size), m_path(std::move(path)) {}
  ~RawFileImage() override { ::close(m_fd); }  // closing also drops the flock

  bool flush() override {
    if (read_only()) return true;
    if (::fsync(m_fd) == 0) return true;
    log_warn(LogCat::kIde, "flush of '{}' failed: {}", m_path, std::strerror(errno));
    return false;
  }

 protected:
  bool do_read(u64 offset, void* dst, size_t count) override {
    u8* p = static_cast<u8*>(dst);
    if (offset + count > m_file_size) {
      const size_t in_file = offset >= m_file_size ? 0 : static_cast<size_t>(m_file_size - offset);
      std::memset(p + in_file, 0, count - in_file);
      count = in_file;
    }
    while (count > 0) {
      const ssize_t n = ::pread(m_fd, p, count, static_cast<off_t>(offset));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return io_failed("read", offset);
      p += n;
      offset += static_cast<u64>(n);
      count -= static_cast<size_t>(n);
    }
    return true;
  }

  bool do_write(u64 offset, const void* src, size_t count) override {
    const u8* p = static_cast<const u8*>(src);
    while (count > 0) {
      const ssize_t n = ::pwrite(m_fd, p, count, static_cast<off_t>(offset));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return io_failed("write", offset);
      p += n;
      offset += static_cast<u64>(n);
      count -= static_cast<size_t>(n);
    }
    m_file_size = std::max(m_file_size, offset);
    return true;
  }

 private:
  bool io_failed(const char* what, u64 offset) const {
    log_warn(LogCat::kIde, "{} of '{}' at offset {} failed: {}", what, m_path, offset,
             errno ? std::strerror(errno) : "end of file");
    return false;
  }

  int m_fd;
  u64 m_file_size;
  std::string m_path;
};

class MemoryImage final : public DiskImage {
 public:
  MemoryImage(std::vector<u8> data, bool read_only) : DiskImage(data.size(), read_only), m_data(std::move(data)) {}
  bool flush() override { return true; }

 protected:
  bool do_read(u64 offset, void* dst, size_t count) override {
    std::memcpy(dst, m_data.data() + offset, count);
    return true;
  }
  bool do_write(u64 offset, const void* src, size_t count) override {
    std::memcpy(m_data.data() + offset, src, count);
    return true;
  }

 private:
  std::vector<u8> m_data;
};

const char* media_name(MediaKind kind) {
  switch (kind) {
    case MediaKind::kHardDisk: return "disk";
    case MediaKind::kCdrom: return "CD-ROM";
    case MediaKind::kFloppy: return "floppy";
  }
  return "disk";
}

// Refuses images in formats tern does not read, naming the format, so the user knows to convert
// rather than seeing a guest fail to boot from garbage.
void check_not_container(int fd, const std::string& path, const std::string& option) {
  u8 head[4] = {};
  if (::pread(fd, head, sizeof head, 0) != static_cast<ssize_t>(sizeof head)) return;
  if (std::memcmp(head, "QFI\xfb", 4) == 0)
    fail("{} '{}' is a qcow2 image; tern reads raw images (qemu-img convert -O raw)", option, path);
  if (std::memcmp(head, "KDMV", 4) == 0)
    fail("{} '{}' is a VMDK image; tern reads raw images (qemu-img convert -O raw)", option, path);
}

void check_size(u64 size, MediaKind kind, const std::string& path, const std::string& option) {
  if (size == 0) fail("{} '{}' is empty", option, path);
  switch (kind) {
    case MediaKind::kHardDisk:
      if (size % kDiskSectorSize != 0)
        fail("{} '{}' is truncated: {} bytes is not a whole number of 512-byte sectors", option, path, size);
      break;
    case MediaKind::kCdrom:
      if (size % kCdSectorSize != 0)
        fail("{} '{}' is not a CD image: {} bytes is not a whole number of 2048-byte sectors", option, path, size);
      break;
    case MediaKind::kFloppy:
      if (!floppy_geometry_for_image(size))
        fail("{} '{}' is not a floppy image: {} bytes is neither a floppy format (360K, 720K, 1.2M, 1.44M, 2.88M...) "
             "nor whole 512-byte sectors up to 2.88M",
             option, path, size);
      break;
  }
}

void lock_image(int fd, bool exclusive, const std::string& path, const std::string& option) {
  if (::flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0) return;
  const int err = errno;
  ::close(fd);
  if (err == EWOULDBLOCK)
    fail("{} '{}' is in use (locked by another tern or another drive); use --snapshot to share it read-only", option, path);
  fail("{} '{}': cannot lock: {}", option, path, std::strerror(err));
}

}  // namespace

bool DiskImage::read(u64 offset, void* dst, size_t count) {
  if (offset > m_size || count > m_size - offset) return false;
  return count == 0 || do_read(offset, dst, count);
}

bool DiskImage::write(u64 offset, const void* src, size_t count) {
  if (m_read_only || offset > m_size || count > m_size - offset) return false;
  return count == 0 || do_write(offset, src, count);
}

void DiskImage::serialize(StateIo& io) {
  u64 size = m_size;
  io(size);
  if (io.loading() && size != m_size)
    throw Error(fmt::format("state file: a disk image had {} bytes when saved, {} now", size, m_size));
}

std::unique_ptr<DiskImage> open_disk_image(const std::string& path, MediaKind kind, bool snapshot,
                                           const std::string& option) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) fail("{} '{}': {}", option, path, std::strerror(errno));
  if (S_ISDIR(st.st_mode)) fail("{} '{}' is a directory, not a {} image", option, path, media_name(kind));
  if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) fail("{} '{}' is not a regular file", option, path);

  // A CD is never written; a --snapshot image only read. Both share the image with other readers.
  const bool guest_read_only = kind == MediaKind::kCdrom;
  bool open_read_only = guest_read_only || snapshot;
  int fd = ::open(path.c_str(), (open_read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);
  bool write_protected = false;
  if (fd < 0 && kind == MediaKind::kFloppy && (errno == EACCES || errno == EROFS || errno == EPERM)) {
    // A floppy the user may not write is a write-protected diskette, as with a real tab.
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    open_read_only = write_protected = true;
  }
  if (fd < 0) {
    if (!open_read_only && (errno == EACCES || errno == EROFS))
      fail("{} '{}' is not writable: {} (use --snapshot to run without writing it)", option, path, std::strerror(errno));
    fail("{} '{}': {}", option, path, std::strerror(errno));
  }
  lock_image(fd, !open_read_only, path, option);

  const off_t end = ::lseek(fd, 0, SEEK_END);
  if (end < 0) {
    const int err = errno;
    ::close(fd);
    fail("{} '{}': {}", option, path, std::strerror(err));
  }
  try {
    check_size(static_cast<u64>(end), kind, path, option);
    check_not_container(fd, path, option);
    u8 probe;
    if (::pread(fd, &probe, 1, 0) != 1) fail("{} '{}': cannot read: {}", option, path, std::strerror(errno));
  } catch (...) {
    ::close(fd);
    throw;
  }
  if (write_protected) log_warn(LogCat::kFdc, "{} '{}' is not writable: the diskette is write-protected", option, path);

  // A short floppy image is the start of a whole diskette.
  const u64 file_size = static_cast<u64>(end);
  const u64 media_size = kind == MediaKind::kFloppy ? floppy_geometry_for_image(file_size)->bytes : file_size;
  auto image = std::make_unique<RawFileImage>(fd, media_size, file_size, open_read_only, path);
  if (snapshot && !guest_read_only) return make_snapshot_overlay(std::move(image));
  return image;
}

std::unique_ptr<DiskImage> make_memory_image(std::vector<u8> data, bool read_only) {
  return std::make_unique<MemoryImage>(std::move(data), read_only);
}

}  // namespace tern

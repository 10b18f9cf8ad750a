// Disk image backends: raw files, locking, --snapshot overlays, refusal of malformed images.
#include <catch2/catch.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "base/error.h"
#include "base/state.h"
#include "devices/disk_image.h"
#include "devices/floppy_geometry.h"

using namespace tern;
namespace fs = std::filesystem;

namespace {

// A fresh directory for one test's files, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "tern-disk-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() { fs::remove_all(path); }
  std::string file(const std::string& name, size_t size, u8 fill = 0) const {
    std::vector<u8> data(size);
    for (size_t i = 0; i < size; ++i) data[i] = static_cast<u8>(fill + i * 7);
    return file(name, data);
  }
  std::string file(const std::string& name, const std::vector<u8>& data) const {
    const std::string p = (path / name).string();
    std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    return p;
  }
};

std::vector<u8> slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<u8>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The message of the Error that `f` throws; fails the test when it throws none or another code.
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::kBadInput);
    return e.what();
  }
  FAIL("no Error thrown");
  return {};
}

}  // namespace

TEST_CASE("raw image: sectors written are read back and reach the file", "[disk_image]") {
  TempDir dir;
  const std::string path = dir.file("hd.img", 64 * 512);
  {
    auto img = open_disk_image(path, MediaKind::kHardDisk, false, "--hda");
    CHECK(img->size() == 64 * 512);
    CHECK(!img->read_only());
    std::vector<u8> out(1024, 0xA5), in(1024);
    REQUIRE(img->write_sectors(10, 2, 512, out.data()));
    REQUIRE(img->read_sectors(10, 2, 512, in.data()));
    CHECK(in == out);
    CHECK(img->flush());
  }
  const std::vector<u8> file = slurp(path);
  CHECK(std::all_of(file.begin() + 10 * 512, file.begin() + 12 * 512, [](u8 b) { return b == 0xA5; }));
}

TEST_CASE("raw image: accesses past the end are refused, not performed", "[disk_image]") {
  TempDir dir;
  auto img = open_disk_image(dir.file("hd.img", 8 * 512), MediaKind::kHardDisk, false, "--hda");
  std::vector<u8> buf(1024);
  CHECK(img->read_sectors(7, 1, 512, buf.data()));
  CHECK_FALSE(img->read_sectors(7, 2, 512, buf.data()));
  CHECK_FALSE(img->read_sectors(8, 1, 512, buf.data()));
  CHECK_FALSE(img->write_sectors(~u64{0} / 512, 2, 512, buf.data()));
  CHECK_FALSE(img->read(8 * 512 - 1, buf.data(), 2));
}

TEST_CASE("a second writer of one image is refused with a clear error", "[disk_image]") {
  TempDir dir;
  const std::string path = dir.file("hd.img", 8 * 512);
  auto first = open_disk_image(path, MediaKind::kHardDisk, false, "--hda");
  const std::string why = error_of([&] { open_disk_image(path, MediaKind::kHardDisk, false, "--hdb"); });
  CHECK_THAT(why, Catch::Contains("--hdb") && Catch::Contains("in use"));
  // A --snapshot reader is refused too: the writer would change what it reads.
  error_of([&] { open_disk_image(path, MediaKind::kHardDisk, true, "--hda"); });
  first.reset();
  CHECK_NOTHROW(open_disk_image(path, MediaKind::kHardDisk, false, "--hda"));
}

TEST_CASE("read-only media and snapshots share an image", "[disk_image]") {
  TempDir dir;
  const std::string iso = dir.file("cd.iso", 4 * 2048);
  auto a = open_disk_image(iso, MediaKind::kCdrom, false, "--cdrom");
  auto b = open_disk_image(iso, MediaKind::kCdrom, false, "--cdrom");
  CHECK(a->read_only());
  u8 sector[2048] = {};
  CHECK_FALSE(a->write_sectors(0, 1, 2048, sector));
  const std::string hd = dir.file("hd.img", 8 * 512);
  auto s1 = open_disk_image(hd, MediaKind::kHardDisk, true, "--hda");
  auto s2 = open_disk_image(hd, MediaKind::kHardDisk, true, "--hda");
  // ...but a writer is refused while they read.
  error_of([&] { open_disk_image(hd, MediaKind::kHardDisk, false, "--hda"); });
}

TEST_CASE("--snapshot keeps the image byte-identical while the guest sees its writes", "[disk_image]") {
  TempDir dir;
  const std::string path = dir.file("hd.img", 64 * 512, 3);
  const std::vector<u8> before = slurp(path);
  {
    auto img = open_disk_image(path, MediaKind::kHardDisk, true, "--hda");
    CHECK(!img->read_only());
    std::vector<u8> out(3 * 512 + 100, 0x5A), in(out.size());
    // Unaligned to the overlay's 4 KiB chunks, crossing one.
    REQUIRE(img->write(4096 - 300, out.data(), out.size()));
    REQUIRE(img->read(4096 - 300, in.data(), in.size()));
    CHECK(in == out);
    // Bytes around the write still come from the image.
    u8 edge[2];
    REQUIRE(img->read(4096 - 302, edge, 2));
    CHECK(edge[0] == before[4096 - 302]);
    CHECK(edge[1] == before[4096 - 301]);
    CHECK(img->flush());
  }
  CHECK(slurp(path) == before);
}

TEST_CASE("a snapshot overlay saves and restores the guest's writes", "[disk_image][state]") {
  auto img = make_snapshot_overlay(make_memory_image(std::vector<u8>(16 * 1024, 1)));
  std::vector<u8> data(700, 9);
  REQUIRE(img->write(5000, data.data(), data.size()));
  std::vector<u8> saved;
  StateIo out(saved);
  img->serialize(out);

  auto other = make_snapshot_overlay(make_memory_image(std::vector<u8>(16 * 1024, 1)));
  StateIo in("disk", saved);
  other->serialize(in);
  in.expect_end();
  std::vector<u8> a(16 * 1024), b(16 * 1024);
  REQUIRE(img->read(0, a.data(), a.size()));
  REQUIRE(other->read(0, b.data(), b.size()));
  CHECK(a == b);
  CHECK(b[5000] == 9);

  auto smaller = make_snapshot_overlay(make_memory_image(std::vector<u8>(8 * 1024, 1)));
  StateIo again("disk", saved);
  CHECK_THROWS_AS(smaller->serialize(again), Error);
}

TEST_CASE("malformed, truncated and unusable images are refused with one line", "[disk_image]") {
  TempDir dir;
  CHECK_THAT(error_of([&] { open_disk_image(dir.file("f.img", 3000 * 1024), MediaKind::kFloppy, false, "--fda"); }),
             Catch::Contains("not a floppy image"));
  CHECK_THAT(error_of([&] { open_disk_image(dir.file("t.img", 1474560 - 100), MediaKind::kFloppy, false, "--fda"); }),
             Catch::Contains("not a floppy image"));
  CHECK_THAT(error_of([&] { open_disk_image(dir.file("cd.iso", 2048 * 3 + 512), MediaKind::kCdrom, false, "--cdrom"); }),
             Catch::Contains("2048"));
  CHECK_THAT(error_of([&] { open_disk_image(dir.file("hd.img", 512 * 3 + 1), MediaKind::kHardDisk, false, "--hda"); }),
             Catch::Contains("truncated"));
  CHECK_THAT(error_of([&] { open_disk_image(dir.file("empty.img", 0), MediaKind::kHardDisk, false, "--hda"); }),
             Catch::Contains("empty"));
  CHECK_THAT(error_of([&] { open_disk_image(dir.path.string(), MediaKind::kHardDisk, false, "--hda"); }),
             Catch::Contains("directory"));
  CHECK_THAT(error_of([&] { open_disk_image((dir.path / "missing.img").string(), MediaKind::kCdrom, false, "--cdrom"); }),
             Catch::Contains("--cdrom"));
  std::vector<u8> qcow(512 * 8);
  std::memcpy(qcow.data(), "QFI\xfb", 4);
  CHECK_THAT(error_of([&] { open_disk_image(dir.file("q.img", qcow), MediaKind::kHardDisk, false, "--hda"); }),
             Catch::Contains("qcow2"));
  if (::geteuid() != 0) {  // root reads any file
    const std::string locked = dir.file("noperm.img", 8 * 512);
    ::chmod(locked.c_str(), 0);
    error_of([&] { open_disk_image(locked, MediaKind::kHardDisk, false, "--hda"); });
  }
}

TEST_CASE("a floppy image the user may not write is a write-protected diskette", "[disk_image]") {
  if (::geteuid() == 0) return;  // root may write any file: nothing to check
  TempDir dir;
  const std::string path = dir.file("ro.img", 1440 * 1024);
  ::chmod(path.c_str(), 0444);
  auto img = open_disk_image(path, MediaKind::kFloppy, false, "--fda");
  CHECK(img->read_only());
  u8 sector[512] = {};
  CHECK_FALSE(img->write_sectors(0, 1, 512, sector));
}

TEST_CASE("a short floppy image is the start of a 1.44M diskette, zeros after its end", "[disk_image]") {
  TempDir dir;
  const std::string path = dir.file("grub.img", 1296384, 9);  // grub-rescue-floppy.img's size
  {
    auto img = open_disk_image(path, MediaKind::kFloppy, false, "--fda");
    CHECK(img->size() == 1474560);
    std::vector<u8> sector(512, 0xEE);
    REQUIRE(img->read_sectors(2879, 1, 512, sector.data()));
    CHECK(sector == std::vector<u8>(512, 0));
    REQUIRE(img->read_sectors(2531, 1, 512, sector.data()));  // the file's last sector
    CHECK(sector != std::vector<u8>(512, 0));
    std::vector<u8> data(512, 0x42);
    REQUIRE(img->write_sectors(2800, 1, 512, data.data()));
    REQUIRE(img->read_sectors(2800, 1, 512, sector.data()));
    CHECK(sector == data);
    // Between the old end and the write: still zeros.
    REQUIRE(img->read_sectors(2700, 1, 512, sector.data()));
    CHECK(sector == std::vector<u8>(512, 0));
  }
  CHECK(std::filesystem::file_size(path) == 2801 * 512);
  CHECK(floppy_geometry_for_image(1474560 + 512)->bytes == 2949120);
  CHECK(floppy_geometry_for_image(2949120 + 512) == nullptr);
}

TEST_CASE("floppy formats are known by image size", "[disk_image]") {
  const FloppyGeometry* f144 = floppy_geometry_for_size(1474560);
  REQUIRE(f144);
  CHECK(f144->cylinders == 80);
  CHECK(f144->heads == 2);
  CHECK(f144->sectors_per_track == 18);
  CHECK(f144->cmos_drive_type == 4);
  const FloppyGeometry* f288 = floppy_geometry_for_size(2949120);
  REQUIRE(f288);
  CHECK(f288->sectors_per_track == 36);
  CHECK(f288->rate == FloppyRate::k1M);
  REQUIRE(floppy_geometry_for_size(737280));
  REQUIRE(floppy_geometry_for_size(1228800));
  CHECK(floppy_geometry_for_size(1474560 + 512) == nullptr);
}

#include "bios/multiboot.h"

#include <algorithm>
#include <cstring>

#include "base/bits.h"
#include "base/error.h"
#include "cpu/cpu.h"
#include "mmu/phys_memory.h"

namespace tern {

namespace {

constexpr u32 kHeaderMagic = 0x1BADB002;
constexpr u32 kBootMagic = 0x2BADB002;
constexpr u32 kSearchLimit = 8192;
constexpr u32 kFlagAoutKludge = 1u << 16;
// Header flags 0 (page-align modules), 1 (memory info) and 2 (video mode hint, ignored: text
// mode) are understood; other required bits (0..15) are refused as the spec asks.
constexpr u32 kUnderstoodRequired = 0x7;

// Where the boot information and its strings go: conventional memory, below the EBDA.
constexpr u32 kInfoAddr = 0x9000;
constexpr u32 kMmapAddr = 0x9100;
constexpr u32 kStringsAddr = 0x9400;
constexpr u32 kModsAddr = 0x9300;

struct Header {
  u32 offset;  // of the header in the file
  u32 flags;
  u32 header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
};

bool find_header(const std::vector<u8>& image, Header& h) {
  const size_t limit = std::min<size_t>(image.size(), kSearchLimit);
  for (size_t off = 0; off + 12 <= limit; off += 4) {
    const u32 magic = load_le<u32>(&image[off]);
    if (magic != kHeaderMagic) continue;
    const u32 flags = load_le<u32>(&image[off + 4]);
    const u32 checksum = load_le<u32>(&image[off + 8]);
    if (magic + flags + checksum != 0) continue;
    h = Header{static_cast<u32>(off), flags, 0, 0, 0, 0, 0};
    if (flags & kFlagAoutKludge) {
      if (off + 32 > image.size()) fail("multiboot kernel: truncated header");
      h.header_addr = load_le<u32>(&image[off + 12]);
      h.load_addr = load_le<u32>(&image[off + 16]);
      h.load_end_addr = load_le<u32>(&image[off + 20]);
      h.bss_end_addr = load_le<u32>(&image[off + 24]);
      h.entry_addr = load_le<u32>(&image[off + 28]);
    }
    return true;
  }
  return false;
}

void copy_in(PhysMemory& mem, u64 addr, const u8* data, u64 size) {
  if (size == 0) return;
  u8* dst = mem.ram_ptr(addr, size);
  if (!dst || (addr < 0x100000 && addr + size > 0xA0000))
    fail("multiboot kernel: segment at {:#x} (+{:#x}) is not in RAM", addr, size);
  std::memcpy(dst, data, size);
}

void zero_fill(PhysMemory& mem, u64 addr, u64 size) {
  if (size == 0) return;
  u8* dst = mem.ram_ptr(addr, size);
  if (!dst) fail("multiboot kernel: bss at {:#x} (+{:#x}) is not in RAM", addr, size);
  std::memset(dst, 0, size);
}

// Loads an a.out-kludge image; returns the entry point and the end of the loaded image.
u32 load_aout(PhysMemory& mem, const std::vector<u8>& image, const Header& h, u64& end) {
  if (h.header_addr < h.load_addr || h.header_addr - h.load_addr > h.offset)
    fail("multiboot kernel: header address {:#x} is inconsistent with load address {:#x}", h.header_addr, h.load_addr);
  const u32 file_start = h.offset - (h.header_addr - h.load_addr);
  u64 size = h.load_end_addr ? u64{h.load_end_addr} - h.load_addr : image.size() - file_start;
  if (h.load_end_addr && h.load_end_addr < h.load_addr) fail("multiboot kernel: load_end_addr below load_addr");
  if (file_start + size > image.size()) fail("multiboot kernel: image is shorter than its header says");
  copy_in(mem, h.load_addr, image.data() + file_start, size);
  end = h.load_addr + size;
  if (h.bss_end_addr) {
    if (h.bss_end_addr < end) fail("multiboot kernel: bss_end_addr below the loaded image");
    zero_fill(mem, end, h.bss_end_addr - end);
    end = h.bss_end_addr;
  }
  return h.entry_addr;
}

u32 load_elf(PhysMemory& mem, const std::vector<u8>& image, u64& end) {
  if (image.size() < 52 || std::memcmp(image.data(), "\x7F" "ELF", 4) != 0)
    fail("multiboot kernel: no a.out kludge and not an ELF file");
  if (image[4] != 1 || image[5] != 1 || load_le<u16>(&image[18]) != 3)
    fail("multiboot kernel: only little-endian ELF32 i386 images are supported");
  const u32 phoff = load_le<u32>(&image[28]);
  const u16 phentsize = load_le<u16>(&image[42]);
  const u16 phnum = load_le<u16>(&image[44]);
  if (phentsize < 32 || u64{phoff} + u64{phnum} * phentsize > image.size())
    fail("multiboot kernel: bad ELF program header table");
  end = 0;
  for (u16 i = 0; i < phnum; ++i) {
    const u8* ph = &image[phoff + u64{i} * phentsize];
    if (load_le<u32>(ph) != 1) continue;  // PT_LOAD
    const u32 offset = load_le<u32>(ph + 4), paddr = load_le<u32>(ph + 12);
    const u32 filesz = load_le<u32>(ph + 16), memsz = load_le<u32>(ph + 20);
    if (u64{offset} + filesz > image.size() || filesz > memsz) fail("multiboot kernel: bad ELF segment {}", i);
    copy_in(mem, paddr, image.data() + offset, filesz);
    zero_fill(mem, u64{paddr} + filesz, memsz - filesz);
    end = std::max<u64>(end, u64{paddr} + memsz);
  }
  return load_le<u32>(&image[24]);
}

Segment flat(u16 selector, bool code) {
  Segment s;
  s.selector = selector;
  s.base = 0;
  s.limit = 0xFFFFFFFF;
  s.attr = code ? 0xC09B : 0xC093;
  return s;
}

void put32(PhysMemory& mem, u32 addr, u32 v) { store_le<u32>(mem.ram_ptr(addr, 4), v); }
void put64(PhysMemory& mem, u32 addr, u64 v) { store_le<u64>(mem.ram_ptr(addr, 8), v); }

u32 put_string(PhysMemory& mem, u32& at, const std::string& s) {
  const u32 addr = at;
  copy_in(mem, addr, reinterpret_cast<const u8*>(s.c_str()), s.size() + 1);
  at += static_cast<u32>(s.size() + 1);
  return addr;
}

}  // namespace

bool is_multiboot(const std::vector<u8>& image) {
  Header h;
  return find_header(image, h);
}

void boot_multiboot(Cpu& cpu, PhysMemory& mem, const std::vector<u8>& image, const std::string& cmdline,
                    const std::vector<u8>& initrd, const std::string& initrd_name) {
  Header h;
  if (!find_header(image, h)) fail("kernel: no Multiboot header in the first 8 KiB");
  if (h.flags & 0xFFFF & ~kUnderstoodRequired)
    fail("multiboot kernel: requires unsupported features (flags {:#x})", h.flags);
  u64 end;
  const u32 entry = (h.flags & kFlagAoutKludge) ? load_aout(mem, image, h, end) : load_elf(mem, image, end);

  // Boot information: memory, command line, modules, memory map, loader name.
  std::memset(mem.ram_ptr(kInfoAddr, 0x1000), 0, 0x1000);
  u32 strings = kStringsAddr;
  u32 flags = (1u << 0) | (1u << 2) | (1u << 6) | (1u << 9);
  put32(mem, kInfoAddr + 4, 640);
  put32(mem, kInfoAddr + 8, static_cast<u32>(std::min<u64>(mem.low_ram_size() - 0x100000, 0xFFFFFFFFull) >> 10));
  put32(mem, kInfoAddr + 16, put_string(mem, strings, cmdline));
  if (!initrd.empty()) {
    // The module goes on the first page boundary after the kernel.
    const u64 mod_start = (end + 0xFFF) & ~u64{0xFFF};
    copy_in(mem, mod_start, initrd.data(), initrd.size());
    put32(mem, kModsAddr, static_cast<u32>(mod_start));
    put32(mem, kModsAddr + 4, static_cast<u32>(mod_start + initrd.size()));
    put32(mem, kModsAddr + 8, put_string(mem, strings, initrd_name));
    put32(mem, kInfoAddr + 20, 1);
    put32(mem, kInfoAddr + 24, kModsAddr);
    flags |= 1u << 3;
  }
  struct Range {
    u64 base, len;
    u32 type;
  };
  const Range ranges[] = {
      {0, 0x9FC00, 1},
      {0x9FC00, 0x400, 2},
      {0xF0000, 0x10000, 2},
      {0x100000, mem.low_ram_size() - 0x100000, 1},
      {PhysMemory::kHighRamBase, mem.high_ram_size(), 1},
  };
  u32 at = kMmapAddr;
  for (const Range& r : ranges) {
    if (r.len == 0) continue;
    put32(mem, at, 20);
    put64(mem, at + 4, r.base);
    put64(mem, at + 12, r.len);
    put32(mem, at + 20, r.type);
    at += 24;
  }
  put32(mem, kInfoAddr + 44, at - kMmapAddr);
  put32(mem, kInfoAddr + 48, kMmapAddr);
  put32(mem, kInfoAddr + 64, put_string(mem, strings, "tern"));
  put32(mem, kInfoAddr, flags);

  cpu.set_cr0(cpu.cr0 | cr0::PE);
  cpu.seg[kCs] = flat(0x08, true);
  for (u8 s : {kEs, kSs, kDs, kFs, kGs}) cpu.seg[s] = flat(0x10, false);
  for (Segment& s : cpu.seg) cpu.refresh_segment(s);
  cpu.cpl = 0;
  cpu.set_eflags(0, fl::kWritable);
  cpu.gpr[kEax] = kBootMagic;
  cpu.gpr[kEbx] = kInfoAddr;
  cpu.eip = cpu.next_eip = entry;
  mem.set_a20(true);
}

}  // namespace tern

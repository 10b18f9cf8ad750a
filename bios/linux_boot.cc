#include "bios/linux_boot.h"

#include <algorithm>
#include <cstring>

#include "base/bits.h"
#include "base/error.h"
#include "cpu/cpu.h"
#include "mmu/phys_memory.h"

namespace tern {

namespace {

// Offsets in the setup header / boot_params (boot.rst, "The real-mode kernel header" and
// zero-page.rst).
constexpr u32 kSetupSects = 0x1F1;
constexpr u32 kHeaderMagic = 0x202;  // "HdrS"
constexpr u32 kVersion = 0x206;
constexpr u32 kTypeOfLoader = 0x210;
constexpr u32 kLoadFlags = 0x211;
constexpr u32 kCode32Start = 0x214;
constexpr u32 kRamdiskImage = 0x218;
constexpr u32 kRamdiskSize = 0x21C;
constexpr u32 kCmdLinePtr = 0x228;
constexpr u32 kInitrdAddrMax = 0x22C;
constexpr u32 kCmdlineSize = 0x238;
constexpr u32 kAcpiRsdpAddr = 0x070;
constexpr u32 kExtMemK = 0x002;
constexpr u32 kAltMemK = 0x1E0;
constexpr u32 kE820Entries = 0x1E8;
constexpr u32 kE820Table = 0x2D0;
constexpr unsigned kE820Max = 128;
constexpr u8 kLoadedHigh = 0x01;

// Where the loader puts its pieces in conventional memory.
constexpr u32 kBootParams = 0x10000;
constexpr u32 kCmdline = 0x20000;
constexpr u32 kGdt = 0x1000;
constexpr u32 kKernelLoad = 0x100000;

u8* ram(PhysMemory& mem, u64 addr, u64 size, const char* what) {
  u8* p = mem.ram_ptr(addr, size);
  if (!p) fail("--kernel: the {} does not fit in guest RAM (at {:#x}, {} bytes)", what, addr, size);
  return p;
}

// The VGA text mode the real-mode setup code would have found through the BIOS.
void fill_screen_info(u8* bp) {
  bp[0x06] = 3;      // orig_video_mode
  bp[0x07] = 80;     // orig_video_cols
  bp[0x0E] = 25;     // orig_video_lines
  bp[0x0F] = 1;      // orig_video_isVGA
  store_le<u16>(bp + 0x0A, 0x0003);  // orig_video_ega_bx: page 0, 256 KiB
  store_le<u16>(bp + 0x10, 16);      // orig_video_points: font height
}

}  // namespace

bool is_linux_kernel(const std::vector<u8>& image) {
  return image.size() > 0x240 && std::memcmp(&image[kHeaderMagic], "HdrS", 4) == 0;
}

void boot_linux(Cpu& cpu, PhysMemory& mem, const std::vector<u8>& kernel, const LinuxBootSetup& setup) {
  if (!is_linux_kernel(kernel)) fail("--kernel: not a Linux kernel (no HdrS signature)");
  const u16 version = load_le<u16>(&kernel[kVersion]);
  if (version < 0x0204) fail("--kernel: boot protocol {}.{:02} is too old (2.04 or newer needed)", version >> 8, version & 0xFF);
  if (!(kernel[kLoadFlags] & kLoadedHigh)) fail("--kernel: a zImage (not bzImage) cannot be booted directly");
  const u32 setup_sects = kernel[kSetupSects] ? kernel[kSetupSects] : 4;
  const u64 setup_size = (u64{setup_sects} + 1) * 512;
  if (setup_size >= kernel.size()) fail("--kernel: truncated image");
  const u32 header_end = 0x202 + kernel[0x201];  // the setup header ends where its jump lands

  // boot_params: zeroed, then the setup header from the image, then what the loader knows.
  u8* bp = ram(mem, kBootParams, 0x1000, "boot parameters");
  std::memset(bp, 0, 0x1000);
  std::memcpy(bp + kSetupSects, &kernel[kSetupSects], std::min<u32>(header_end, 0x290) - kSetupSects);
  bp[kTypeOfLoader] = 0xFF;  // a boot loader with no assigned id
  fill_screen_info(bp);

  const u64 pm_size = kernel.size() - setup_size;
  std::memcpy(ram(mem, kKernelLoad, pm_size, "kernel"), &kernel[setup_size], pm_size);
  store_le<u32>(bp + kCode32Start, kKernelLoad);

  const u32 cmdline_max = version >= 0x0206 ? load_le<u32>(&kernel[kCmdlineSize]) : 255;
  if (setup.cmdline.size() > cmdline_max) fail("--append: the kernel accepts at most {} bytes", cmdline_max);
  u8* cmd = ram(mem, kCmdline, setup.cmdline.size() + 1, "command line");
  std::memcpy(cmd, setup.cmdline.c_str(), setup.cmdline.size() + 1);
  store_le<u32>(bp + kCmdLinePtr, kCmdline);

  // The e820 map, and the extended-memory sizes older kernels read.
  const unsigned entries = static_cast<unsigned>(std::min<size_t>(setup.e820.size(), kE820Max));
  u64 usable_top = 0;
  for (unsigned i = 0; i < entries; ++i) {
    const E820Entry& e = setup.e820[i];
    u8* slot = bp + kE820Table + 20 * i;
    store_le<u64>(slot, e.address);
    store_le<u64>(slot + 8, e.length);
    store_le<u32>(slot + 16, static_cast<u32>(e.type));
    if (e.type == E820Type::kRam && e.address <= kKernelLoad && e.address + e.length > kKernelLoad)
      usable_top = e.address + e.length;
  }
  bp[kE820Entries] = static_cast<u8>(entries);
  const u64 ext_k = usable_top > kKernelLoad ? (usable_top - kKernelLoad) >> 10 : 0;
  store_le<u16>(bp + kExtMemK, static_cast<u16>(std::min<u64>(ext_k, 0xFFFF)));
  store_le<u32>(bp + kAltMemK, static_cast<u32>(ext_k));
  if (version >= 0x020E) store_le<u64>(bp + kAcpiRsdpAddr, setup.acpi_rsdp);

  // The initrd goes as high as the kernel allows, below the end of usable low RAM.
  if (!setup.initrd.empty()) {
    const u64 addr_max = load_le<u32>(&kernel[kInitrdAddrMax]);
    const u64 top = std::min<u64>(usable_top, addr_max + 1);
    const u64 kernel_end = kKernelLoad + pm_size;
    if (top < setup.initrd.size() || ((top - setup.initrd.size()) & ~u64{0xFFF}) < kernel_end)
      fail("--initrd: {} bytes do not fit in guest RAM next to the kernel (try more -m)", setup.initrd.size());
    const u64 at = (top - setup.initrd.size()) & ~u64{0xFFF};
    std::memcpy(ram(mem, at, setup.initrd.size(), "initrd"), setup.initrd.data(), setup.initrd.size());
    store_le<u32>(bp + kRamdiskImage, static_cast<u32>(at));
    store_le<u32>(bp + kRamdiskSize, static_cast<u32>(setup.initrd.size()));
  }

  // A GDT with the flat __BOOT_CS (0x10) and __BOOT_DS (0x18) descriptors the protocol requires.
  u8* gdt = ram(mem, kGdt, 32, "GDT");
  std::memset(gdt, 0, 32);
  store_le<u64>(gdt + 0x10, 0x00CF9B000000FFFFull);
  store_le<u64>(gdt + 0x18, 0x00CF93000000FFFFull);
  cpu.gdtr.base = kGdt;
  cpu.gdtr.limit = 31;
  cpu.set_cr0(cpu.cr0 | cr0::PE);
  cpu.seg[kCs] = Cpu::segment_from_descriptor(0x10, 0x00CF9B000000FFFFull);
  for (u8 s : {kEs, kSs, kDs, kFs, kGs}) cpu.seg[s] = Cpu::segment_from_descriptor(0x18, 0x00CF93000000FFFFull);
  for (Segment& s : cpu.seg) cpu.refresh_segment(s);
  cpu.cpl = 0;
  cpu.set_eflags(0, fl::kWritable);
  for (u32& r : cpu.gpr) r = 0;
  cpu.gpr[kEsi] = kBootParams;
  cpu.eip = cpu.next_eip = kKernelLoad;
  mem.set_a20(true);
}

}  // namespace tern

// The Machine: built from a config, owns all its state (two machines in one process), boots
// raw ROMs and Multiboot ELF kernels.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "base/bits.h"
#include "base/error.h"
#include "machine/machine.h"

using namespace tern;

namespace {

std::string write_temp(const std::string& name, const std::vector<u8>& data) {
  const std::string path = "test_machine_" + name;
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(data.data()),
                                             static_cast<std::streamsize>(data.size()));
  return path;
}

// A 64 KiB ROM whose reset vector jumps to `code` at F000:0000.
std::vector<u8> rom_with(const std::vector<u8>& code) {
  std::vector<u8> rom(0x10000, 0xF4);
  std::memcpy(rom.data(), code.data(), code.size());
  const u8 jump[] = {0xEA, 0x00, 0x00, 0x00, 0xF0};  // jmp F000:0000
  std::memcpy(&rom[0xFFF0], jump, sizeof jump);
  return rom;
}

// mov byte [0x500], value; inc byte [0x500] (spin count); mov al, code; out 0xF4, al; hlt
std::vector<u8> exit_program(u8 exit_code, u8 marker) {
  return {0xC6, 0x06, 0x00, 0x05, marker, 0xB0, exit_code, 0xE6, 0xF4, 0xF4};
}

void run_to_end(Machine& m) {
  for (int i = 0; i < 100 && m.status() == MachineStatus::kRunning; ++i) m.run_for(1'000'000);
}

}  // namespace

TEST_CASE("two machines in one process run independently") {
  MachineConfig a_cfg, b_cfg;
  a_cfg.bios = write_temp("a.rom", rom_with(exit_program(3, 0xAA)));
  b_cfg.bios = write_temp("b.rom", rom_with(exit_program(5, 0xBB)));
  a_cfg.ram_bytes = 2 << 20;
  b_cfg.ram_bytes = 4 << 20;
  Machine a(a_cfg);
  Machine b(b_cfg);
  // Interleave their slices: neither sees the other's memory, ports or time.
  while (a.status() == MachineStatus::kRunning || b.status() == MachineStatus::kRunning) {
    if (a.status() == MachineStatus::kRunning) a.run_for(100);
    if (b.status() == MachineStatus::kRunning) b.run_for(100);
  }
  CHECK(a.status() == MachineStatus::kDebugExit);
  CHECK(a.exit_code() == 3);
  CHECK(b.exit_code() == 5);
  CHECK(a.memory().ram_bytes()[0x500] == 0xAA);
  CHECK(b.memory().ram_bytes()[0x500] == 0xBB);
  CHECK(a.memory().ram_size() == (2u << 20));
  std::remove(a_cfg.bios.c_str());
  std::remove(b_cfg.bios.c_str());
}

TEST_CASE("debug-exit values above 100 are reported as 100") {
  MachineConfig cfg;
  cfg.bios = write_temp("big.rom", rom_with(exit_program(200, 0)));
  Machine m(cfg);
  run_to_end(m);
  CHECK(m.exit_code() == 100);
  std::remove(cfg.bios.c_str());
}

TEST_CASE("a ROM whose size is not a multiple of 64 KiB is refused") {
  MachineConfig cfg;
  cfg.bios = write_temp("odd.rom", std::vector<u8>(1000, 0));
  CHECK_THROWS_WITH(Machine(cfg), Catch::Contains("multiple of 64 KiB"));
  std::remove(cfg.bios.c_str());
}

namespace {

// A minimal ELF32 Multiboot kernel: one PT_LOAD at 0x200000 holding a Multiboot header and
// code that exits with 0 if EAX holds the boot magic, else 1.
std::vector<u8> elf_kernel() {
  std::vector<u8> code = {
      0x02, 0xB0, 0xAD, 0x1B, 0x00, 0x00, 0x00, 0x00, 0xFE, 0x4F, 0x52, 0xE4,  // header, flags 0
      0x3D, 0x02, 0xB0, 0xAD, 0x2B,  // cmp eax, 0x2BADB002
      0x0F, 0x95, 0xC0,              // setne al
      0xE6, 0xF4,                    // out 0xF4, al
      0xF4,                          // hlt
  };
  const u32 load = 0x200000;
  const u32 code_offset = 0x54;  // after the ELF header (52) and one program header (32)... aligned
  std::vector<u8> elf(code_offset + code.size(), 0);
  const u8 ident[] = {0x7F, 'E', 'L', 'F', 1, 1, 1};
  std::memcpy(elf.data(), ident, sizeof ident);
  store_le<u16>(&elf[16], 2);                  // ET_EXEC
  store_le<u16>(&elf[18], 3);                  // EM_386
  store_le<u32>(&elf[20], 1);
  store_le<u32>(&elf[24], load + 12);          // entry: after the Multiboot header
  store_le<u32>(&elf[28], 52);                 // phoff
  store_le<u16>(&elf[40], 52);
  store_le<u16>(&elf[42], 32);
  store_le<u16>(&elf[44], 1);
  u8* ph = &elf[52];
  store_le<u32>(ph + 0, 1);                    // PT_LOAD
  store_le<u32>(ph + 4, code_offset);
  store_le<u32>(ph + 8, load);
  store_le<u32>(ph + 12, load);
  store_le<u32>(ph + 16, static_cast<u32>(code.size()));
  store_le<u32>(ph + 20, static_cast<u32>(code.size()) + 0x1000);  // with bss
  std::memcpy(&elf[code_offset], code.data(), code.size());
  return elf;
}

}  // namespace

TEST_CASE("a Multiboot ELF kernel starts with the boot magic and an information structure") {
  MachineConfig cfg;
  cfg.kernel = write_temp("kernel.elf", elf_kernel());
  cfg.append = "console=ttyS0 quiet";
  cfg.ram_bytes = 64 << 20;
  Machine m(cfg);
  run_to_end(m);
  CHECK(m.status() == MachineStatus::kPoweredOff);
  const u8* ram = m.memory().ram_bytes();
  const u32 info = m.cpu().gpr[kEbx];
  const u32 flags = load_le<u32>(ram + info);
  CHECK((flags & 1));        // mem_lower/mem_upper
  CHECK((flags & (1 << 6))); // memory map
  CHECK(load_le<u32>(ram + info + 4) == 640);
  CHECK(load_le<u32>(ram + info + 8) == (64u << 10) - 1024);
  const u32 cmdline = load_le<u32>(ram + info + 16);
  CHECK(std::string(reinterpret_cast<const char*>(ram + cmdline)) == "console=ttyS0 quiet");
  // The memory map lists RAM above 1 MiB as available (type 1).
  const u32 mmap_len = load_le<u32>(ram + info + 44), mmap = load_le<u32>(ram + info + 48);
  bool found_high = false;
  for (u32 at = mmap; at < mmap + mmap_len; at += 4 + load_le<u32>(ram + at))
    if (load_le<u64>(ram + at + 4) == 0x100000 && load_le<u32>(ram + at + 20) == 1) found_high = true;
  CHECK(found_high);
  // The bss after the loaded bytes is zeroed.
  CHECK(ram[0x200000 + 0x100] == 0);
  std::remove(cfg.kernel.c_str());
}

TEST_CASE("a kernel without a Multiboot header is refused") {
  MachineConfig cfg;
  cfg.kernel = write_temp("plain.bin", std::vector<u8>(4096, 0x90));
  CHECK_THROWS_AS(Machine(cfg), Error);
  std::remove(cfg.kernel.c_str());
}

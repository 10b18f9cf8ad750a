// The guest physical address space: RAM (one host allocation), ROM images, MMIO regions, the
// legacy 0xC0000-0xFFFFF window whose reads and writes the chipset's PAM registers steer to RAM or
// to ROM, and the A20 gate. Anything else is open bus: reads return all ones, writes are dropped.
//
// The software TLB asks map_page() for host pointers to whole pages; everything that cannot be a
// plain host pointer (MMIO, ROM writes, open bus, pages holding translated code) is reached
// through read()/write(), the slow path. Listeners hear about every change that invalidates host
// pointers handed out earlier (remapping, A20, PAM, code marks) so TLBs can be flushed.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/types.h"
#include "mmu/io_ops.h"

namespace tern {

class StateIo;

inline constexpr u64 kPageSize = 4096;
inline constexpr u64 kPageMask = ~(kPageSize - 1);

class PhysMemory {
 public:
  // RAM below the PCI hole ends here at most; the rest of RAM is placed from 4 GiB up.
  static constexpr u64 kLowRamLimit = 0xE0000000;
  static constexpr u64 kHighRamBase = u64{1} << 32;

  explicit PhysMemory(u64 ram_bytes);
  ~PhysMemory();
  PhysMemory(const PhysMemory&) = delete;
  PhysMemory& operator=(const PhysMemory&) = delete;

  u64 ram_size() const { return m_ram_size; }
  u64 low_ram_size() const { return m_low_ram; }
  u64 high_ram_size() const { return m_ram_size - m_low_ram; }
  // Host bytes of all RAM in order (low part, then high part): for save states.
  u8* ram_bytes() { return m_ram; }

  // Save states (phys_memory_state.cc). serialize(): the A20 gate and the PAM steering.
  // serialize_ram(): all RAM, pages that are all zero as one bit each. check_ram() reads a
  // loading view of that section without touching RAM and throws unless serialize_ram() would
  // load it whole, so a bad section is refused before anything is changed.
  void serialize(StateIo& io);
  void serialize_ram(StateIo& io);
  void check_ram(StateIo& io) const;

  // Maps a read-only image at `base` (writes are dropped).
  void add_rom(u64 base, std::vector<u8> data);
  // Maps MMIO handlers over [base, base + size). Replaces a region with the same `id` if any.
  void add_mmio(const std::string& id, u64 base, u64 size, IoOps ops);
  void remove_mmio(const std::string& id);

  // PAM: steers reads and writes of [base, base + size) in 0xC0000-0xFFFFF to RAM (true) or to
  // the ROM/open bus behind it (false).
  void set_legacy_shadow(u32 base, u32 size, bool read_ram, bool write_ram);

  void set_a20(bool enabled);
  bool a20() const { return m_a20_mask == ~u64{0}; }
  u64 a20_mask() const { return m_a20_mask; }

  // Host pointers to the start of the page holding `phys` (page-aligned): for the TLB. null when
  // that kind of access must take the slow path.
  struct PageMap {
    u8* read = nullptr;
    u8* write = nullptr;
  };
  PageMap map_page(u64 phys) const;

  // Slow path: one access that does not cross a page boundary.
  u64 read(u64 phys, unsigned size);
  void write(u64 phys, u64 value, unsigned size);
  // MMIO reads and writes so far (the JIT's verifier skips blocks that touched devices).
  u64 mmio_accesses() const { return m_mmio_accesses; }

  // Device DMA through the same map; false (and nothing done beyond the bad page) when part of
  // the range is not RAM-backed.
  bool dma_read(u64 phys, void* dst, size_t size);
  bool dma_write(u64 phys, const void* src, size_t size);

  // Caches derived from guest code (the JIT's translations, decoded-instruction caches) mark the
  // RAM pages they hold code from, each as its own owner. A marked page's write accesses never get
  // a TLB host pointer, and every write to it (CPU or DMA) is reported, before it lands, to the
  // listener of each owner that marked it. Changes of what a physical range holds (ROM or MMIO
  // mapped or removed, PAM) are reported to every listener for that range.
  using CodeListener = std::function<void(u64 phys, u64 size)>;
  static constexpr unsigned kMaxCodeOwners = 8;
  // Registers a listener; returns the owner id to mark and clear pages with.
  unsigned add_code_listener(CodeListener listener);
  // Drops an owner's listener and marks (its cache is going away).
  void remove_code_listener(unsigned owner);
  void mark_code_page(u64 phys, unsigned owner);
  void clear_code_page(u64 phys, unsigned owner);
  bool is_code_page(u64 phys) const;

  // Called after any change that makes earlier map_page() results stale.
  void add_map_listener(std::function<void()> listener) { m_listeners.push_back(std::move(listener)); }

  // Host pointer for `size` bytes of RAM at `phys` or null (for loaders and devices).
  u8* ram_ptr(u64 phys, u64 size);

 private:
  struct Region {
    std::string id;
    u64 base;
    u64 size;
    IoOps ops;                // MMIO when set
    std::vector<u8> rom;      // ROM when not empty
  };
  enum class Target { kRam, kRom, kMmio, kOpenBus };
  struct Resolved {
    Target target = Target::kOpenBus;
    u8* host = nullptr;             // RAM/ROM byte
    const Region* region = nullptr; // MMIO/ROM region
  };

  Resolved resolve(u64 phys, bool write) const;
  const Region* find_region(u64 phys, bool mmio) const;
  u8* ram_host(u64 phys) const;
  void notify();
  void code_write(u64 phys, unsigned size);
  u8 code_owners(u64 phys) const;
  void code_range_changed(u64 phys, u64 size);

  u8* m_ram = nullptr;
  u64 m_ram_size;
  u64 m_low_ram;
  u64 m_a20_mask = ~u64{0};
  std::vector<Region> m_regions;
  // 16 KiB PAM segments of 0xC0000-0xFFFFF: bit 0 read-RAM, bit 1 write-RAM.
  u8 m_shadow[16] = {};
  std::vector<u8> m_code_pages;  // per RAM page: one bit per code owner that marked it
  std::vector<CodeListener> m_code_listeners;
  u64 m_mmio_accesses = 0;
  std::vector<std::function<void()>> m_listeners;
};

}  // namespace tern

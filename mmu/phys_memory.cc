#include "mmu/phys_memory.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>

#include "base/bits.h"
#include "base/error.h"
#include "base/log.h"

namespace tern {

namespace {

constexpr u64 kVgaWindowStart = 0xA0000;
constexpr u64 kShadowStart = 0xC0000;
constexpr u64 kShadowEnd = 0x100000;
constexpr u64 kShadowSegment = 0x4000;

}  // namespace

PhysMemory::PhysMemory(u64 ram_bytes)
    : m_ram_size(ram_bytes), m_low_ram(std::min(ram_bytes, kLowRamLimit)) {
  if (ram_bytes < 1024 * 1024) fail("-m: at least 1 MiB of RAM is needed");
  // Anonymous mapping: zero-filled, and host memory is only used for pages the guest touches.
  void* p = mmap(nullptr, ram_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) fail("cannot allocate {} MiB of guest RAM", ram_bytes >> 20);
  m_ram = static_cast<u8*>(p);
  m_code_pages.assign(ram_bytes / kPageSize, 0);
}

PhysMemory::~PhysMemory() { munmap(m_ram, m_ram_size); }

void PhysMemory::add_rom(u64 base, std::vector<u8> data) {
  const u64 size = data.size();
  Region r{"rom", base, size, {}, std::move(data)};
  m_regions.push_back(std::move(r));
  notify();
  code_range_changed(base, size);
}

void PhysMemory::add_mmio(const std::string& id, u64 base, u64 size, IoOps ops) {
  remove_mmio(id);
  m_regions.push_back(Region{id, base, size, std::move(ops), {}});
  notify();
  code_range_changed(base, size);
}

void PhysMemory::remove_mmio(const std::string& id) {
  for (const Region& r : m_regions)
    if (r.id == id) code_range_changed(r.base, r.size);
  std::erase_if(m_regions, [&](const Region& r) { return r.id == id; });
  notify();
}

void PhysMemory::set_legacy_shadow(u32 base, u32 size, bool read_ram, bool write_ram) {
  bool changed = false;
  for (u64 a = std::max<u64>(base, kShadowStart); a < std::min<u64>(u64{base} + size, kShadowEnd);
       a += kShadowSegment) {
    const u8 flags = static_cast<u8>((read_ram ? 1 : 0) | (write_ram ? 2 : 0));
    u8& seg = m_shadow[(a - kShadowStart) / kShadowSegment];
    changed |= seg != flags;
    seg = flags;
  }
  if (changed) {
    notify();
    code_range_changed(base, size);
  }
}

void PhysMemory::set_a20(bool enabled) {
  const u64 mask = enabled ? ~u64{0} : ~(u64{1} << 20);
  if (mask == m_a20_mask) return;
  m_a20_mask = mask;
  notify();
}

u8* PhysMemory::ram_host(u64 phys) const {
  if (phys < m_low_ram) return m_ram + phys;
  if (phys >= kHighRamBase && phys - kHighRamBase < m_ram_size - m_low_ram) return m_ram + m_low_ram + (phys - kHighRamBase);
  return nullptr;
}

const PhysMemory::Region* PhysMemory::find_region(u64 phys, bool mmio) const {
  // Later regions win, so a remapped BAR shadows what was there.
  for (auto it = m_regions.rbegin(); it != m_regions.rend(); ++it)
    if (phys - it->base < it->size && (mmio == static_cast<bool>(it->ops.read || it->ops.write))) return &*it;
  return nullptr;
}

PhysMemory::Resolved PhysMemory::resolve(u64 phys, bool write) const {
  if (const Region* r = find_region(phys, true)) return {Target::kMmio, nullptr, r};
  if (phys >= kShadowStart && phys < kShadowEnd) {
    const u8 flags = m_shadow[(phys - kShadowStart) / kShadowSegment];
    if (flags & (write ? 2 : 1)) return {Target::kRam, m_ram + phys, nullptr};
    if (write) return {};
    // Falls through to the ROM behind the window (the BIOS alias at 0xE0000) or open bus.
  } else if (phys < kVgaWindowStart || phys >= kShadowEnd) {
    if (u8* host = ram_host(phys)) return {Target::kRam, host, nullptr};
  }
  if (const Region* r = find_region(phys, false)) {
    if (write) return {};
    return {Target::kRom, const_cast<u8*>(r->rom.data()) + (phys - r->base), r};
  }
  return {};
}

PhysMemory::PageMap PhysMemory::map_page(u64 phys) const {
  phys &= kPageMask;
  const Resolved r = resolve(phys, false);
  const Resolved w = resolve(phys, true);
  PageMap map;
  // A page is only given out whole when its last byte resolves to the same backing store.
  auto whole = [&](const Resolved& x, bool write) {
    if (x.target != Target::kRam && x.target != Target::kRom) return static_cast<u8*>(nullptr);
    const Resolved last = resolve(phys + kPageSize - 1, write);
    return last.host == x.host + kPageSize - 1 ? x.host : nullptr;
  };
  map.read = whole(r, false);
  if (!is_code_page(phys)) map.write = whole(w, true);
  return map;
}

u64 PhysMemory::read(u64 phys, unsigned size) {
  const Resolved r = resolve(phys, false);
  switch (r.target) {
    case Target::kRam:
    case Target::kRom:
      return load_le_sized(r.host, size);
    case Target::kMmio:
      ++m_mmio_accesses;
      return io_ops_read(r.region->ops, static_cast<u32>(phys - r.region->base), size);
    case Target::kOpenBus:
      break;
  }
  log(LogCat::kMmu, LogLevel::kDebug, "read from open bus {:#x}", phys);
  return ~u64{0} >> (64 - 8 * size);
}

void PhysMemory::write(u64 phys, u64 value, unsigned size) {
  const Resolved r = resolve(phys, true);
  switch (r.target) {
    case Target::kRam:
      code_write(phys, size);
      store_le_sized(r.host, value, size);
      return;
    case Target::kMmio:
      ++m_mmio_accesses;
      io_ops_write(r.region->ops, static_cast<u32>(phys - r.region->base), value, size);
      return;
    case Target::kRom:
    case Target::kOpenBus:
      break;
  }
  log(LogCat::kMmu, LogLevel::kDebug, "write to ROM or open bus {:#x} dropped", phys);
}

bool PhysMemory::dma_read(u64 phys, void* dst, size_t size) {
  u8* out = static_cast<u8*>(dst);
  while (size) {
    const size_t chunk = std::min<u64>(size, kPageSize - (phys & (kPageSize - 1)));
    const Resolved r = resolve(phys, false);
    if (r.target != Target::kRam && r.target != Target::kRom) return false;
    if (resolve(phys + chunk - 1, false).host != r.host + chunk - 1) return false;
    std::memcpy(out, r.host, chunk);
    out += chunk;
    phys += chunk;
    size -= chunk;
  }
  return true;
}

bool PhysMemory::dma_write(u64 phys, const void* src, size_t size) {
  const u8* in = static_cast<const u8*>(src);
  while (size) {
    const size_t chunk = std::min<u64>(size, kPageSize - (phys & (kPageSize - 1)));
    const Resolved r = resolve(phys, true);
    if (r.target != Target::kRam) return false;
    if (resolve(phys + chunk - 1, true).host != r.host + chunk - 1) return false;
    code_write(phys, static_cast<unsigned>(chunk));
    std::memcpy(r.host, in, chunk);
    in += chunk;
    phys += chunk;
    size -= chunk;
  }
  return true;
}

u8* PhysMemory::ram_ptr(u64 phys, u64 size) {
  u8* first = ram_host(phys);
  if (!first || size == 0) return first;
  u8* last = ram_host(phys + size - 1);
  return last == first + size - 1 ? first : nullptr;
}

unsigned PhysMemory::add_code_listener(CodeListener listener) {
  if (m_code_listeners.size() >= kMaxCodeOwners) fail("too many caches of guest code");
  m_code_listeners.push_back(std::move(listener));
  return static_cast<unsigned>(m_code_listeners.size() - 1);
}

void PhysMemory::remove_code_listener(unsigned owner) {
  m_code_listeners[owner] = [](u64, u64) {};
  for (u8& owners : m_code_pages) owners &= static_cast<u8>(~(1u << owner));
}

void PhysMemory::mark_code_page(u64 phys, unsigned owner) {
  const u8* host = ram_host(phys & kPageMask);
  if (!host) return;
  u8& owners = m_code_pages[static_cast<size_t>(host - m_ram) / kPageSize];
  const bool was_code = owners != 0;
  owners |= static_cast<u8>(1u << owner);
  // TLB entries may hold a write pointer to the page: drop them.
  if (!was_code) notify();
}

void PhysMemory::clear_code_page(u64 phys, unsigned owner) {
  const u8* host = ram_host(phys & kPageMask);
  if (host) m_code_pages[static_cast<size_t>(host - m_ram) / kPageSize] &= static_cast<u8>(~(1u << owner));
}

u8 PhysMemory::code_owners(u64 phys) const {
  const u8* host = ram_host(phys & kPageMask);
  return host ? m_code_pages[static_cast<size_t>(host - m_ram) / kPageSize] : 0;
}

bool PhysMemory::is_code_page(u64 phys) const { return code_owners(phys) != 0; }

void PhysMemory::code_write(u64 phys, unsigned size) {
  const u8 owners = code_owners(phys) | code_owners(phys + size - 1);
  for (unsigned i = 0; owners >> i; ++i)
    if ((owners >> i) & 1) m_code_listeners[i](phys, size);
}

void PhysMemory::code_range_changed(u64 phys, u64 size) {
  for (auto& listener : m_code_listeners) listener(phys, size);
}

void PhysMemory::notify() {
  for (auto& listener : m_listeners) listener();
}

}  // namespace tern

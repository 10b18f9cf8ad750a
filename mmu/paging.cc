#include "mmu/paging.h"

#include "mmu/phys_memory.h"

namespace tern {

namespace {

constexpr u64 kPresent = 1;
constexpr u64 kRw = 2;
constexpr u64 kUs = 4;
constexpr u64 kAccessed = 0x20;
constexpr u64 kDirty = 0x40;
constexpr u64 kPageSizeBit = 0x80;
constexpr u64 kGlobal = 0x100;
constexpr u64 kNxBit = u64{1} << 63;
// P6 family physical address width (36 bits): PAE entry bits 51:36 are reserved.
constexpr u64 kPaeAddrMask = 0x0000000FFFFFF000ull;
constexpr u64 kPaeReservedHigh = 0x000FFFF000000000ull;

struct Walker {
  PhysMemory& mem;
  const PagingRegs& regs;
  u64 lin;
  Access access;
  bool user;
  u64 a20;
  bool wide;  // 8-byte entries (PAE, long mode)

  // Effective permissions accumulated over the levels.
  bool rw = true;
  bool us = true;
  bool nx = false;

  u64 read_entry(u64 addr) { return mem.read(addr & a20, wide ? 8 : 4); }
  void write_entry(u64 addr, u64 value) { mem.write(addr & a20, value, wide ? 8 : 4); }

  u32 base_error() const {
    u32 e = 0;
    if (access == Access::kWrite) e |= kPfWrite;
    if (user) e |= kPfUser;
    if (access == Access::kExec && regs.nx()) e |= kPfFetch;
    return e;
  }
  WalkResult not_present() const { return {false, base_error(), 0, false, false, true, false, false}; }
  WalkResult reserved() const { return {false, base_error() | kPfPresent | kPfReserved, 0, false, false, true, false, false}; }

  void accumulate(u64 entry) {
    rw &= (entry & kRw) != 0;
    us &= (entry & kUs) != 0;
    if (regs.nx()) nx |= (entry & kNxBit) != 0;
  }

  u64 reserved_bits(bool leaf_large) const {
    if (!wide) return 0;
    u64 bits = kPaeReservedHigh;
    if (!regs.nx()) bits |= kNxBit;
    if (leaf_large) bits |= 0x1FE000;  // bits 20:13 of a 2 MiB page entry
    return bits;
  }

  // Checks permissions of the final translation and sets A/D bits on the way out.
  WalkResult finish(u64 leaf_addr, u64 leaf, u64 phys, const u64* table_addrs, const u64* table_entries, int levels) {
    const bool supervisor_write_ok = !(regs.cr0 & PagingRegs::kCr0Wp);
    bool fault = false;
    if (user && !us) fault = true;
    if (access == Access::kWrite && !rw && (user || !supervisor_write_ok)) fault = true;
    if (access == Access::kExec && nx) fault = true;
    if (fault) return {false, base_error() | kPfPresent, 0, false, false, true, false, false};

    for (int i = 0; i < levels; ++i)
      if (!(table_entries[i] & kAccessed)) write_entry(table_addrs[i], table_entries[i] | kAccessed);
    u64 new_leaf = leaf | kAccessed;
    if (access == Access::kWrite) new_leaf |= kDirty;
    if (new_leaf != leaf) write_entry(leaf_addr, new_leaf);

    WalkResult r;
    r.ok = true;
    r.phys = phys;
    r.user_ok = us;
    r.writable = user ? rw : (rw || supervisor_write_ok);
    r.executable = !nx;
    r.global = (regs.cr4 & PagingRegs::kCr4Pge) && (leaf & kGlobal);
    r.dirty = (new_leaf & kDirty) != 0;
    return r;
  }

  WalkResult walk32() {
    const u64 pde_addr = (regs.cr3 & 0xFFFFF000) + ((lin >> 22) & 0x3FF) * 4;
    const u64 pde = read_entry(pde_addr);
    if (!(pde & kPresent)) return not_present();
    accumulate(pde);
    if ((pde & kPageSizeBit) && (regs.cr4 & PagingRegs::kCr4Pse)) {
      const u64 phys = (pde & 0xFFC00000) | (lin & 0x3FFFFF);
      return finish(pde_addr, pde, phys, nullptr, nullptr, 0);
    }
    const u64 pte_addr = (pde & 0xFFFFF000) + ((lin >> 12) & 0x3FF) * 4;
    const u64 pte = read_entry(pte_addr);
    if (!(pte & kPresent)) return not_present();
    accumulate(pte);
    const u64 phys = (pte & 0xFFFFF000) | (lin & 0xFFF);
    return finish(pte_addr, pte, phys, &pde_addr, &pde, 1);
  }

  // PAE (3 levels from a 4-entry PDPT) and long mode (4 levels).
  WalkResult walk_wide(bool four_level) {
    u64 table_addrs[3];
    u64 table_entries[3];
    int levels = 0;
    u64 table;
    int shift;
    if (four_level) {
      table = regs.cr3 & kPaeAddrMask;
      shift = 39;
    } else {
      // Legacy PAE PDPTEs carry no permission bits; only P and the address matter.
      const u64 pdpte = read_entry((regs.cr3 & 0xFFFFFFE0) + ((lin >> 30) & 3) * 8);
      if (!(pdpte & kPresent)) return not_present();
      if (pdpte & (kPaeReservedHigh | 0x1E6 | kNxBit)) return reserved();
      table = pdpte & kPaeAddrMask;
      shift = 21;
    }
    for (;; shift -= 9) {
      const u64 entry_addr = table + ((lin >> shift) & 0x1FF) * 8;
      const u64 entry = read_entry(entry_addr);
      if (!(entry & kPresent)) return not_present();
      const bool large = shift <= 30 && shift > 12 && (entry & kPageSizeBit);
      if (entry & reserved_bits(large && shift == 21)) return reserved();
      if (shift == 39 && (entry & kPageSizeBit)) return reserved();
      accumulate(entry);
      if (shift == 12 || large) {
        const u64 page_mask = (u64{1} << shift) - 1;
        const u64 phys = (entry & kPaeAddrMask & ~page_mask) | (lin & page_mask);
        return finish(entry_addr, entry, phys, table_addrs, table_entries, levels);
      }
      table_addrs[levels] = entry_addr;
      table_entries[levels] = entry;
      ++levels;
      table = entry & kPaeAddrMask;
    }
  }
};

}  // namespace

WalkResult page_walk(PhysMemory& mem, const PagingRegs& regs, u64 lin, Access access, bool user, u64 a20_mask) {
  if (!regs.paging()) {
    WalkResult r;
    r.ok = true;
    r.phys = lin & 0xFFFFFFFF;
    r.writable = r.user_ok = r.dirty = true;
    return r;
  }
  Walker w{mem, regs, lin, access, user, a20_mask, regs.pae() || regs.long_mode()};
  if (regs.long_mode()) return w.walk_wide(true);
  if (regs.pae()) return w.walk_wide(false);
  return w.walk32();
}

}  // namespace tern

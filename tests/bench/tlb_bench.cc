// make bench: host nanoseconds per software-TLB hit (load and store), per miss-and-walk
// (Mmu::fill), and per hit through the Cpu's inlined segment + TLB access path.
//
// The guest side is page tables written into guest RAM: 64 MiB of linear space at 1 GiB mapped
// with 4 KiB pages onto 16 MiB of frames (linear pages alias frames; only the walk matters), once
// with 32-bit paging and once with PAE. Every entry already has its accessed and dirty bits, so a
// read fill also gives the write tag (mmu/mmu.h invariants). Hits run over 64 pages (fits the
// 1024-entry TLB); fills run over all 16384 pages in a scattered order so the page-table bytes
// are not simply the next cache line. Figures are throughput (independent accesses in a loop),
// not latency, in host CPU time. Nothing is asserted on time; the program fails only when a
// "hit" missed or a walk faulted, because then it would not be measuring what it names.
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "base/bits.h"
#include "base/clock.h"
#include "cpu/cpu.h"
#include "mmu/io_space.h"
#include "mmu/mmu.h"
#include "mmu/phys_memory.h"

namespace tern {
namespace {

constexpr u64 kRamBytes = 32u << 20;
constexpr u32 kTablesBase = 0x100000;   // PD (32-bit) or PDPT (PAE), then the rest in order
constexpr u32 kFramesBase = 0x400000;   // 16 MiB of data frames
constexpr u32 kFrames = 4096;
constexpr u32 kLinBase = 0x40000000;    // PDE 256 (32-bit), PDPTE 1 (PAE)
constexpr u32 kLinPages = 16384;        // 64 MiB: 16x the TLB
constexpr u32 kHitPages = 64;
constexpr u32 kHitSpan = kHitPages * 4096;
// Steps one page and 8 bytes per access, so 64 consecutive accesses visit all 64 pages.
constexpr u32 kHitStride = 0x1008;
// Odd, so i * kMissStride modulo kLinPages visits every page once per round.
constexpr u32 kMissStride = 0x9E5;
constexpr double kMinSeconds = 0.2;
constexpr u64 kBatch = 1u << 16;

// Entry bits (Intel SDM Vol. 3 §4.3, §4.4.2): present, writable, accessed, dirty.
constexpr u64 kP = 0x01, kRw = 0x02, kA = 0x20, kD = 0x40;
constexpr u64 kTableFlags = kP | kRw | kA;
constexpr u64 kPageFlags = kP | kRw | kA | kD;

u32 frame_of(u32 page) { return kFramesBase + (page % kFrames) * 4096; }

void put(PhysMemory& mem, u64 phys, u64 value, unsigned size) { store_le_sized(mem.ram_ptr(phys, size), value, size); }

// 32-bit paging: PD at kTablesBase, 16 page tables after it. Returns CR3.
u32 build_32bit(PhysMemory& mem) {
  const u32 pd = kTablesBase;
  for (u32 t = 0; t < kLinPages / 1024; ++t) {
    const u32 pt = pd + 4096 * (t + 1);
    put(mem, pd + 4 * ((kLinBase >> 22) + t), pt | kTableFlags, 4);
    for (u32 e = 0; e < 1024; ++e) put(mem, pt + 4 * e, frame_of(t * 1024 + e) | kPageFlags, 4);
  }
  return pd;
}

// PAE: PDPT at kTablesBase (its entries take only P: Intel SDM Vol. 3 §4.4.1), the PD for
// PDPTE 1 after it, 32 page tables after that. Returns CR3.
u32 build_pae(PhysMemory& mem) {
  const u32 pdpt = kTablesBase;
  const u32 pd = pdpt + 4096;
  put(mem, pdpt + 8 * (kLinBase >> 30), pd | kP, 8);
  for (u32 t = 0; t < kLinPages / 512; ++t) {
    const u32 pt = pd + 4096 * (t + 1);
    put(mem, pd + 8 * (((kLinBase >> 21) & 511) + t), pt | kTableFlags, 8);
    for (u32 e = 0; e < 512; ++e) put(mem, pt + 8 * e, frame_of(t * 512 + e) | kPageFlags, 8);
  }
  return pdpt;
}

// Runs op(i) in batches until kMinSeconds of this process's CPU time have passed; returns host
// CPU ns per call. CPU time rather than std::chrono wall time: the bench hosts are shared, and
// time spent descheduled is not the TLB's.
template <class Op>
double ns_per_op(Op op) {
  const std::clock_t start = std::clock();
  u64 n = 0;
  double seconds = 0;
  do {
    for (u64 k = 0; k < kBatch; ++k) op(n + k);
    n += kBatch;
    seconds = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  } while (seconds < kMinSeconds);
  return seconds * 1e9 / static_cast<double>(n);
}

volatile u64 g_sink;

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "tlb_bench: %s: the figure would not measure what it names\n", what);
  std::exit(1);
}

u32 hit_lin(u64 i) { return kLinBase + static_cast<u32>((i * kHitStride) % kHitSpan); }

// Fills the hit working set and checks every page now hits for reads and writes.
void warm(Mmu& mmu) {
  for (u32 page = 0; page < kHitPages; ++page) {
    const u32 lin = kLinBase + page * 4096;
    if (!mmu.fill(lin, Access::kRead, false).ok) broken("warm-up fill faulted");
    if (!mmu.lookup_read(lin, 4, false) || !mmu.lookup_write(lin, 4, false)) broken("warm-up left a miss");
  }
}

struct MmuFigures {
  double load, store, walk;
};

MmuFigures measure_mmu(Mmu& mmu) {
  warm(mmu);
  MmuFigures f{};
  u64 sum = 0, misses = 0;
  f.load = ns_per_op([&](u64 i) {
    const u8* p = mmu.lookup_read(hit_lin(i), 4, false);
    if (!p) [[unlikely]] ++misses;
    else sum += load_le<u32>(p);
  });
  f.store = ns_per_op([&](u64 i) {
    u8* p = mmu.lookup_write(hit_lin(i), 4, false);
    if (!p) [[unlikely]] ++misses;
    else store_le<u32>(p, static_cast<u32>(i));
  });
  if (misses) broken("a TLB-hit access missed");
  for (u32 page = 0; page < kHitPages; ++page) sum += load_le<u32>(mmu.lookup_read(kLinBase + page * 4096, 4, false));
  u64 faults = 0;
  f.walk = ns_per_op([&](u64 i) {
    const u32 lin = kLinBase + static_cast<u32>((i * kMissStride) % kLinPages) * 4096;
    const Mmu::Fill fill = mmu.fill(lin, Access::kRead, false);
    if (!fill.ok) [[unlikely]] ++faults;
    sum += fill.phys;
  });
  if (faults) broken("a walk faulted");
  g_sink = sum;
  return f;
}

void report_mmu(bool pae) {
  PhysMemory mem(kRamBytes);
  Mmu mmu(mem);
  const u32 cr3 = pae ? build_pae(mem) : build_32bit(mem);
  mmu.set_regs(PagingRegs{PagingRegs::kCr0Pg | 1u, cr3, pae ? PagingRegs::kCr4Pae : 0u, 0});
  const MmuFigures f = measure_mmu(mmu);
  std::printf("tlb: hit load %.2f ns, hit store %.2f ns, miss+walk %.1f ns (%s, 4 KiB pages)\n", f.load, f.store,
              f.walk, pae ? "PAE" : "32-bit paging");
}

// Cpu::read/Cpu::write with a flat ring-0 DS: segment checks, then the same TLB hit.
void report_cpu() {
  PhysMemory mem(kRamBytes);
  IoSpace io;
  Clock clock;
  Cpu cpu(mem, io, clock);
  cpu.reset();
  const u32 cr3 = build_32bit(mem);
  Segment& ds = cpu.seg[kDs];
  ds.base = 0;
  ds.limit = 0xFFFFFFFF;
  ds.attr = 0xC093;  // G, D/B, present, DPL 0, writable data, accessed
  cpu.set_cr3(cr3);
  cpu.set_cr0(cpu.cr0 | cr0::PE | cr0::PG);  // refreshes the segment caches
  warm(cpu.mmu());
  u64 sum = 0;
  const double load = ns_per_op([&](u64 i) { sum += cpu.read(kDs, hit_lin(i), 4); });
  const double store = ns_per_op([&](u64 i) { cpu.write(kDs, hit_lin(i), 4, static_cast<u32>(i)); });
  for (u32 page = 0; page < kHitPages; ++page) {
    if (!cpu.mmu().lookup_read(kLinBase + page * 4096, 4, false)) broken("a Cpu access left the working set");
    sum += cpu.read(kDs, kLinBase + page * 4096, 4);
  }
  g_sink = sum;
  std::printf("tlb: Cpu::read %.2f ns, Cpu::write %.2f ns (flat DS, TLB hit, 32-bit paging)\n", load, store);
}

}  // namespace
}  // namespace tern

int main() {
  tern::report_mmu(false);
  tern::report_mmu(true);
  tern::report_cpu();
  return 0;
}

#include "devices/piix3.h"

#include "base/log.h"
#include "base/state.h"

namespace tern {

namespace {

// Configuration registers with their power-on values and writable bits (PIIX3 §2.2).
struct Register {
  u8 offset;
  u8 value;
  u8 writable;
};
constexpr Register kRegisters[] = {
    {0x4C, 0x4D, 0xFF},  // IORT: ISA I/O recovery timer
    {0x4E, 0x03, 0xFF},  // XBCS: X-bus chip select (BIOS ROM decode)
    {0x4F, 0x00, 0xFF},
    {0x60, 0x80, 0x8F},  // PIRQRC[A]: bit 7 disables routing, bits 3-0 the IRQ
    {0x61, 0x80, 0x8F},
    {0x62, 0x80, 0x8F},
    {0x63, 0x80, 0x8F},
    {0x69, 0x02, 0xFE},  // TOM: top of memory for ISA/DMA
    {0x6A, 0x00, 0xFF},  // MSTAT: miscellaneous status
    {0x6B, 0x00, 0xFF},
    {0x70, 0x80, 0xCF},  // MBIRQ0: motherboard device IRQ route
    {0x76, 0x0C, 0x8F},  // MBDMA0/1
    {0x77, 0x0C, 0x8F},
    {0x78, 0x02, 0xFF},  // PCSC: programmable chip select
    {0x79, 0x00, 0xFF},
    {0x80, 0x00, 0x7F},  // APICBASE
    {0x82, 0x00, 0x0F},  // DLC: deterministic latency
    {0xA0, 0x08, 0x1F},  // SMICNTL
    {0xA2, 0x00, 0xFF},  // SMIEN
    {0xA3, 0x00, 0x01},
    {0xA4, 0x00, 0xFF},  // SEE: system event enable
    {0xA5, 0x00, 0xFF},
    {0xA6, 0x00, 0xFF},
    {0xA7, 0x00, 0xFF},
    {0xA8, 0x0F, 0xFF},  // FTMR: fast off timer
    {0xAA, 0x00, 0xFF},  // SMIREQ
    {0xAB, 0x00, 0xFF},
    {0xAC, 0x00, 0xFF},  // CTLTMR
    {0xAE, 0x00, 0xFF},  // CTHTMR
};

constexpr unsigned kIoapicPirqBase = 16;
// RC register (0xCF9): bit 1 selects a hard (system) reset, setting bit 2 performs it.
constexpr u8 kRcHardReset = 0x02;
constexpr u8 kRcResetCpu = 0x04;

}  // namespace

Piix3::Piix3(IrqSink* isa_irqs, IrqSink* ioapic, std::function<void()> reset_system)
    : PciFunction(PciId{0x8086, 0x7000, 0x00, 0x060100, 0, 0}),
      m_isa(isa_irqs),
      m_ioapic(ioapic),
      m_reset_system(std::move(reset_system)) {
  for (const Register& r : kRegisters) {
    set_config(r.offset, r.value, 1);
    set_writable(r.offset, r.writable, 1);
  }
  set_config(pci_cfg::kCommand, 0x0007, 2);  // I/O, memory, bus master: always on for the bridge
}

int Piix3::route(unsigned pirq) const {
  const u8 r = config_byte(static_cast<u8>(kPirqRoute + pirq));
  if (r & 0x80) return -1;
  const unsigned irq = r & 0x0F;
  // IRQ 0, 1, 2, 8 and 13 are reserved routing values (PIIX3 §2.2.8).
  if (irq < 3 || irq == 8 || irq == 13) return -1;
  return static_cast<int>(irq);
}

void Piix3::update_isa_irqs() {
  u16 want = 0;
  for (unsigned p = 0; p < 4; ++p)
    if (m_pirq[p] && route(p) >= 0) want |= static_cast<u16>(1u << route(p));
  const u16 changed = want ^ m_driven;
  m_driven = want;
  for (unsigned irq = 0; irq < 16; ++irq)
    if ((changed >> irq) & 1 && m_isa) m_isa->set_irq(irq, (want >> irq) & 1);
}

void Piix3::set_irq(unsigned pirq, bool level) {
  if (pirq >= 4) return;
  m_pirq[pirq] = level;
  if (m_ioapic) m_ioapic->set_irq(kIoapicPirqBase + pirq, level);
  update_isa_irqs();
}

void Piix3::config_written(u8 offset, unsigned size) {
  if (offset < kPirqRoute + 4 && offset + size > kPirqRoute) {
    log(LogCat::kPci, LogLevel::kDebug, "PIIX3 PIRQ routes {:02x} {:02x} {:02x} {:02x}", config_byte(0x60),
        config_byte(0x61), config_byte(0x62), config_byte(0x63));
    update_isa_irqs();
  }
}

void Piix3::reset_function() {
  m_reset_control = 0;
  update_isa_irqs();
}

IoOps Piix3::reset_control_ports() {
  IoOps ops;
  ops.widths = 1;
  ops.read = [this](u32 offset, unsigned) -> u64 { return offset == 1 ? m_reset_control : 0xFF; };
  ops.write = [this](u32 offset, u64 value, unsigned) {
    if (offset != 1) return;
    m_reset_control = value & kRcHardReset;
    // Bit 2 reads back as 0: every write that sets it starts a reset.
    if (value & kRcResetCpu) {
      log(LogCat::kMachine, LogLevel::kInfo, "{} reset through port 0xCF9", (value & kRcHardReset) ? "hard" : "soft");
      m_reset_system();
    }
  };
  return ops;
}

void Piix3::serialize(StateIo& io) {
  PciFunction::serialize(io);
  io(m_pirq, m_driven, m_reset_control);
}

}  // namespace tern

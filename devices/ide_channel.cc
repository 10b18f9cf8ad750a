#include "devices/ide_channel.h"

#include "base/bits.h"
#include "base/state.h"
#include "mmu/phys_memory.h"

namespace tern {

namespace {

constexpr u8 kExecuteDeviceDiagnostic = 0x90;

// The position of a missing drive: it latches register writes like any device on the cable
// but never executes a command, never interrupts and reads Status 00h.
class AbsentDevice final : public IdeDevice {
 public:
  AbsentDevice() { hardware_reset(); }
  IdeDeviceKind kind() const override { return IdeDeviceKind::kAbsent; }

 protected:
  void execute(u8) override {}
  void pio_block_done() override {}
  bool dma_fetch(u64, u8*, size_t) override { return false; }
  bool dma_store(u64, const u8*, size_t) override { return false; }
  void dma_finished(bool) override {}
  void load_signature() override {
    m_tf.sector_count = 1;
    m_tf.lba_low = 1;
    m_tf.lba_mid = 0xFF;
    m_tf.lba_high = 0xFF;
    m_tf.device = 0;
    m_tf.error = 0;
    m_tf.status = 0;
  }
};

}  // namespace

IdeChannel::IdeChannel(PhysMemory& mem, IrqLine irq) : m_mem(mem), m_irq(irq), m_bus_master(mem) {}

void IdeChannel::attach(unsigned position, std::unique_ptr<IdeDevice> device) {
  m_devices[position] = std::move(device);
  m_present[position] = true;
  const unsigned other = position ^ 1;
  if (!m_present[other]) m_devices[other] = std::make_unique<AbsentDevice>();
  for (unsigned i = 0; i < 2; ++i) m_devices[i]->set_position(i == 1, m_present[i ^ 1]);
}

u8 IdeChannel::read_register(u32 offset) {
  const AtaReg reg = static_cast<AtaReg>(offset);
  IdeDevice* dev = selected();
  if (!dev) return 0xFF;  // no drive on the cable: the bus floats
  const u8 value = dev->read_register(reg, m_control & kHob);
  if (reg == AtaReg::kCommand) {
    dev->acknowledge_interrupt();  // reading Status clears a pending interrupt (§7.15)
    update_irq();
  }
  return value;
}

void IdeChannel::write_register(u32 offset, u8 value) {
  const AtaReg reg = static_cast<AtaReg>(offset);
  m_control &= static_cast<u8>(~kHob);  // any command block write clears HOB (§7.8)
  if (reg == AtaReg::kCommand) {
    write_command(value);
    return;
  }
  for (auto& dev : m_devices) {
    if (dev) dev->write_register(reg, value);
  }
  if (reg == AtaReg::kDevice) {
    m_selected = (value & ata_device::kDev) ? 1 : 0;
    update_irq();
  }
}

void IdeChannel::write_command(u8 command) {
  // Writing Command deasserts INTRQ before the command runs, so an interrupt the host left
  // unacknowledged still gives an edge when this command raises INTRQ again.
  if (IdeDevice* dev = selected()) dev->acknowledge_interrupt();
  update_irq();
  if (command == kExecuteDeviceDiagnostic) {
    // Both devices run their diagnostics; device 0 is selected afterwards (§8.11).
    for (auto& dev : m_devices) {
      if (dev) dev->write_command(command);
    }
    m_selected = 0;
  } else if (IdeDevice* dev = selected()) {
    dev->write_command(command);
  }
  run_dma();
  update_irq();
}

u32 IdeChannel::read_command_block(u32 offset, unsigned size) {
  if (offset == 0) {
    IdeDevice* dev = selected();
    const u32 value = dev ? dev->read_data(size) : static_cast<u32>(low_mask(size * 8));
    update_irq();
    return value;
  }
  u32 value = 0;
  for (unsigned i = 0; i < size && offset + i < 8; ++i) value |= u32{read_register(offset + i)} << (8 * i);
  return value;
}

void IdeChannel::write_command_block(u32 offset, u32 value, unsigned size) {
  if (offset == 0) {
    if (IdeDevice* dev = selected()) dev->write_data(value, size);
    update_irq();
    return;
  }
  for (unsigned i = 0; i < size && offset + i < 8; ++i) write_register(offset + i, static_cast<u8>(value >> (8 * i)));
}

u8 IdeChannel::read_alt_status() const {
  if (IdeDevice* dev = selected()) return dev->read_register(AtaReg::kCommand, false);
  return 0xFF;
}

void IdeChannel::write_device_control(u8 value) {
  const bool srst_was = m_control & kSrst;
  m_control = value & (kNien | kSrst | kHob);
  const bool srst = m_control & kSrst;
  if (srst != srst_was) {
    for (auto& dev : m_devices) {
      if (dev) dev->set_srst(srst);
    }
    // The reset signature clears the Device register, selecting device 0.
    if (!srst) m_selected = 0;
  }
  update_irq();
}

IoOps IdeChannel::command_block_ops() {
  IoOps ops;
  ops.widths = 1 | 2 | 4;
  ops.read = [this](u32 offset, unsigned size) -> u64 { return read_command_block(offset, size); };
  ops.write = [this](u32 offset, u64 value, unsigned size) { write_command_block(offset, static_cast<u32>(value), size); };
  return ops;
}

IoOps IdeChannel::control_ops() {
  IoOps ops;
  ops.widths = 1;
  ops.read = [this](u32, unsigned) -> u64 { return read_alt_status(); };
  ops.write = [this](u32, u64 value, unsigned) { write_device_control(static_cast<u8>(value)); };
  return ops;
}

u32 IdeChannel::read_bus_master(u32 offset, unsigned size) const {
  u32 value = 0;
  for (unsigned i = 0; i < size; ++i) value |= u32{m_bus_master.read_byte(offset + i)} << (8 * i);
  return value;
}

void IdeChannel::write_bus_master(u32 offset, u32 value, unsigned size) {
  bool started = false;
  for (unsigned i = 0; i < size; ++i) started |= m_bus_master.write_byte(offset + i, static_cast<u8>(value >> (8 * i)));
  if (started) run_dma();
  update_irq();
}

IoOps IdeChannel::bus_master_ops() {
  IoOps ops;
  ops.widths = 1 | 2 | 4;
  ops.read = [this](u32 offset, unsigned size) -> u64 { return read_bus_master(offset, size); };
  ops.write = [this](u32 offset, u64 value, unsigned size) { write_bus_master(offset, static_cast<u32>(value), size); };
  return ops;
}

void IdeChannel::set_bus_master_enabled(bool enabled) {
  m_bus_master_enabled = enabled;
  run_dma();
  update_irq();
}

// Moves data when the selected device requests DMA and the bus master has been started.
void IdeChannel::run_dma() {
  IdeDevice* dev = selected();
  if (!dev || !dev->dma_requested() || !m_bus_master.active() || !m_bus_master_enabled) return;
  dev->run_dma(m_bus_master);
  m_bus_master.transfer_stopped(!dev->dma_requested());
}

void IdeChannel::update_irq() {
  IdeDevice* dev = selected();
  const bool device_irq = dev && dev->intrq();
  if (device_irq && !m_device_irq) m_bus_master.device_interrupt();
  m_device_irq = device_irq;
  const bool level = device_irq && !(m_control & kNien);
  if (level != m_irq_level) {
    m_irq_level = level;
    m_irq.set(level);
  }
}

void IdeChannel::reset() {
  for (auto& dev : m_devices) {
    if (dev) dev->hardware_reset();
  }
  m_bus_master.reset();
  m_selected = 0;
  m_control = 0;
  m_device_irq = false;
  update_irq();
}

void IdeChannel::serialize(StateIo& io) {
  io(m_selected, m_control, m_bus_master_enabled, m_device_irq, m_irq_level);
  if (io.loading() && m_selected > 1) throw_state_error("IDE channel: bad selected device");
  m_bus_master.serialize(io);
  for (auto& dev : m_devices) {
    const u8 expected = dev ? static_cast<u8>(dev->kind()) : 0;
    u8 kind = expected;
    io(kind);
    if (kind != expected) throw_state_error("IDE channel: the saved machine had other drives");
    if (dev) dev->serialize(io);
  }
}

}  // namespace tern

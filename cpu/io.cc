// Port I/O from the CPU: the IOPL and TSS I/O-permission-bitmap checks (Intel SDM Vol. 1 §19.5)
// and the accesses themselves, which first bring the virtual clock up to date.
#include "cpu/cpu.h"

namespace tern {

void Cpu::check_io_permission(u16 port, u8 size) {
  if (!protected_mode() || (!v86() && cpl <= iopl())) return;
  // Only a 32-bit TSS has a bitmap; its base is the word at offset 0x66.
  if (tr.type() != 0x9 && tr.type() != 0xB) gp(0);
  if (tr.limit < 0x67) gp(0);
  const u32 bitmap = read_sys(tr.base + 0x66, 2);
  const u32 byte = bitmap + port / 8;
  if (byte + 1 > tr.limit) gp(0);
  const u32 bits = read_sys(tr.base + byte, 2);
  const u32 want = ((1u << size) - 1) << (port % 8);
  if (bits & want) gp(0);
}

u32 Cpu::port_in(u16 port, u8 size) {
  check_io_permission(port, size);
  if (m_io_breakpoints) [[unlikely]] check_io_breakpoints(port, size);
  sync_clock();
  const u32 value = m_io.read(port, size);
  after_device_access();
  return value;
}

void Cpu::port_out(u16 port, u8 size, u32 value) {
  check_io_permission(port, size);
  if (m_io_breakpoints) [[unlikely]] check_io_breakpoints(port, size);
  sync_clock();
  m_io.write(port, value, size);
  after_device_access();
}

void Cpu::after_device_access() {
  const u64 deadline = m_clock.next_deadline();
  if (deadline == Clock::kNever) return;
  const u64 room = m_clock.instructions_until(deadline);
  if (m_executed + room < m_budget) m_budget = m_executed + room;
}

}  // namespace tern

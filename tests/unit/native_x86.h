// Runs 32-bit IA-32 code on the host CPU, for differential tests against tern's interpreter.
//
// On an x86-64 Linux host the code runs in compatibility mode: a generated 64-bit trampoline
// switches to the kernel's 32-bit user code segment (0x23) with a far return, the 32-bit code
// loads the registers and flags, runs the snippet, stores the results and far-returns to 64-bit
// mode (0x33). Everything lives in one mapping below 2 GiB (MAP_32BIT), so 32-bit addresses
// reach it. The snippet bytes are exactly those tern runs. On any other host `available()` is
// false and the differential tests skip; no x86 code is compiled there.
#pragma once

#include <string>
#include <vector>

#include "tests/unit/cpu_harness.h"

#if defined(__x86_64__) && defined(__linux__)
#define TERN_NATIVE_X86 1
#include <cpuid.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

namespace tern::test {

// Whether the host CPU is an Intel one (the reference for the undefined-flag model).
inline bool host_is_intel() {
#ifdef TERN_NATIVE_X86
  unsigned a, b, c, d;
  if (!__get_cpuid(0, &a, &b, &c, &d)) return false;
  return b == 0x756E6547 && d == 0x49656E69 && c == 0x6C65746E;  // "GenuineIntel"
#else
  return false;
#endif
}

class NativeCpu {
 public:
#ifdef TERN_NATIVE_X86
  NativeCpu() {
    void* p = mmap(nullptr, kSize, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
    if (p == MAP_FAILED) return;
    m_base = static_cast<u8*>(p);
    build_trampoline();
    m_ok = probe();
  }
  ~NativeCpu() {
    if (m_base) munmap(m_base, kSize);
  }
#else
  NativeCpu() = default;
#endif
  NativeCpu(const NativeCpu&) = delete;
  NativeCpu& operator=(const NativeCpu&) = delete;

  // The host can run 32-bit code here.
  bool available() const { return m_ok; }
  // The address 32-bit code uses for the data window (see cpu_harness.h).
  u32 data_addr() const { return addr(kData); }

  // Runs `code` (32-bit, no stack use, no faults) from `in`.
  CpuState run(const std::vector<u8>& code, const CpuState& in) {
    CpuState out = in;
#ifdef TERN_NATIVE_X86
    if (!m_base) return out;
    std::vector<u8> body;
    prologue(body);
    body.insert(body.end(), code.begin(), code.end());
    epilogue(body);
    std::memcpy(m_base + kEntry32, body.data(), body.size());
    u32* state = reinterpret_cast<u32*>(m_base + kState);
    for (int r = 0; r < 8; ++r) state[r] = in.gpr[r];
    state[8] = in.eflags;
    std::memcpy(m_base + kData - kDataBefore, in.data.data(), kDataSize);
    reinterpret_cast<void (*)()>(m_base + kTrampoline)();
    for (int r = 0; r < 8; ++r)
      if (r != kEsp) out.gpr[r] = state[10 + r];
    out.eflags = state[18];
    std::memcpy(out.data.data(), m_base + kData - kDataBefore, kDataSize);
#else
    (void)code;
#endif
    return out;
  }

 private:
  // Layout of the mapping.
  static constexpr u32 kSize = 0x10000;
  static constexpr u32 kTrampoline = 0x0000;  // 64-bit: call here
  static constexpr u32 kReturn = 0x0100;      // 64-bit: the 32-bit code far-returns here
  static constexpr u32 kState = 0x0200;       // in gpr[8], eflags, pad, out gpr[8], eflags, esp32, rsp64
  static constexpr u32 kEntry32 = 0x1000;     // 32-bit: prologue, snippet, epilogue
  static constexpr u32 kData = 0x8000;
  static constexpr u32 kStack32 = 0xF000;
  static constexpr u32 kInGpr = kState, kInFlags = kState + 32, kOutGpr = kState + 40, kOutFlags = kState + 72;
  static constexpr u32 kSavedEsp = kState + 80, kSavedRsp = kState + 88;

  u32 addr(u32 offset) const { return static_cast<u32>(reinterpret_cast<uintptr_t>(m_base)) + offset; }

  static void put(std::vector<u8>& b, std::initializer_list<u8> bytes) { b.insert(b.end(), bytes); }
  static void put32(std::vector<u8>& b, u32 v) {
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<u8>(v >> (8 * i)));
  }
  static void put64(std::vector<u8>& b, u64 v) {
    for (int i = 0; i < 8; ++i) b.push_back(static_cast<u8>(v >> (8 * i)));
  }

#ifdef TERN_NATIVE_X86
  void build_trampoline() {
    std::vector<u8> t;
    put(t, {0x53, 0x55, 0x41, 0x54, 0x41, 0x55, 0x41, 0x56, 0x41, 0x57});  // push rbx rbp r12-r15
    put(t, {0x48, 0xB8}), put64(t, addr(kSavedRsp)), put(t, {0x48, 0x89, 0x20});  // [saved] = rsp
    put(t, {0xBC}), put32(t, addr(kStack32));                                     // mov esp, stack32
    // A 32-bit far-return frame (EIP, CS 0x33) to come back, then a 64-bit one into CS 0x23.
    put(t, {0x48, 0x83, 0xEC, 0x08, 0xC7, 0x04, 0x24}), put32(t, addr(kReturn));
    put(t, {0xC7, 0x44, 0x24, 0x04, 0x33, 0x00, 0x00, 0x00});
    put(t, {0x6A, 0x23, 0x68}), put32(t, addr(kEntry32)), put(t, {0x48, 0xCB});  // push 0x23, entry; retfq
    std::memcpy(m_base + kTrampoline, t.data(), t.size());
    std::vector<u8> r;
    put(r, {0x48, 0xB8}), put64(r, addr(kSavedRsp)), put(r, {0x48, 0x8B, 0x20});  // rsp = [saved]
    put(r, {0x41, 0x5F, 0x41, 0x5E, 0x41, 0x5D, 0x41, 0x5C, 0x5D, 0x5B, 0xC3});   // pop r15-r12 rbp rbx; ret
    std::memcpy(m_base + kReturn, r.data(), r.size());
  }

  void prologue(std::vector<u8>& b) const {
    put(b, {0x8C, 0xD0, 0x8E, 0xD8, 0x8E, 0xC0});  // DS = ES = SS (flat user data)
    put(b, {0x89, 0x25}), put32(b, addr(kSavedEsp));
    put(b, {0xFF, 0x35}), put32(b, addr(kInFlags)), put(b, {0x9D});  // push [flags]; popfd
    static constexpr u8 kLoad[8] = {0, 0x0D, 0x15, 0x1D, 0, 0x2D, 0x35, 0x3D};  // mov r32, [disp32]
    for (int r = 1; r < 8; ++r)
      if (r != kEsp) put(b, {0x8B, kLoad[r]}), put32(b, addr(kInGpr + 4 * r));
    put(b, {0xA1}), put32(b, addr(kInGpr));  // mov eax, [in]
  }

  void epilogue(std::vector<u8>& b) const {
    put(b, {0xA3}), put32(b, addr(kOutGpr));  // mov [out], eax
    static constexpr u8 kStore[8] = {0, 0x0D, 0x15, 0x1D, 0, 0x2D, 0x35, 0x3D};  // mov [disp32], r32
    for (int r = 1; r < 8; ++r)
      if (r != kEsp) put(b, {0x89, kStore[r]}), put32(b, addr(kOutGpr + 4 * r));
    put(b, {0x9C, 0x8F, 0x05}), put32(b, addr(kOutFlags));  // pushfd; pop [out flags]
    put(b, {0xFC});                                          // CLD: the C ABI wants DF clear
    put(b, {0x8B, 0x25}), put32(b, addr(kSavedEsp));
    put(b, {0xCB});  // retf to 64-bit mode
  }

  // Some kernels cannot run 32-bit user code (IA-32 emulation off): try it in a child first.
  bool probe() {
    const pid_t pid = fork();
    if (pid == 0) {
      CpuState s;
      s.gpr[kEax] = 41;
      run({0x40}, s);  // INC EAX (a REX prefix in 64-bit mode: only 32-bit code gets 42)
      _exit(reinterpret_cast<u32*>(m_base + kState)[10] == 42 ? 0 : 1);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) return false;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
#endif

  u8* m_base = nullptr;
  bool m_ok = false;
};

}  // namespace tern::test

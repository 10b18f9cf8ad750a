#include "frontend/options.h"

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>

#include "base/error.h"
#include "frontend/guest_script.h"
#include "devices/rtc_calendar.h"

namespace tern {

namespace po = boost::program_options;

namespace {

constexpr const char* kVersion = "tern 0.1.0";

// "-m 512", "-m 512M", "-m 2G": MiB by default.
u64 parse_memory_size(const std::string& text) {
  size_t pos = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(text, &pos);
  } catch (const std::exception&) {
    fail("-m: '{}' is not a memory size (e.g. 512, 512M, 2G)", text);
  }
  const std::string suffix = text.substr(pos);
  u64 unit = u64{1} << 20;
  if (suffix == "G" || suffix == "g") unit = u64{1} << 30;
  else if (suffix == "K" || suffix == "k") unit = u64{1} << 10;
  else if (!suffix.empty() && suffix != "M" && suffix != "m") fail("-m: '{}' is not a memory size (e.g. 512, 512M, 2G)", text);
  if (value == 0 || value > (u64{64} << 30) / unit) fail("-m: '{}' is out of range", text);
  return value * unit;
}

Engine parse_engine(const std::string& text) {
  if (text == "auto") return Engine::kAuto;
  if (text == "interp") return Engine::kInterp;
  if (text == "jit") return Engine::kJit;
  fail("--engine: expected auto, interp or jit, got '{}'", text);
}

ClockMode parse_clock(const std::string& text) {
  if (text == "virtual") return ClockMode::kVirtual;
  if (text == "host") return ClockMode::kHost;
  fail("--clock: expected virtual or host, got '{}'", text);
}

// "2024-05-17", "2024-05-17T08:30", "2024-05-17T08:30:15" (UTC) or "now".
i64 parse_rtc_base(const std::string& text) {
  if (text == "now") return static_cast<i64>(std::time(nullptr));
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  char tail = 0;
  const int n = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &year, &month, &day, &hour, &minute, &second,
                            &tail);
  const bool shape_ok = n == 3 || n == 5 || n == 6;
  if (!shape_ok || year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 ||
      minute > 59 || second > 59 || hour < 0 || minute < 0 || second < 0)
    fail("--rtc-base: expected YYYY-MM-DD[THH:MM[:SS]] between 1900 and 2199, or now (got '{}')", text);
  return epoch_from_civil(CivilTime{year, month, day, hour, minute, second, 1});
}

po::options_description make_options() {
  po::options_description o("Options");
  // clang-format off
  o.add_options()
    ("help,h", "show this help and exit")
    ("version", "show the version and exit")
    ("config", po::value<std::string>(), "read options from an INI file (command line wins)")
    ("memory,m", po::value<std::string>()->default_value("128"), "guest RAM in MiB (or with M/G suffix)")
    ("bios", po::value<std::string>(), "raw system ROM image instead of SeaBIOS")
    ("vga-bios", po::value<std::string>(), "VGA option ROM instead of vgabios-stdvga.bin")
    ("kernel", po::value<std::string>(), "boot a Linux bzImage or a Multiboot kernel directly")
    ("initrd", po::value<std::string>(), "initial ramdisk (Linux initrd, or Multiboot module 0)")
    ("append", po::value<std::string>()->default_value(""), "kernel command line")
    ("hda", po::value<std::string>(), "first IDE disk image")
    ("hdb", po::value<std::string>(), "second IDE disk image")
    ("cdrom", po::value<std::string>(), "CD-ROM image")
    ("fda", po::value<std::string>(), "floppy image")
    ("boot", po::value<std::string>()->default_value("cad"), "boot order: a floppy, c disk, d CD-ROM")
    ("serial", po::value<std::string>()->default_value("stdio"), "COM1: stdio, file:PATH or none")
    ("debugcon", po::value<std::string>()->default_value("none"), "ports 0xE9/0x402: stdio, file:PATH or none")
    ("headless", po::bool_switch(), "no window: for terminals and CI")
    ("screenshot", po::value<std::string>(), "write the screen as PNG to FILE at the end (or FILE@SECONDS of guest time)")
    ("screenshot-every", po::value<std::string>(), "SECONDS:DIR: a PNG every SECONDS of guest time in DIR")
    ("dump-text", po::value<std::string>(), "write the text screen as UTF-8 to FILE at the end (or FILE@SECONDS of guest time)")
    ("timeout", po::value<double>()->default_value(0), "stop after SECONDS of host time (exit 124); 0: never")
    ("guest-timeout", po::value<double>()->default_value(0), "stop after SECONDS of guest time (exit 124, same on every run); 0: never")
    ("until-serial", po::value<std::string>(), "end the run with 0 as soon as TEXT appears on COM1")
    ("send-keys", po::value<std::vector<std::string>>()->composing(), "TEXT@SECONDS: type TEXT at that guest time (\\n Enter, \\e Esc; repeatable)")
    ("engine", po::value<std::string>()->default_value("auto"), "CPU engine: auto, interp or jit")
    ("jit-verify", po::bool_switch(), "run the interpreter in lockstep with the JIT; stop at the first difference")
    ("jit-perf-map", po::bool_switch(), "write /tmp/perf-PID.map so Linux perf names translated blocks")
    ("clock", po::value<std::string>()->default_value("virtual"), "guest time: virtual (deterministic) or host")
    ("ips", po::value<u64>()->default_value(100'000'000), "guest instructions per virtual second")
    ("no-reboot", po::bool_switch(), "end the run instead of resetting: exit 126 on a triple fault, 0 on a guest reset")
    ("snapshot", po::bool_switch(), "write disk changes to a temporary overlay, never to the images")
    ("rtc-base", po::value<std::string>()->default_value("2024-01-01T00:00:00"),
     "RTC date and time at start (UTC): YYYY-MM-DD[THH:MM[:SS]], or 'now' (not repeatable)")
    ("log", po::value<std::string>()->default_value(""), "log categories, e.g. cpu,pic:trace or all:info")
    ("stats", po::bool_switch(), "print guest instructions, host time and MIPS to stderr at exit")
    ("save", po::value<std::string>(), "save the machine's state to FILE when the run ends (and on Ctrl+Alt+S in the window)")
    ("save-on-serial", po::value<std::string>(), "TEXT:FILE: save the state to FILE when TEXT first appears on COM1; the run goes on")
    ("load", po::value<std::string>(), "resume the machine saved in FILE (its configuration and disks come from the state)")
    ("monitor", po::value<std::string>(), "line-based monitor (savevm, loadvm, info status, quit): stdio or unix:PATH")
    ("image", po::value<std::string>(), "disk image (same as --hda)");
  // clang-format on
  return o;
}

std::string get(const po::variables_map& vm, const char* key) {
  return vm.count(key) ? vm[key].as<std::string>() : std::string{};
}

// --save, --save-on-serial, --load, --monitor. With --load the machine is the one in the state
// file: options that define a machine would contradict it.
void parse_state_options(const po::variables_map& vm, RunOptions& r) {
  r.save_path = get(vm, "save");
  r.load_path = get(vm, "load");
  r.monitor = get(vm, "monitor");
  if (vm.count("save-on-serial")) {
    const std::string value = get(vm, "save-on-serial");
    const size_t colon = value.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == value.size())
      fail("--save-on-serial: expected TEXT:FILE, got '{}'", value);
    r.script.save_on_serial = value.substr(0, colon);
    r.script.save_on_serial_path = value.substr(colon + 1);
  }
  if (r.monitor == "stdio" && r.machine.serial == "stdio")
    fail("--monitor stdio needs COM1 elsewhere (--serial file:PATH or none)");
  if (r.load_path.empty()) return;
  for (const char* key : {"memory", "bios", "vga-bios", "kernel", "initrd", "append", "hda", "hdb", "cdrom", "fda",
                          "image", "boot", "ips", "snapshot", "rtc-base"})
    if (vm.count(key) && !vm[key].defaulted() && !(vm[key].value().type() == typeid(bool) && !vm[key].as<bool>()))
      fail("--load: the machine comes from the state file; {}{} cannot be given with it",
           std::string(key) == "memory" ? "-m/--" : "--", key);
}

}  // namespace

std::optional<RunOptions> parse_options(int argc, char** argv) {
  const po::options_description options = make_options();
  po::positional_options_description positional;
  positional.add("image", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(options).positional(positional).run(), vm);
    if (vm.count("config")) {
      const std::string path = vm["config"].as<std::string>();
      std::ifstream in(path);
      if (!in) fail("--config: cannot open '{}'", path);
      po::store(po::parse_config_file(in, options), vm);
    }
    po::notify(vm);
  } catch (const po::error& e) {
    fail("{}", e.what());
  }
  if (vm.count("help")) {
    std::cout << "usage: tern [options] [disk-image]\n\n" << options << "\nExit codes: see docs/exit-codes.md\n";
    return std::nullopt;
  }
  if (vm.count("version")) {
    std::cout << kVersion << "\n";
    return std::nullopt;
  }

  RunOptions r;
  MachineConfig& m = r.machine;
  m.ram_bytes = parse_memory_size(vm["memory"].as<std::string>());
  m.bios = get(vm, "bios");
  m.vga_bios = get(vm, "vga-bios");
  m.kernel = get(vm, "kernel");
  m.initrd = get(vm, "initrd");
  m.append = get(vm, "append");
  m.hda = get(vm, "hda");
  if (vm.count("image")) {
    if (!m.hda.empty()) fail("both --hda and a disk image argument were given");
    m.hda = get(vm, "image");
  }
  m.hdb = get(vm, "hdb");
  m.cdrom = get(vm, "cdrom");
  m.fda = get(vm, "fda");
  m.boot_order = get(vm, "boot");
  if (m.boot_order.empty() || m.boot_order.find_first_not_of("acdn") != std::string::npos)
    fail("--boot: expected letters among a, c, d, n (got '{}')", m.boot_order);
  m.serial = get(vm, "serial");
  m.debugcon = get(vm, "debugcon");
  m.engine = parse_engine(get(vm, "engine"));
  m.jit_verify = vm["jit-verify"].as<bool>();
  m.jit_perf_map = vm["jit-perf-map"].as<bool>();
  m.clock = parse_clock(get(vm, "clock"));
  r.clock_given = !vm["clock"].defaulted();
  m.instructions_per_second = vm["ips"].as<u64>();
  if (m.instructions_per_second < 1'000'000) fail("--ips: at least 1000000");
  m.no_reboot = vm["no-reboot"].as<bool>();
  m.snapshot = vm["snapshot"].as<bool>();
  m.rtc_start_epoch = parse_rtc_base(get(vm, "rtc-base"));
  if (!m.initrd.empty() && m.kernel.empty()) fail("--initrd needs --kernel");
  r.headless = vm["headless"].as<bool>();
  r.timeout_seconds = vm["timeout"].as<double>();
  if (r.timeout_seconds < 0) fail("--timeout: must not be negative");
  r.log = get(vm, "log");
  r.stats = vm["stats"].as<bool>();
  const double guest_timeout = vm["guest-timeout"].as<double>();
  if (!(guest_timeout >= 0) || guest_timeout > 1e9) fail("--guest-timeout: must be a number of seconds, not negative");
  r.script.guest_timeout_ns = static_cast<u64>(guest_timeout * 1e9);
  r.script.until_serial = get(vm, "until-serial");
  if (vm.count("until-serial") && r.script.until_serial.empty()) fail("--until-serial: the text must not be empty");
  if (vm.count("send-keys"))
    for (const std::string& keys : vm["send-keys"].as<std::vector<std::string>>()) r.script.keys.push_back(parse_send_keys(keys));
  parse_state_options(vm, r);
  if (vm.count("screenshot")) parse_screenshot_option(get(vm, "screenshot"), r.screen);
  if (vm.count("screenshot-every")) parse_screenshot_every_option(get(vm, "screenshot-every"), r.screen);
  if (vm.count("dump-text")) parse_dump_text_option(get(vm, "dump-text"), r.screen);
  return r;
}

}  // namespace tern

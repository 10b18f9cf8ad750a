// The "machine" section of a save state: the configuration that defines the machine (RAM, the
// kernel command line, boot order, the files it was built from) and, for every file, its size
// and a hash of its contents. A state resumes only on a machine with the same configuration and
// the very same disk, firmware and kernel contents.
//
// Why contents and not modification times: the hash is what is actually needed (the bytes the
// guest saw are still there), it survives copying the state and its images to another host
// (a copy gets a new mtime), and it catches a change that keeps the mtime (touch -r, rsync,
// coarse timestamps). The price is one read of each image per save and per load.
#pragma once

#include <string>
#include <vector>

#include "base/types.h"
#include "machine/config.h"

namespace tern {

class StateIo;
class StateReader;

struct StateHeader {
  // One file the machine was built from: its role ("--hda", "system ROM"), path as configured,
  // size and content hash when saved.
  struct Image {
    std::string role;
    std::string path;
    u64 size = 0;
    u64 hash = 0;
    void serialize(StateIo& io);
  };

  // The machine-defining part of the configuration (host-side choices such as the engine, the
  // clock mode or where COM1 goes are not part of a state).
  MachineConfig config;
  std::vector<Image> images;
  std::string saved_by;  // "tern jit": the engine that saved it, for messages only

  // Describes a configured machine, hashing every file it uses.
  static StateHeader describe(const MachineConfig& config, const std::string& saved_by);
  // Reads the "machine" section of a validated state file.
  static StateHeader read(const StateReader& reader);

  void serialize(StateIo& io);

  // `host` with the machine-defining fields replaced by the state's.
  MachineConfig machine_config(MachineConfig host) const;
  // Throws Error naming the first difference between the state's machine and `running`.
  void check_same_machine(const MachineConfig& running) const;
  // Throws Error when an image is missing or its contents changed since the save.
  void check_images() const;
};

// The files a configuration builds the machine from, as (role, path), in a fixed order.
std::vector<std::pair<std::string, std::string>> machine_image_files(const MachineConfig& config);

}  // namespace tern

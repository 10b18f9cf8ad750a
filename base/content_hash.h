// A fast 64-bit hash of file contents: how a save state recognises the disk and firmware images
// it was saved with. Not cryptographic; it detects changes, not deliberate collisions.
#pragma once

#include <string>

#include "base/types.h"

namespace tern {

// Hash of `size` bytes; `seed` lets a caller hash in pieces (pass the previous result).
u64 content_hash(const void* data, size_t size, u64 seed = 0);

// Hash of a whole file's contents, read in large pieces; throws Error when it cannot be read.
// `what` names the file in the message ("--hda").
u64 file_content_hash(const std::string& path, const std::string& what);

}  // namespace tern

// A small ACPI Machine Language encoder: just the terms tern's DSDT uses (names, integers,
// packages, scopes, devices, EISA IDs). Each function returns the encoded bytes of one term.
//
// ACPI 6.x §20.2 (AML grammar): NameString, PkgLength, DefScope, DefDevice, DefName,
// DefPackage, integer constants; §6.1.5 (_HID EISA ID encoding).
#pragma once

#include <string>
#include <vector>

#include "base/types.h"

namespace tern::aml {

using Bytes = std::vector<u8>;

// A name path such as "\\_SB_.PCI0", "PCI0" or "_S5_" (segments padded with '_' to 4 chars).
Bytes name_string(const std::string& path);
// The PkgLength encoding of a package whose contents (after the PkgLength) are `length` bytes.
Bytes pkg_length(size_t length);
// Zero, One, Ones, or the smallest BytePrefix/WordPrefix/DWordPrefix/QWordPrefix constant.
Bytes integer(u64 value);
// EISA ID like "PNP0A03" as the DWordConst _HID takes.
Bytes eisa_id(const std::string& id);
// Name(name, value) where `value` is an encoded data object.
Bytes name(const std::string& name, const Bytes& value);
// Package() { elements... } of encoded data objects.
Bytes package(const std::vector<Bytes>& elements);
Bytes scope(const std::string& name, const Bytes& body);
Bytes device(const std::string& name, const Bytes& body);

Bytes concat(const std::vector<Bytes>& parts);
// A string constant.
Bytes string(const std::string& text);
// Buffer() { bytes }.
Bytes buffer(const Bytes& bytes);

// Resource descriptors (ACPI §6.4.2, small items) for a ResourceTemplate.
Bytes io_port(u16 base, u8 length);    // IO (Decode16, base, base, 1, length)
Bytes irq_no_flags(unsigned irq);      // IRQNoFlags () {irq}
Bytes dma_channel(unsigned channel);   // DMA (Compatibility, NotBusMaster, Transfer8) {channel}
// Address space descriptors a host bridge produces (ACPI §6.4.3.5; ResourceProducer,
// MinFixed, MaxFixed, PosDecode): bus numbers, an I/O window, a memory window.
Bytes word_bus_number(u16 min, u16 max);
Bytes word_io(u16 min, u16 max);
Bytes dword_memory(u32 min, u32 max, bool cacheable);
// ResourceTemplate () { descriptors } with its end tag.
Bytes resource_template(const std::vector<Bytes>& descriptors);

}  // namespace tern::aml

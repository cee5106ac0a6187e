// Names a kernel from its address for error messages: looks the address up in the executable's own
// ELF symbol table (executables export no dynamic symbols, so dladdr cannot) and demangles it.
#pragma once
#include <cxxabi.h>
#include <elf.h>
#include <link.h>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace cuda_cpu::detail {

inline std::string kernel_name(const void* address) {
  char fallback[32];
  std::snprintf(fallback, sizeof fallback, "%p", address);
  uintptr_t load_base = 0;  // the first object dl_iterate_phdr reports is the executable
  dl_iterate_phdr([](dl_phdr_info* info, size_t, void* base) { *static_cast<uintptr_t*>(base) = info->dlpi_addr; return 1; }, &load_base);
  std::ifstream in("/proc/self/exe", std::ios::binary);
  std::vector<char> elf((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (elf.size() < sizeof(ElfW(Ehdr))) return fallback;
  const auto* eh = reinterpret_cast<const ElfW(Ehdr)*>(elf.data());
  if (eh->e_shoff + size_t(eh->e_shnum) * sizeof(ElfW(Shdr)) > elf.size()) return fallback;
  const auto* sections = reinterpret_cast<const ElfW(Shdr)*>(elf.data() + eh->e_shoff);
  const uintptr_t target = reinterpret_cast<uintptr_t>(address) - load_base;
  for (unsigned s = 0; s < eh->e_shnum; ++s) {
    if (sections[s].sh_type != SHT_SYMTAB || sections[s].sh_link >= eh->e_shnum) continue;
    const ElfW(Shdr)& strtab = sections[sections[s].sh_link];
    if (sections[s].sh_offset + sections[s].sh_size > elf.size() || strtab.sh_offset + strtab.sh_size > elf.size()) continue;
    const auto* syms = reinterpret_cast<const ElfW(Sym)*>(elf.data() + sections[s].sh_offset);
    for (size_t i = 0; i < sections[s].sh_size / sizeof(ElfW(Sym)); ++i) {
      if ((syms[i].st_info & 0xF) != STT_FUNC || syms[i].st_value != target || syms[i].st_name >= strtab.sh_size) continue;
      const char* mangled = elf.data() + strtab.sh_offset + syms[i].st_name;
      int status = 0;
      char* demangled = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
      std::string name = status == 0 && demangled ? demangled : mangled;
      std::free(demangled);
      return name;
    }
  }
  return fallback;
}

}  // namespace cuda_cpu::detail

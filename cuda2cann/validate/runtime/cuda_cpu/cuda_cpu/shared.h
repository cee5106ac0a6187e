// Shared memory. The harness rewrites `__shared__ T name[dims];` into
// `auto& name = *cuda_cpu::block_shared<T[dims]>(ID);` and `extern __shared__ T name[];` into
// `T* name = cuda_cpu::dynamic_shared<T>();`. Each OS thread owns an arena that serves the block it is
// running: one object per (declaration, type) and block, created by the first thread that reaches
// the declaration, and the dynamic area sized by the launch. New storage is filled with 0xFF bytes
// (NaN for floats, -1 for integers), because CUDA shared memory starts uninitialised. Storage is
// 64-byte aligned, so alignas() requests up to a cache line hold even where a rewrite dropped them.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>
#include "cuda_cpu/context.h"

namespace cuda_cpu::detail {

constexpr unsigned char kGarbageByte = 0xFF;
constexpr size_t kSharedAlign = 64;

// A distinct address per type, so one declaration in a template keeps one object per instantiation.
template <class T>
struct TypeKey {
  static constexpr char key = 0;
};

class SharedArena {
 public:
  SharedArena() = default;
  SharedArena(const SharedArena&) = delete;
  SharedArena& operator=(const SharedArena&) = delete;
  ~SharedArena() {
    for (Entry& e : entries_) std::free(e.storage);
    std::free(dynamic_);
  }

  // Starts a new block: static objects become fresh on first touch, the dynamic area is refilled.
  void begin_block(size_t dynamic_bytes) {
    ++generation_;
    if (!dynamic_ || dynamic_bytes > dynamic_capacity_) {
      std::free(dynamic_);
      dynamic_capacity_ = dynamic_bytes < 16 ? 16 : dynamic_bytes;
      dynamic_ = allocate(kSharedAlign, dynamic_capacity_);
    }
    if (dynamic_bytes) std::memset(dynamic_, kGarbageByte, dynamic_bytes);
  }

  void* dynamic() const { return dynamic_; }

  void* object(int id, const void* type, size_t size, size_t align) {
    for (Entry& e : entries_)
      if (e.id == id && e.type == type) return fresh(e, size);
    entries_.push_back({id, type, allocate(align < kSharedAlign ? kSharedAlign : align, size), 0});
    return fresh(entries_.back(), size);
  }

 private:
  struct Entry {
    int id;
    const void* type;
    void* storage;
    unsigned long generation;  // the block that last touched it
  };

  void* fresh(Entry& e, size_t size) {
    if (e.generation != generation_) {
      std::memset(e.storage, kGarbageByte, size);
      e.generation = generation_;
    }
    return e.storage;
  }

  // Exactly `size` bytes, so that AddressSanitizer builds catch a kernel running past the end.
  static void* allocate(size_t align, size_t size) {
    void* p = nullptr;
    if (posix_memalign(&p, align, size) != 0) {
      std::fprintf(stderr, "cuda-cpu: error: cannot allocate %zu bytes of shared memory\n", size);
      std::abort();
    }
    return p;
  }

  std::vector<Entry> entries_;
  unsigned long generation_ = 0;
  void* dynamic_ = nullptr;
  size_t dynamic_capacity_ = 0;
};

inline SharedArena& current_arena() {
  if (!tls.shared) {
    std::fprintf(stderr, "cuda-cpu: error: shared memory used outside a kernel launch\n");
    std::abort();
  }
  return *tls.shared;
}

}  // namespace cuda_cpu::detail

namespace cuda_cpu {

// The block's instance of the __shared__ declaration numbered `id` (T may be an array type).
template <class T>
T* block_shared(int id) {
  return static_cast<T*>(detail::current_arena().object(id, &detail::TypeKey<T>::key, sizeof(T), alignof(T)));
}

// The block's dynamic shared memory (extern __shared__), 64-byte aligned.
template <class T>
T* dynamic_shared() {
  return static_cast<T*>(detail::current_arena().dynamic());
}

}  // namespace cuda_cpu

// The file protocol between the Python harness and the generated drivers (see protocol.py).
// Input : "C2CI" u32 n_launch, u64 launch[n]; u32 n_args; per arg: u8 kind (0 tensor: u64 bytes + data,
//         1 int: i64, 2 float: f64).  Output: "C2CO" u32 n; per tensor: u64 bytes + data.
#pragma once
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

namespace c2c {

[[noreturn]] inline void die(const std::string& msg) {
  std::fprintf(stderr, "cuda2cann driver: error: %s\n", msg.c_str());
  std::exit(2);
}

class Input {
 public:
  explicit Input(const char* path) {
    FILE* f = std::fopen(path, "rb");
    if (!f) die(std::string("cannot open input file ") + path);
    std::fseek(f, 0, SEEK_END);
    data_.resize(static_cast<size_t>(std::ftell(f)));
    std::fseek(f, 0, SEEK_SET);
    if (std::fread(data_.data(), 1, data_.size(), f) != data_.size()) die("short read of the input file");
    std::fclose(f);
    if (take(4) != "C2CI") die("input file has a bad magic number");
    uint32_t n = get<uint32_t>();
    for (uint32_t i = 0; i < n; ++i) launch_.push_back(get<uint64_t>());
    args_ = get<uint32_t>();
  }
  uint64_t launch(size_t i) const { return i < launch_.size() ? launch_[i] : die_launch(i); }
  uint32_t arg_count() const { return args_; }
  // Next tensor argument: its bytes are copied into memory from `alloc(bytes)`.
  template <class Alloc>
  void* tensor(uint64_t* bytes, Alloc&& alloc) {
    expect_kind(0);
    *bytes = get<uint64_t>();
    void* p = alloc(*bytes);
    if (*bytes) std::memcpy(p, raw(*bytes), *bytes);
    return p;
  }
  int64_t int_scalar() { expect_kind(1); return get<int64_t>(); }
  double float_scalar() { expect_kind(2); return get<double>(); }

 private:
  std::vector<char> data_;
  size_t pos_ = 0;
  std::vector<uint64_t> launch_;
  uint32_t args_ = 0;
  [[noreturn]] static uint64_t die_launch(size_t i) { die("missing launch value #" + std::to_string(i)); }
  const char* raw(size_t n) {
    if (pos_ + n > data_.size()) die("input file is truncated");
    const char* p = data_.data() + pos_;
    pos_ += n;
    return p;
  }
  std::string take(size_t n) { return std::string(raw(n), n); }
  template <class T> T get() { T v; std::memcpy(&v, raw(sizeof(T)), sizeof(T)); return v; }
  void expect_kind(uint8_t k) {
    uint8_t got = get<uint8_t>();
    if (got != k) die("argument kind mismatch between the spec and the driver");
  }
};

class Output {
 public:
  Output(const char* path, uint32_t n) : f_(std::fopen(path, "wb")) {
    if (!f_) die(std::string("cannot open output file ") + path);
    std::fwrite("C2CO", 1, 4, f_);
    std::fwrite(&n, sizeof n, 1, f_);
  }
  ~Output() { std::fclose(f_); }
  void tensor(const void* p, uint64_t bytes) {
    std::fwrite(&bytes, sizeof bytes, 1, f_);
    if (bytes) std::fwrite(p, 1, bytes, f_);
  }

 private:
  FILE* f_;
};

// Converts a harness value to the kernel's declared parameter type: pointers are reinterpreted
// (float* -> const float4*, float* -> GM_ADDR), scalars converted.
template <class P, class A>
P arg_cast(A a) {
  using D = std::decay_t<P>;
  if constexpr (std::is_pointer_v<D> && std::is_pointer_v<A>) {
    return reinterpret_cast<D>(const_cast<void*>(static_cast<const void*>(a)));
  } else {
    return static_cast<D>(a);
  }
}

}  // namespace c2c

// Execution contexts for fibers: an mmap'ed stack with a guard page, and a context switch.
// On x86-64 the switch is a dozen instructions (callee-saved registers, MXCSR and the x87 control
// word, then the stack pointer): no system call and no allocation per switch. Elsewhere, or with
// CUDA_CPU_USE_UCONTEXT defined, ucontext's swapcontext is used (correct, but it makes a sigprocmask
// system call per switch).
#pragma once
#include <sys/mman.h>
#include <unistd.h>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

#if !defined(__x86_64__) || defined(CUDA_CPU_USE_UCONTEXT)
#define CUDA_CPU_FIBER_UCONTEXT 1
#include <ucontext.h>
#endif
// AddressSanitizer must be told about stack switches, or it misjudges frames on fiber stacks.
#if defined(__SANITIZE_ADDRESS__)
#define CUDA_CPU_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CUDA_CPU_ASAN 1
#endif
#endif
#ifdef CUDA_CPU_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

namespace cuda_cpu::detail {

// A fiber's stack, with an inaccessible guard region below it: an overflow (even by a frame of up to
// kGuardBytes) faults instead of silently corrupting the stack mapped underneath.
class FiberStack {
 public:
  static constexpr size_t kGuardBytes = 64 * 1024;

  explicit FiberStack(size_t bytes) {
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    guard_ = (kGuardBytes + page - 1) / page * page;
    size_ = (bytes + page - 1) / page * page + guard_;
    void* p = mmap(nullptr, size_, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p != MAP_FAILED && mprotect(static_cast<char*>(p) + guard_, size_ - guard_, PROT_READ | PROT_WRITE) != 0) {
      munmap(p, size_);
      p = MAP_FAILED;
    }
    if (p == MAP_FAILED)
      throw std::runtime_error("cannot map a " + std::to_string(size_) +
                               "-byte fiber stack (lower CUDA_CPU_THREADS or CUDA_CPU_STACK_KB, or raise the memory limit)");
    base_ = static_cast<char*>(p);
  }
  FiberStack(FiberStack&& o) noexcept : base_(std::exchange(o.base_, nullptr)), size_(o.size_), guard_(o.guard_) {}
  FiberStack(const FiberStack&) = delete;
  FiberStack& operator=(const FiberStack&) = delete;
  FiberStack& operator=(FiberStack&&) = delete;
  ~FiberStack() {
    if (base_) munmap(base_, size_);
  }
  char* bottom() const { return base_ + guard_; }
  char* top() const { return base_ + size_; }
  size_t usable() const { return size_ - guard_; }

 private:
  char* base_;
  size_t size_, guard_;
};

// A reused stack still carries the poisoned redzones of frames that never returned (abandoned fibers).
inline void forget_frames(FiberStack& stack) {
#ifdef CUDA_CPU_ASAN
  ASAN_UNPOISON_MEMORY_REGION(stack.bottom(), stack.usable());
#else
  (void)stack;
#endif
}

#ifdef CUDA_CPU_FIBER_UCONTEXT

struct FiberContext {
  ucontext_t uc;
  const void* stack_bottom = nullptr;  // the stack this context runs on (for AddressSanitizer)
  size_t stack_size = 0;
};

// Prepares `c` to start running `entry` (which must never return) on `stack`.
inline void context_init(FiberContext& c, FiberStack& stack, void (*entry)()) {
  forget_frames(stack);
  getcontext(&c.uc);
  c.uc.uc_stack.ss_sp = stack.bottom();
  c.uc.uc_stack.ss_size = stack.usable();
  c.uc.uc_link = nullptr;
  makecontext(&c.uc, entry, 0);
  c.stack_bottom = stack.bottom();
  c.stack_size = stack.usable();
}

inline void raw_switch(FiberContext& from, FiberContext& to) { swapcontext(&from.uc, &to.uc); }

#else

struct FiberContext {
  void* sp = nullptr;  // stack pointer of the suspended context, pointing at its saved registers
  const void* stack_bottom = nullptr;  // the stack this context runs on (for AddressSanitizer)
  size_t stack_size = 0;
};

// cuda_cpu_switch(save, load): pushes the callee-saved state, stores the stack pointer in *save,
// loads `load` and pops that context's state. Weak, so that several translation units may hold it.
extern "C" void cuda_cpu_switch(void** save, void* load);
asm(R"(
  .pushsection .text
  .weak cuda_cpu_switch
  .type cuda_cpu_switch, @function
cuda_cpu_switch:
  .cfi_startproc
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  subq $8, %rsp
  stmxcsr (%rsp)
  fnstcw 4(%rsp)
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  ldmxcsr (%rsp)
  fldcw 4(%rsp)
  addq $8, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .cfi_endproc
  .size cuda_cpu_switch, .-cuda_cpu_switch
  .popsection
)");

// The first switch into a fresh context "returns" into `entry` with the stack aligned as after a
// call; the null return address above it ends backtraces (entry never returns).
inline void context_init(FiberContext& c, FiberStack& stack, void (*entry)()) {
  forget_frames(stack);
  auto top = reinterpret_cast<uintptr_t>(stack.top()) & ~uintptr_t(15);
  auto* frame = reinterpret_cast<uint64_t*>(top) - 9;
  uint32_t mxcsr;
  uint16_t fpucw;
  asm volatile("stmxcsr %0\n\tfnstcw %1" : "=m"(mxcsr), "=m"(fpucw));
  frame[0] = mxcsr | (uint64_t(fpucw) << 32);
  for (int i = 1; i <= 6; ++i) frame[i] = 0;  // r15 r14 r13 r12 rbx rbp
  frame[7] = reinterpret_cast<uint64_t>(entry);
  frame[8] = 0;
  c.sp = frame;
  c.stack_bottom = stack.bottom();
  c.stack_size = stack.usable();
}

inline void raw_switch(FiberContext& from, FiberContext& to) { cuda_cpu_switch(&from.sp, to.sp); }

#endif

// Suspends `from` and resumes `to`; `finished` when `from` will never be resumed.
inline void context_switch(FiberContext& from, FiberContext& to, bool finished = false) {
#ifdef CUDA_CPU_ASAN
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(finished ? nullptr : &fake_stack, to.stack_bottom, to.stack_size);
  raw_switch(from, to);
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
#else
  (void)finished;
  raw_switch(from, to);
#endif
}

// The first thing a new context does: completes the switch into it and learns the stack of `origin`,
// the context that switched to it.
inline void context_started(FiberContext& origin) {
#ifdef CUDA_CPU_ASAN
  __sanitizer_finish_switch_fiber(nullptr, &origin.stack_bottom, &origin.stack_size);
#else
  (void)origin;
#endif
}

}  // namespace cuda_cpu::detail

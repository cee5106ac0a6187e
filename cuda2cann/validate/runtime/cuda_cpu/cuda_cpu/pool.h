// The OS threads that execute blocks. Size: CUDA_CPU_THREADS, default the hardware concurrency; the
// launching thread is one of them, so CUDA_CPU_THREADS=1 runs every block on it, in order.
#pragma once
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace cuda_cpu::detail {

class WorkerPool {
 public:
  using Job = void (*)(void*);

  static WorkerPool& instance() {
    static WorkerPool pool(configured_threads());
    return pool;
  }

  unsigned size() const { return static_cast<unsigned>(helpers_.size()) + 1; }

  // Runs job(arg) on `threads` threads (the caller included) and returns when all have finished.
  void run(unsigned threads, Job job, void* arg) {
    std::lock_guard<std::mutex> one_launch_at_a_time(run_mutex_);
    std::unique_lock<std::mutex> lock(mutex_);
    job_ = job;
    arg_ = arg;
    wanted_ = threads > size() ? size() - 1 : threads - 1;
    busy_ = wanted_;
    ++generation_;
    lock.unlock();
    wake_.notify_all();
    job(arg);
    lock.lock();
    done_.wait(lock, [&] { return busy_ == 0; });
  }

  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : helpers_) t.join();
  }

 private:
  explicit WorkerPool(unsigned threads) {
    for (unsigned i = 1; i < threads; ++i) helpers_.emplace_back([this, i] { serve(i); });
  }

  static unsigned configured_threads() {
    const char* env = std::getenv("CUDA_CPU_THREADS");
    long n = env ? std::strtol(env, nullptr, 10) : 0;
    if (n <= 0) n = static_cast<long>(std::thread::hardware_concurrency());
    return n > 0 ? static_cast<unsigned>(n) : 1u;
  }

  void serve(unsigned index) {
    unsigned long seen = 0;
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      if (index > wanted_) continue;
      Job job = job_;
      void* arg = arg_;
      lock.unlock();
      job(arg);
      lock.lock();
      if (--busy_ == 0) done_.notify_one();
    }
  }

  std::vector<std::thread> helpers_;
  std::mutex run_mutex_, mutex_;
  std::condition_variable wake_, done_;
  Job job_ = nullptr;
  void* arg_ = nullptr;
  unsigned wanted_ = 0, busy_ = 0;
  unsigned long generation_ = 0;
  bool stop_ = false;
};

}  // namespace cuda_cpu::detail

// AscendC port of softmax_rows (softmax_rows.cu:8-41): y[r, :] = exp(x[r, :] - max) / sum(exp(x[r, :] - max)).
// Rows are split into contiguous per-core ranges. A whole row (cols <= MAX_COLS) is loaded with
// DataCopyPad (double buffered) and handled in one pass: ReduceMax, Adds(-max), Exp, ReduceSum,
// Muls(1 / sum). The two reductions are read back as scalars after a V->S event.
// UB: 2 x 16 KiB in + 2 x 16 KiB out + 512 B work + 32 B result = 64.5 KiB.
#include "kernel_operator.h"

namespace {
constexpr int32_t BUFFER_NUM = 2;
constexpr uint32_t MAX_COLS = 4096;
// ReduceMax (no index) needs 2 fp32 per 256-byte repeat, ReduceSum 1: 2 * 64 repeats suffices for both.
constexpr uint32_t WORK_ELEMS = 2 * MAX_COLS / 64;
constexpr uint32_t RESULT_ELEMS = 8;  // ReduceMax stores value and index: keep a 32-byte block

class KernelSoftmaxRows {
 public:
  __aicore__ inline void Init(GM_ADDR x, GM_ADDR y, uint32_t rows, uint32_t cols) {
    cols_ = cols;
    uint32_t blocks = static_cast<uint32_t>(AscendC::GetBlockNum());
    uint32_t perCore = (rows + blocks - 1) / blocks;
    uint32_t firstRow = perCore * static_cast<uint32_t>(AscendC::GetBlockIdx());
    rowCount_ = firstRow < rows ? (rows - firstRow < perCore ? rows - firstRow : perCore) : 0;
    uint64_t base = static_cast<uint64_t>(firstRow) * cols;
    xGm_.SetGlobalBuffer(reinterpret_cast<__gm__ float*>(x) + base, static_cast<uint64_t>(rowCount_) * cols);
    yGm_.SetGlobalBuffer(reinterpret_cast<__gm__ float*>(y) + base, static_cast<uint64_t>(rowCount_) * cols);
    pipe_.InitBuffer(inX_, BUFFER_NUM, MAX_COLS * sizeof(float));
    pipe_.InitBuffer(outY_, BUFFER_NUM, MAX_COLS * sizeof(float));
    pipe_.InitBuffer(work_, WORK_ELEMS * sizeof(float));
    pipe_.InitBuffer(result_, RESULT_ELEMS * sizeof(float));
  }

  __aicore__ inline void Process() {
    for (uint32_t r = 0; r < rowCount_; ++r) {
      uint64_t offset = static_cast<uint64_t>(r) * cols_;
      CopyIn(offset);
      Compute();
      CopyOut(offset);
    }
  }

 private:
  __aicore__ inline void CopyIn(uint64_t offset) {
    AscendC::LocalTensor<float> xLocal = inX_.AllocTensor<float>();
    AscendC::DataCopyExtParams params{1, static_cast<uint32_t>(cols_ * sizeof(float)), 0, 0, 0};
    AscendC::DataCopyPadExtParams<float> pad{false, 0, 0, 0.0f};
    AscendC::DataCopyPad(xLocal, xGm_[offset], params, pad);
    inX_.EnQue(xLocal);
  }

  __aicore__ inline float ReadResult(const AscendC::LocalTensor<float>& result) {
    event_t vToS = static_cast<event_t>(pipe_.FetchEventID(AscendC::HardEvent::V_S));
    AscendC::SetFlag<AscendC::HardEvent::V_S>(vToS);
    AscendC::WaitFlag<AscendC::HardEvent::V_S>(vToS);
    return result.GetValue(0);
  }

  __aicore__ inline void Compute() {
    int32_t n = static_cast<int32_t>(cols_);
    AscendC::LocalTensor<float> xLocal = inX_.DeQue<float>();
    AscendC::LocalTensor<float> yLocal = outY_.AllocTensor<float>();
    AscendC::LocalTensor<float> work = work_.Get<float>();
    AscendC::LocalTensor<float> result = result_.Get<float>();
    AscendC::ReduceMax(result, xLocal, work, n);
    float rowMax = ReadResult(result);
    AscendC::Adds(yLocal, xLocal, -rowMax, n);
    AscendC::Exp(yLocal, yLocal, n);
    AscendC::ReduceSum(result, yLocal, work, n);
    float inv = 1.0f / ReadResult(result);
    AscendC::Muls(yLocal, yLocal, inv, n);
    outY_.EnQue(yLocal);
    inX_.FreeTensor(xLocal);
  }

  __aicore__ inline void CopyOut(uint64_t offset) {
    AscendC::LocalTensor<float> yLocal = outY_.DeQue<float>();
    AscendC::DataCopyExtParams params{1, static_cast<uint32_t>(cols_ * sizeof(float)), 0, 0, 0};
    AscendC::DataCopyPad(yGm_[offset], yLocal, params);
    outY_.FreeTensor(yLocal);
  }

  AscendC::TPipe pipe_;
  AscendC::TQue<AscendC::QuePosition::VECIN, BUFFER_NUM> inX_;
  AscendC::TQue<AscendC::QuePosition::VECOUT, BUFFER_NUM> outY_;
  AscendC::TBuf<AscendC::QuePosition::VECCALC> work_, result_;
  AscendC::GlobalTensor<float> xGm_, yGm_;
  uint32_t cols_ = 0;
  uint32_t rowCount_ = 0;
};
}  // namespace

extern "C" __global__ __aicore__ void softmax_rows(GM_ADDR x, GM_ADDR y, uint32_t rows, uint32_t cols) {
  KernelSoftmaxRows op;
  op.Init(x, y, rows, cols);
  op.Process();
}

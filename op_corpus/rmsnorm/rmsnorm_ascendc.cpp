// AscendC port of rmsnorm (rmsnorm.cu:7-45): y[r, :] = x[r, :] * rsqrt(mean(x[r, :]^2) + eps) * gamma.
// Rows are split into contiguous per-core ranges; gamma is loaded once and kept in UB. Each row
// (cols <= MAX_COLS) is loaded whole with DataCopyPad (double buffered): Mul gives x^2, ReduceSum
// the sum of squares, and the 1-element vector ops Muls(1/cols), Adds(eps), Rsqrt turn it into the
// row's scale, read back as a scalar after a V->S event for Muls.
// UB: 16 KiB gamma + 2 x 16 KiB in + 2 x 16 KiB out + 16 KiB x^2 + 256 B work + 32 B scale = 96.3 KiB.
#include "kernel_operator.h"

namespace {
constexpr int32_t BUFFER_NUM = 2;
constexpr uint32_t MAX_COLS = 4096;
constexpr uint32_t WORK_ELEMS = MAX_COLS / 64;  // ReduceSum: one fp32 per 256-byte repeat
constexpr uint32_t SCALE_ELEMS = 8;              // one 32-byte block

class KernelRmsNorm {
 public:
  __aicore__ inline void Init(GM_ADDR x, GM_ADDR gamma, GM_ADDR y, uint32_t rows, uint32_t cols, float eps) {
    cols_ = cols;
    eps_ = eps;
    uint32_t blocks = static_cast<uint32_t>(AscendC::GetBlockNum());
    uint32_t perCore = (rows + blocks - 1) / blocks;
    uint32_t firstRow = perCore * static_cast<uint32_t>(AscendC::GetBlockIdx());
    rowCount_ = firstRow < rows ? (rows - firstRow < perCore ? rows - firstRow : perCore) : 0;
    uint64_t base = static_cast<uint64_t>(firstRow) * cols;
    xGm_.SetGlobalBuffer(reinterpret_cast<__gm__ float*>(x) + base, static_cast<uint64_t>(rowCount_) * cols);
    yGm_.SetGlobalBuffer(reinterpret_cast<__gm__ float*>(y) + base, static_cast<uint64_t>(rowCount_) * cols);
    gammaGm_.SetGlobalBuffer(reinterpret_cast<__gm__ float*>(gamma), cols);
    pipe_.InitBuffer(inGamma_, 1, MAX_COLS * sizeof(float));
    pipe_.InitBuffer(inX_, BUFFER_NUM, MAX_COLS * sizeof(float));
    pipe_.InitBuffer(outY_, BUFFER_NUM, MAX_COLS * sizeof(float));
    pipe_.InitBuffer(squares_, MAX_COLS * sizeof(float));
    pipe_.InitBuffer(work_, WORK_ELEMS * sizeof(float));
    pipe_.InitBuffer(scale_, SCALE_ELEMS * sizeof(float));
  }

  __aicore__ inline void Process() {
    if (rowCount_ == 0) {
      return;
    }
    CopyInRow(inGamma_, gammaGm_, 0);
    AscendC::LocalTensor<float> gammaLocal = inGamma_.DeQue<float>();
    for (uint32_t r = 0; r < rowCount_; ++r) {
      uint64_t offset = static_cast<uint64_t>(r) * cols_;
      CopyInRow(inX_, xGm_, offset);
      Compute(gammaLocal);
      CopyOut(offset);
    }
    inGamma_.FreeTensor(gammaLocal);
  }

 private:
  template <typename Queue>
  __aicore__ inline void CopyInRow(Queue& queue, const AscendC::GlobalTensor<float>& src, uint64_t offset) {
    AscendC::LocalTensor<float> local = queue.template AllocTensor<float>();
    AscendC::DataCopyExtParams params{1, static_cast<uint32_t>(cols_ * sizeof(float)), 0, 0, 0};
    AscendC::DataCopyPadExtParams<float> pad{false, 0, 0, 0.0f};
    AscendC::DataCopyPad(local, src[offset], params, pad);
    queue.EnQue(local);
  }

  __aicore__ inline void Compute(const AscendC::LocalTensor<float>& gammaLocal) {
    int32_t n = static_cast<int32_t>(cols_);
    AscendC::LocalTensor<float> xLocal = inX_.DeQue<float>();
    AscendC::LocalTensor<float> yLocal = outY_.AllocTensor<float>();
    AscendC::LocalTensor<float> squares = squares_.Get<float>();
    AscendC::LocalTensor<float> scale = scale_.Get<float>();
    AscendC::Mul(squares, xLocal, xLocal, n);
    AscendC::ReduceSum(scale, squares, work_.Get<float>(), n);
    AscendC::Muls(scale, scale, 1.0f / static_cast<float>(cols_), 1);
    AscendC::Adds(scale, scale, eps_, 1);
    AscendC::Rsqrt(scale, scale, 1);
    event_t vToS = static_cast<event_t>(pipe_.FetchEventID(AscendC::HardEvent::V_S));
    AscendC::SetFlag<AscendC::HardEvent::V_S>(vToS);
    AscendC::WaitFlag<AscendC::HardEvent::V_S>(vToS);
    float inv = scale.GetValue(0);
    AscendC::Muls(yLocal, xLocal, inv, n);
    AscendC::Mul(yLocal, yLocal, gammaLocal, n);
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
  AscendC::TQue<AscendC::QuePosition::VECIN, 1> inGamma_;
  AscendC::TQue<AscendC::QuePosition::VECIN, BUFFER_NUM> inX_;
  AscendC::TQue<AscendC::QuePosition::VECOUT, BUFFER_NUM> outY_;
  AscendC::TBuf<AscendC::QuePosition::VECCALC> squares_, work_, scale_;
  AscendC::GlobalTensor<float> xGm_, yGm_, gammaGm_;
  uint32_t cols_ = 0;
  float eps_ = 0.0f;
  uint32_t rowCount_ = 0;
};
}  // namespace

extern "C" __global__ __aicore__ void rmsnorm(GM_ADDR x, GM_ADDR gamma, GM_ADDR y, uint32_t rows, uint32_t cols,
                                              float eps) {
  KernelRmsNorm op;
  op.Init(x, gamma, y, rows, cols, eps);
  op.Process();
}

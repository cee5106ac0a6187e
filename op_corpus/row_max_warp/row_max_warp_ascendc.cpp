// AscendC port of row_max_warp (row_max_warp.cu:7-22): out[r] = max of row r of a [rows, cols] fp32 matrix.
// Rows are split into contiguous per-core ranges; each row (cols <= MAX_COLS) is loaded whole with
// DataCopyPad (double buffered) and ReduceMax writes its maximum into a 32-byte slot of an output
// batch (ReduceMax stores value and index, so slots are kept 32-byte aligned). One strided
// DataCopyPad per batch gathers the first fp32 of every slot into consecutive GM addresses.
// UB: 2 x 16 KiB in + 2 x 2 KiB out batch + 512 B work = 36.5 KiB.
#include "kernel_operator.h"

namespace {
constexpr int32_t BUFFER_NUM = 2;
constexpr uint32_t MAX_COLS = 4096;
constexpr uint32_t ROW_BATCH = 64;
constexpr uint32_t SLOT_ELEMS = 8;  // one 32-byte block per row result
// ReduceMax work space without index: 2 fp32 per 256-byte repeat (64 repeats), 32-byte aligned.
constexpr uint32_t WORK_ELEMS = 2 * MAX_COLS / 64;

class KernelRowMax {
 public:
  __aicore__ inline void Init(GM_ADDR x, GM_ADDR out, uint32_t rows, uint32_t cols) {
    cols_ = cols;
    uint32_t blocks = static_cast<uint32_t>(AscendC::GetBlockNum());
    uint32_t perCore = (rows + blocks - 1) / blocks;
    uint32_t firstRow = perCore * static_cast<uint32_t>(AscendC::GetBlockIdx());
    rowCount_ = firstRow < rows ? (rows - firstRow < perCore ? rows - firstRow : perCore) : 0;
    xGm_.SetGlobalBuffer(reinterpret_cast<__gm__ float*>(x) + static_cast<uint64_t>(firstRow) * cols,
                         static_cast<uint64_t>(rowCount_) * cols);
    outGm_.SetGlobalBuffer(reinterpret_cast<__gm__ float*>(out) + firstRow, rowCount_);
    pipe_.InitBuffer(inX_, BUFFER_NUM, MAX_COLS * sizeof(float));
    pipe_.InitBuffer(outMax_, BUFFER_NUM, ROW_BATCH * SLOT_ELEMS * sizeof(float));
    pipe_.InitBuffer(work_, WORK_ELEMS * sizeof(float));
  }

  __aicore__ inline void Process() {
    for (uint32_t batchStart = 0; batchStart < rowCount_; batchStart += ROW_BATCH) {
      uint32_t batch = rowCount_ - batchStart < ROW_BATCH ? rowCount_ - batchStart : ROW_BATCH;
      AscendC::LocalTensor<float> maxima = outMax_.AllocTensor<float>();
      for (uint32_t r = 0; r < batch; ++r) {
        CopyIn(batchStart + r);
        Compute(maxima, r);
      }
      outMax_.EnQue(maxima);
      CopyOut(batchStart, batch);
    }
  }

 private:
  __aicore__ inline void CopyIn(uint32_t row) {
    AscendC::LocalTensor<float> xLocal = inX_.AllocTensor<float>();
    AscendC::DataCopyExtParams params{1, static_cast<uint32_t>(cols_ * sizeof(float)), 0, 0, 0};
    AscendC::DataCopyPadExtParams<float> pad{false, 0, 0, 0.0f};
    AscendC::DataCopyPad(xLocal, xGm_[static_cast<uint64_t>(row) * cols_], params, pad);
    inX_.EnQue(xLocal);
  }

  __aicore__ inline void Compute(AscendC::LocalTensor<float>& maxima, uint32_t slot) {
    AscendC::LocalTensor<float> xLocal = inX_.DeQue<float>();
    AscendC::ReduceMax(maxima[slot * SLOT_ELEMS], xLocal, work_.Get<float>(), static_cast<int32_t>(cols_));
    inX_.FreeTensor(xLocal);
  }

  // batch blocks of 4 bytes; in UB each block starts on its own 32-byte boundary (srcStride 0
  // blocks), in GM they are contiguous (dstStride 0 bytes).
  __aicore__ inline void CopyOut(uint32_t batchStart, uint32_t batch) {
    AscendC::LocalTensor<float> maxima = outMax_.DeQue<float>();
    AscendC::DataCopyExtParams params{static_cast<uint16_t>(batch), static_cast<uint32_t>(sizeof(float)), 0, 0, 0};
    AscendC::DataCopyPad(outGm_[batchStart], maxima, params);
    outMax_.FreeTensor(maxima);
  }

  AscendC::TPipe pipe_;
  AscendC::TQue<AscendC::QuePosition::VECIN, BUFFER_NUM> inX_;
  AscendC::TQue<AscendC::QuePosition::VECOUT, BUFFER_NUM> outMax_;
  AscendC::TBuf<AscendC::QuePosition::VECCALC> work_;
  AscendC::GlobalTensor<float> xGm_, outGm_;
  uint32_t cols_ = 0;
  uint32_t rowCount_ = 0;
};
}  // namespace

extern "C" __global__ __aicore__ void row_max_warp(GM_ADDR x, GM_ADDR out, uint32_t rows, uint32_t cols) {
  KernelRowMax op;
  op.Init(x, out, rows, cols);
  op.Process();
}

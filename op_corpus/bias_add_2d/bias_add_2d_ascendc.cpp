// AscendC port of bias_add_2d (bias_add_2d.cu:5-13): y[r, c] = x[r, c] + bias[c].
// Rows are split into contiguous per-core ranges. The bias row is loaded once and kept in UB.
// Rows move in blocks of up to TILE_ELEMS / colsAligned rows: one multi-block DataCopyPad per
// direction, each row padded to a 32-byte boundary in UB (colsAligned = cols rounded up to 8), so
// every row's Add starts 32-byte aligned. Tiles are double buffered.
// UB: 2 x 16 KiB in + 2 x 16 KiB out + 16 KiB bias = 80 KiB.
#include "kernel_operator.h"

namespace {
constexpr int32_t BUFFER_NUM = 2;
constexpr uint32_t TILE_ELEMS = 4096;
constexpr uint32_t MAX_COLS = TILE_ELEMS;
constexpr uint32_t ALIGN_ELEMS = 8;  // 32 bytes of fp32

class KernelBiasAdd2d {
 public:
  __aicore__ inline void Init(GM_ADDR x, GM_ADDR bias, GM_ADDR y, uint32_t rows, uint32_t cols) {
    cols_ = cols;
    colsAligned_ = (cols + ALIGN_ELEMS - 1) / ALIGN_ELEMS * ALIGN_ELEMS;
    rowsPerTile_ = TILE_ELEMS / colsAligned_;
    uint32_t blocks = static_cast<uint32_t>(AscendC::GetBlockNum());
    uint32_t perCore = (rows + blocks - 1) / blocks;
    uint32_t firstRow = perCore * static_cast<uint32_t>(AscendC::GetBlockIdx());
    rowCount_ = firstRow < rows ? (rows - firstRow < perCore ? rows - firstRow : perCore) : 0;
    uint64_t base = static_cast<uint64_t>(firstRow) * cols;
    xGm_.SetGlobalBuffer(reinterpret_cast<__gm__ float*>(x) + base, static_cast<uint64_t>(rowCount_) * cols);
    yGm_.SetGlobalBuffer(reinterpret_cast<__gm__ float*>(y) + base, static_cast<uint64_t>(rowCount_) * cols);
    biasGm_.SetGlobalBuffer(reinterpret_cast<__gm__ float*>(bias), cols);
    pipe_.InitBuffer(inBias_, 1, MAX_COLS * sizeof(float));
    pipe_.InitBuffer(inX_, BUFFER_NUM, TILE_ELEMS * sizeof(float));
    pipe_.InitBuffer(outY_, BUFFER_NUM, TILE_ELEMS * sizeof(float));
  }

  __aicore__ inline void Process() {
    if (rowCount_ == 0) {
      return;
    }
    LoadBias();
    AscendC::LocalTensor<float> biasLocal = inBias_.DeQue<float>();
    for (uint32_t r = 0; r < rowCount_; r += rowsPerTile_) {
      uint32_t nRows = rowCount_ - r < rowsPerTile_ ? rowCount_ - r : rowsPerTile_;
      CopyIn(r, nRows);
      Compute(biasLocal, nRows);
      CopyOut(r, nRows);
    }
    inBias_.FreeTensor(biasLocal);
  }

 private:
  __aicore__ inline void LoadBias() {
    AscendC::LocalTensor<float> biasLocal = inBias_.AllocTensor<float>();
    AscendC::DataCopyExtParams params{1, static_cast<uint32_t>(cols_ * sizeof(float)), 0, 0, 0};
    AscendC::DataCopyPadExtParams<float> pad{false, 0, 0, 0.0f};
    AscendC::DataCopyPad(biasLocal, biasGm_, params, pad);
    inBias_.EnQue(biasLocal);
  }

  // nRows blocks of cols floats: contiguous in GM (srcStride 0 bytes), each starting on a 32-byte
  // boundary in UB (dstStride 0 blocks).
  __aicore__ inline void CopyIn(uint32_t firstRow, uint32_t nRows) {
    AscendC::LocalTensor<float> xLocal = inX_.AllocTensor<float>();
    AscendC::DataCopyExtParams params{static_cast<uint16_t>(nRows), static_cast<uint32_t>(cols_ * sizeof(float)), 0, 0, 0};
    AscendC::DataCopyPadExtParams<float> pad{false, 0, 0, 0.0f};
    AscendC::DataCopyPad(xLocal, xGm_[static_cast<uint64_t>(firstRow) * cols_], params, pad);
    inX_.EnQue(xLocal);
  }

  __aicore__ inline void Compute(const AscendC::LocalTensor<float>& biasLocal, uint32_t nRows) {
    AscendC::LocalTensor<float> xLocal = inX_.DeQue<float>();
    AscendC::LocalTensor<float> yLocal = outY_.AllocTensor<float>();
    for (uint32_t r = 0; r < nRows; ++r) {
      AscendC::Add(yLocal[r * colsAligned_], xLocal[r * colsAligned_], biasLocal, static_cast<int32_t>(cols_));
    }
    outY_.EnQue(yLocal);
    inX_.FreeTensor(xLocal);
  }

  __aicore__ inline void CopyOut(uint32_t firstRow, uint32_t nRows) {
    AscendC::LocalTensor<float> yLocal = outY_.DeQue<float>();
    AscendC::DataCopyExtParams params{static_cast<uint16_t>(nRows), static_cast<uint32_t>(cols_ * sizeof(float)), 0, 0, 0};
    AscendC::DataCopyPad(yGm_[static_cast<uint64_t>(firstRow) * cols_], yLocal, params);
    outY_.FreeTensor(yLocal);
  }

  AscendC::TPipe pipe_;
  AscendC::TQue<AscendC::QuePosition::VECIN, 1> inBias_;
  AscendC::TQue<AscendC::QuePosition::VECIN, BUFFER_NUM> inX_;
  AscendC::TQue<AscendC::QuePosition::VECOUT, BUFFER_NUM> outY_;
  AscendC::GlobalTensor<float> xGm_, yGm_, biasGm_;
  uint32_t cols_ = 0;
  uint32_t colsAligned_ = 0;
  uint32_t rowsPerTile_ = 0;
  uint32_t rowCount_ = 0;
};
}  // namespace

extern "C" __global__ __aicore__ void bias_add_2d(GM_ADDR x, GM_ADDR bias, GM_ADDR y, uint32_t rows, uint32_t cols) {
  KernelBiasAdd2d op;
  op.Init(x, bias, y, rows, cols);
  op.Process();
}

// AscendC port of row_sum (row_sum.cu:6-28): out[r] = sum of row r of a [rows, cols] fp32 matrix.
// Rows are split into contiguous per-core ranges. A row is streamed through UB in chunks of up to
// CHUNK_ELEMS (double buffered, DataCopyPad for ragged chunk lengths); the chunks are added
// element-wise into an accumulator, which ReduceSum collapses into the row's slot of an output
// batch. A batch of up to ROW_BATCH sums goes back to GM with one DataCopyPad.
// UB: 2 x 8 KiB in + 8 KiB accumulator + 128 B work + 2 x 256 B out = 24.6 KiB.
#include "kernel_operator.h"

namespace {
constexpr int32_t BUFFER_NUM = 2;
constexpr uint32_t CHUNK_ELEMS = 2048;
constexpr uint32_t ROW_BATCH = 64;
constexpr uint32_t WORK_ELEMS = CHUNK_ELEMS / 64;  // ReduceSum: one fp32 per 256-byte repeat

class KernelRowSum {
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
    pipe_.InitBuffer(inX_, BUFFER_NUM, CHUNK_ELEMS * sizeof(float));
    pipe_.InitBuffer(outSum_, BUFFER_NUM, ROW_BATCH * sizeof(float));
    pipe_.InitBuffer(acc_, CHUNK_ELEMS * sizeof(float));
    pipe_.InitBuffer(work_, WORK_ELEMS * sizeof(float));
  }

  __aicore__ inline void Process() {
    for (uint32_t batchStart = 0; batchStart < rowCount_; batchStart += ROW_BATCH) {
      uint32_t batch = rowCount_ - batchStart < ROW_BATCH ? rowCount_ - batchStart : ROW_BATCH;
      AscendC::LocalTensor<float> sums = outSum_.AllocTensor<float>();
      for (uint32_t r = 0; r < batch; ++r) {
        SumRow(batchStart + r, sums, r);
      }
      outSum_.EnQue(sums);
      CopyOut(batchStart, batch);
    }
  }

 private:
  __aicore__ inline void SumRow(uint32_t row, AscendC::LocalTensor<float>& sums, uint32_t slot) {
    AscendC::LocalTensor<float> acc = acc_.Get<float>();
    uint32_t firstChunk = cols_ < CHUNK_ELEMS ? cols_ : CHUNK_ELEMS;
    AscendC::Duplicate(acc, 0.0f, static_cast<int32_t>(firstChunk));
    uint64_t rowBase = static_cast<uint64_t>(row) * cols_;
    for (uint32_t c = 0; c < cols_; c += CHUNK_ELEMS) {
      uint32_t count = cols_ - c < CHUNK_ELEMS ? cols_ - c : CHUNK_ELEMS;
      CopyIn(rowBase + c, count);
      AscendC::LocalTensor<float> xLocal = inX_.DeQue<float>();
      AscendC::Add(acc, acc, xLocal, static_cast<int32_t>(count));
      inX_.FreeTensor(xLocal);
    }
    AscendC::ReduceSum(sums[slot], acc, work_.Get<float>(), static_cast<int32_t>(firstChunk));
  }

  __aicore__ inline void CopyIn(uint64_t offset, uint32_t count) {
    AscendC::LocalTensor<float> xLocal = inX_.AllocTensor<float>();
    AscendC::DataCopyExtParams params{1, static_cast<uint32_t>(count * sizeof(float)), 0, 0, 0};
    AscendC::DataCopyPadExtParams<float> pad{false, 0, 0, 0.0f};
    AscendC::DataCopyPad(xLocal, xGm_[offset], params, pad);
    inX_.EnQue(xLocal);
  }

  __aicore__ inline void CopyOut(uint32_t batchStart, uint32_t batch) {
    AscendC::LocalTensor<float> sums = outSum_.DeQue<float>();
    AscendC::DataCopyExtParams params{1, static_cast<uint32_t>(batch * sizeof(float)), 0, 0, 0};
    AscendC::DataCopyPad(outGm_[batchStart], sums, params);
    outSum_.FreeTensor(sums);
  }

  AscendC::TPipe pipe_;
  AscendC::TQue<AscendC::QuePosition::VECIN, BUFFER_NUM> inX_;
  AscendC::TQue<AscendC::QuePosition::VECOUT, BUFFER_NUM> outSum_;
  AscendC::TBuf<AscendC::QuePosition::VECCALC> acc_, work_;
  AscendC::GlobalTensor<float> xGm_, outGm_;
  uint32_t cols_ = 0;
  uint32_t rowCount_ = 0;
};
}  // namespace

extern "C" __global__ __aicore__ void row_sum(GM_ADDR x, GM_ADDR out, uint32_t rows, uint32_t cols) {
  KernelRowSum op;
  op.Init(x, out, rows, cols);
  op.Process();
}

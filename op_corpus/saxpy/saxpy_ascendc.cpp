// AscendC port of saxpy (saxpy.cu:4-9): y = alpha * x + y.
// The host tiling (SaxpyTiling, passed as GM_ADDR tiling) gives the total length, the per-core
// length (a multiple of 8 elements, so every core starts on a 32-byte boundary), the tile length
// and alpha. Each core streams its range through UB with double buffering; DataCopyPad moves the
// ragged last tile.
#include "kernel_operator.h"

namespace {
constexpr int32_t BUFFER_NUM = 2;

struct SaxpyTiling {
  uint32_t totalLength;  // n
  uint32_t blockLength;  // elements per core, a multiple of 8
  uint32_t tileLength;   // elements per UB tile, a multiple of 8 (4096: 3 queues x 2 x 16 KiB = 96 KiB of UB)
  float alpha;
};

class KernelSaxpy {
 public:
  __aicore__ inline void Init(GM_ADDR x, GM_ADDR y, const SaxpyTiling& tiling) {
    alpha_ = tiling.alpha;
    tileLength_ = tiling.tileLength;
    uint32_t start = tiling.blockLength * static_cast<uint32_t>(AscendC::GetBlockIdx());
    uint32_t total = tiling.totalLength;
    length_ = start < total ? (total - start < tiling.blockLength ? total - start : tiling.blockLength) : 0;
    xGm_.SetGlobalBuffer(reinterpret_cast<__gm__ float*>(x) + start, length_);
    yGm_.SetGlobalBuffer(reinterpret_cast<__gm__ float*>(y) + start, length_);
    pipe_.InitBuffer(inX_, BUFFER_NUM, tileLength_ * sizeof(float));
    pipe_.InitBuffer(inY_, BUFFER_NUM, tileLength_ * sizeof(float));
    pipe_.InitBuffer(outY_, BUFFER_NUM, tileLength_ * sizeof(float));
  }

  __aicore__ inline void Process() {
    for (uint32_t offset = 0; offset < length_; offset += tileLength_) {
      uint32_t count = length_ - offset < tileLength_ ? length_ - offset : tileLength_;
      CopyIn(offset, count);
      Compute(count);
      CopyOut(offset, count);
    }
  }

 private:
  __aicore__ inline void CopyIn(uint32_t offset, uint32_t count) {
    AscendC::LocalTensor<float> xLocal = inX_.AllocTensor<float>();
    AscendC::LocalTensor<float> yLocal = inY_.AllocTensor<float>();
    AscendC::DataCopyExtParams params{1, static_cast<uint32_t>(count * sizeof(float)), 0, 0, 0};
    AscendC::DataCopyPadExtParams<float> pad{false, 0, 0, 0.0f};
    AscendC::DataCopyPad(xLocal, xGm_[offset], params, pad);
    AscendC::DataCopyPad(yLocal, yGm_[offset], params, pad);
    inX_.EnQue(xLocal);
    inY_.EnQue(yLocal);
  }

  __aicore__ inline void Compute(uint32_t count) {
    AscendC::LocalTensor<float> xLocal = inX_.DeQue<float>();
    AscendC::LocalTensor<float> yLocal = inY_.DeQue<float>();
    AscendC::LocalTensor<float> outLocal = outY_.AllocTensor<float>();
    AscendC::Muls(outLocal, xLocal, alpha_, static_cast<int32_t>(count));
    AscendC::Add(outLocal, outLocal, yLocal, static_cast<int32_t>(count));
    outY_.EnQue(outLocal);
    inX_.FreeTensor(xLocal);
    inY_.FreeTensor(yLocal);
  }

  __aicore__ inline void CopyOut(uint32_t offset, uint32_t count) {
    AscendC::LocalTensor<float> outLocal = outY_.DeQue<float>();
    AscendC::DataCopyExtParams params{1, static_cast<uint32_t>(count * sizeof(float)), 0, 0, 0};
    AscendC::DataCopyPad(yGm_[offset], outLocal, params);
    outY_.FreeTensor(outLocal);
  }

  AscendC::TPipe pipe_;
  AscendC::TQue<AscendC::QuePosition::VECIN, BUFFER_NUM> inX_, inY_;
  AscendC::TQue<AscendC::QuePosition::VECOUT, BUFFER_NUM> outY_;
  AscendC::GlobalTensor<float> xGm_, yGm_;
  float alpha_ = 0.0f;
  uint32_t tileLength_ = 0;
  uint32_t length_ = 0;
};
}  // namespace

extern "C" __global__ __aicore__ void saxpy(GM_ADDR x, GM_ADDR y, GM_ADDR tiling) {
  SaxpyTiling tilingData = *reinterpret_cast<__gm__ SaxpyTiling*>(tiling);
  KernelSaxpy op;
  op.Init(x, y, tilingData);
  op.Process();
}

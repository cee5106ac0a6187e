// AscendC port of vector_add (vector_add.cu:4-9): z = x + y.
// Elements are split into contiguous per-core ranges; each range is streamed through UB in tiles
// with double buffering. DataCopyPad moves ragged tails that are not a multiple of 32 bytes.
#include "kernel_operator.h"

namespace {
constexpr int32_t BUFFER_NUM = 2;
constexpr uint32_t TILE_ELEMS = 4096;  // 16 KiB per fp32 buffer; 6 buffers fit the 910B UB easily
constexpr uint32_t ALIGN_ELEMS = 8;    // 32 bytes of fp32

class KernelVectorAdd {
 public:
  __aicore__ inline void Init(GM_ADDR x, GM_ADDR y, GM_ADDR z, uint32_t total) {
    uint32_t blocks = static_cast<uint32_t>(AscendC::GetBlockNum());
    uint32_t perCore = ((total + blocks - 1) / blocks + ALIGN_ELEMS - 1) / ALIGN_ELEMS * ALIGN_ELEMS;
    uint32_t start = perCore * static_cast<uint32_t>(AscendC::GetBlockIdx());
    length_ = start < total ? (total - start < perCore ? total - start : perCore) : 0;
    xGm_.SetGlobalBuffer(reinterpret_cast<__gm__ float*>(x) + start, length_);
    yGm_.SetGlobalBuffer(reinterpret_cast<__gm__ float*>(y) + start, length_);
    zGm_.SetGlobalBuffer(reinterpret_cast<__gm__ float*>(z) + start, length_);
    pipe_.InitBuffer(inX_, BUFFER_NUM, TILE_ELEMS * sizeof(float));
    pipe_.InitBuffer(inY_, BUFFER_NUM, TILE_ELEMS * sizeof(float));
    pipe_.InitBuffer(outZ_, BUFFER_NUM, TILE_ELEMS * sizeof(float));
  }

  __aicore__ inline void Process() {
    for (uint32_t offset = 0; offset < length_; offset += TILE_ELEMS) {
      uint32_t count = length_ - offset < TILE_ELEMS ? length_ - offset : TILE_ELEMS;
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
    AscendC::LocalTensor<float> zLocal = outZ_.AllocTensor<float>();
    AscendC::Add(zLocal, xLocal, yLocal, static_cast<int32_t>(count));
    outZ_.EnQue(zLocal);
    inX_.FreeTensor(xLocal);
    inY_.FreeTensor(yLocal);
  }

  __aicore__ inline void CopyOut(uint32_t offset, uint32_t count) {
    AscendC::LocalTensor<float> zLocal = outZ_.DeQue<float>();
    AscendC::DataCopyExtParams params{1, static_cast<uint32_t>(count * sizeof(float)), 0, 0, 0};
    AscendC::DataCopyPad(zGm_[offset], zLocal, params);
    outZ_.FreeTensor(zLocal);
  }

  AscendC::TPipe pipe_;
  AscendC::TQue<AscendC::QuePosition::VECIN, BUFFER_NUM> inX_, inY_;
  AscendC::TQue<AscendC::QuePosition::VECOUT, BUFFER_NUM> outZ_;
  AscendC::GlobalTensor<float> xGm_, yGm_, zGm_;
  uint32_t length_ = 0;
};
}  // namespace

extern "C" __global__ __aicore__ void vector_add(GM_ADDR x, GM_ADDR y, GM_ADDR z, uint32_t totalLength) {
  KernelVectorAdd op;
  op.Init(x, y, z, totalLength);
  op.Process();
}

// AscendC port of clamp_int32 (clamp_int32.cu:4-9): y = max(lo, min(x, hi)) on int32.
// Per-core ranges are multiples of 8 elements (32 bytes), so only the last tile of the last core
// can be ragged. Every tile moves its 32-byte-aligned body with DataCopy; a ragged tail of fewer
// than 8 elements moves with DataCopyPad, into/out of the UB right after the body (still 32-byte
// aligned). UB: 2 x 32 KiB in + 2 x 32 KiB out = 128 KiB.
#include "kernel_operator.h"

namespace {
constexpr int32_t BUFFER_NUM = 2;
constexpr uint32_t TILE_ELEMS = 8192;
constexpr uint32_t ALIGN_ELEMS = 8;  // 32 bytes of int32

class KernelClampInt32 {
 public:
  __aicore__ inline void Init(GM_ADDR x, GM_ADDR y, int32_t lo, int32_t hi, uint32_t total) {
    lo_ = lo;
    hi_ = hi;
    uint32_t blocks = static_cast<uint32_t>(AscendC::GetBlockNum());
    uint32_t perCore = ((total + blocks - 1) / blocks + ALIGN_ELEMS - 1) / ALIGN_ELEMS * ALIGN_ELEMS;
    uint32_t start = perCore * static_cast<uint32_t>(AscendC::GetBlockIdx());
    length_ = start < total ? (total - start < perCore ? total - start : perCore) : 0;
    xGm_.SetGlobalBuffer(reinterpret_cast<__gm__ int32_t*>(x) + start, length_);
    yGm_.SetGlobalBuffer(reinterpret_cast<__gm__ int32_t*>(y) + start, length_);
    pipe_.InitBuffer(inX_, BUFFER_NUM, TILE_ELEMS * sizeof(int32_t));
    pipe_.InitBuffer(outY_, BUFFER_NUM, TILE_ELEMS * sizeof(int32_t));
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
    AscendC::LocalTensor<int32_t> xLocal = inX_.AllocTensor<int32_t>();
    uint32_t body = count / ALIGN_ELEMS * ALIGN_ELEMS;
    if (body > 0) {
      AscendC::DataCopy(xLocal, xGm_[offset], body);
    }
    if (body < count) {
      AscendC::DataCopyExtParams params{1, static_cast<uint32_t>((count - body) * sizeof(int32_t)), 0, 0, 0};
      AscendC::DataCopyPadExtParams<int32_t> pad{false, 0, 0, 0};
      AscendC::DataCopyPad(xLocal[body], xGm_[offset + body], params, pad);
    }
    inX_.EnQue(xLocal);
  }

  __aicore__ inline void Compute(uint32_t count) {
    AscendC::LocalTensor<int32_t> xLocal = inX_.DeQue<int32_t>();
    AscendC::LocalTensor<int32_t> yLocal = outY_.AllocTensor<int32_t>();
    AscendC::Mins(yLocal, xLocal, hi_, static_cast<int32_t>(count));
    AscendC::Maxs(yLocal, yLocal, lo_, static_cast<int32_t>(count));
    outY_.EnQue(yLocal);
    inX_.FreeTensor(xLocal);
  }

  __aicore__ inline void CopyOut(uint32_t offset, uint32_t count) {
    AscendC::LocalTensor<int32_t> yLocal = outY_.DeQue<int32_t>();
    uint32_t body = count / ALIGN_ELEMS * ALIGN_ELEMS;
    if (body > 0) {
      AscendC::DataCopy(yGm_[offset], yLocal, body);
    }
    if (body < count) {
      AscendC::DataCopyExtParams params{1, static_cast<uint32_t>((count - body) * sizeof(int32_t)), 0, 0, 0};
      AscendC::DataCopyPad(yGm_[offset + body], yLocal[body], params);
    }
    outY_.FreeTensor(yLocal);
  }

  AscendC::TPipe pipe_;
  AscendC::TQue<AscendC::QuePosition::VECIN, BUFFER_NUM> inX_;
  AscendC::TQue<AscendC::QuePosition::VECOUT, BUFFER_NUM> outY_;
  AscendC::GlobalTensor<int32_t> xGm_, yGm_;
  int32_t lo_ = 0;
  int32_t hi_ = 0;
  uint32_t length_ = 0;
};
}  // namespace

extern "C" __global__ __aicore__ void clamp_int32(GM_ADDR x, GM_ADDR y, int32_t lo, int32_t hi, uint32_t totalLength) {
  KernelClampInt32 op;
  op.Init(x, y, lo, hi, totalLength);
  op.Process();
}

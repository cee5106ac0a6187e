// AscendC port of dequant_int8 (dequant_int8.cu:5-9): y = float(q) * scale.
// A2 has no direct int8 -> float Cast: int8 -> half and half -> float are both exact (|q| <= 128),
// so the chain gives float(q) exactly before the single rounding of Muls.
// Per-core ranges are multiples of 32 elements (32 bytes of int8, 128 bytes of fp32); tiles are
// double buffered and the ragged last tile moves with DataCopyPad.
// UB: 2 x 8 KiB in (int8) + 16 KiB half scratch + 2 x 32 KiB out = 96 KiB.
#include "kernel_operator.h"

namespace {
constexpr int32_t BUFFER_NUM = 2;
constexpr uint32_t TILE_ELEMS = 8192;
constexpr uint32_t ALIGN_ELEMS = 32;  // 32 bytes of int8

class KernelDequantInt8 {
 public:
  __aicore__ inline void Init(GM_ADDR q, GM_ADDR y, float scale, uint32_t total) {
    scale_ = scale;
    uint32_t blocks = static_cast<uint32_t>(AscendC::GetBlockNum());
    uint32_t perCore = ((total + blocks - 1) / blocks + ALIGN_ELEMS - 1) / ALIGN_ELEMS * ALIGN_ELEMS;
    uint32_t start = perCore * static_cast<uint32_t>(AscendC::GetBlockIdx());
    length_ = start < total ? (total - start < perCore ? total - start : perCore) : 0;
    qGm_.SetGlobalBuffer(reinterpret_cast<__gm__ int8_t*>(q) + start, length_);
    yGm_.SetGlobalBuffer(reinterpret_cast<__gm__ float*>(y) + start, length_);
    pipe_.InitBuffer(inQ_, BUFFER_NUM, TILE_ELEMS * sizeof(int8_t));
    pipe_.InitBuffer(outY_, BUFFER_NUM, TILE_ELEMS * sizeof(float));
    pipe_.InitBuffer(halfBuf_, TILE_ELEMS * sizeof(half));
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
    AscendC::LocalTensor<int8_t> qLocal = inQ_.AllocTensor<int8_t>();
    AscendC::DataCopyExtParams params{1, count, 0, 0, 0};
    AscendC::DataCopyPadExtParams<int8_t> pad{false, 0, 0, 0};
    AscendC::DataCopyPad(qLocal, qGm_[offset], params, pad);
    inQ_.EnQue(qLocal);
  }

  __aicore__ inline void Compute(uint32_t count) {
    AscendC::LocalTensor<int8_t> qLocal = inQ_.DeQue<int8_t>();
    AscendC::LocalTensor<float> yLocal = outY_.AllocTensor<float>();
    AscendC::LocalTensor<half> qHalf = halfBuf_.Get<half>();
    AscendC::Cast(qHalf, qLocal, AscendC::RoundMode::CAST_NONE, count);
    AscendC::Cast(yLocal, qHalf, AscendC::RoundMode::CAST_NONE, count);
    AscendC::Muls(yLocal, yLocal, scale_, static_cast<int32_t>(count));
    outY_.EnQue(yLocal);
    inQ_.FreeTensor(qLocal);
  }

  __aicore__ inline void CopyOut(uint32_t offset, uint32_t count) {
    AscendC::LocalTensor<float> yLocal = outY_.DeQue<float>();
    AscendC::DataCopyExtParams params{1, static_cast<uint32_t>(count * sizeof(float)), 0, 0, 0};
    AscendC::DataCopyPad(yGm_[offset], yLocal, params);
    outY_.FreeTensor(yLocal);
  }

  AscendC::TPipe pipe_;
  AscendC::TQue<AscendC::QuePosition::VECIN, BUFFER_NUM> inQ_;
  AscendC::TQue<AscendC::QuePosition::VECOUT, BUFFER_NUM> outY_;
  AscendC::TBuf<AscendC::QuePosition::VECCALC> halfBuf_;
  AscendC::GlobalTensor<int8_t> qGm_;
  AscendC::GlobalTensor<float> yGm_;
  float scale_ = 0.0f;
  uint32_t length_ = 0;
};
}  // namespace

extern "C" __global__ __aicore__ void dequant_int8(GM_ADDR q, GM_ADDR y, float scale, uint32_t totalLength) {
  KernelDequantInt8 op;
  op.Init(q, y, scale, totalLength);
  op.Process();
}

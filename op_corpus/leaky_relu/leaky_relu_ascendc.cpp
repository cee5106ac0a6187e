// AscendC port of leaky_relu (leaky_relu.cu:4-10): y = x > 0 ? x : alpha * x.
// Per-core ranges start on 32-byte boundaries; tiles are double buffered and move with DataCopyPad.
// CompareScalar/Select in count form need counts that fill whole 256-byte repeats, so they run on
// the count rounded up to 64 fp32; the extra lanes are scratch inside the tile and never copied out.
// UB: 2 x 16 KiB in + 2 x 16 KiB out + 16 KiB alpha*x + 512 B mask = 80.5 KiB.
#include "kernel_operator.h"

namespace {
constexpr int32_t BUFFER_NUM = 2;
constexpr uint32_t TILE_ELEMS = 4096;  // a multiple of REPEAT_ELEMS
constexpr uint32_t ALIGN_ELEMS = 8;    // 32 bytes of fp32
constexpr uint32_t REPEAT_ELEMS = 64;  // 256 bytes of fp32

class KernelLeakyRelu {
 public:
  __aicore__ inline void Init(GM_ADDR x, GM_ADDR y, float alpha, uint32_t total) {
    alpha_ = alpha;
    uint32_t blocks = static_cast<uint32_t>(AscendC::GetBlockNum());
    uint32_t perCore = ((total + blocks - 1) / blocks + ALIGN_ELEMS - 1) / ALIGN_ELEMS * ALIGN_ELEMS;
    uint32_t start = perCore * static_cast<uint32_t>(AscendC::GetBlockIdx());
    length_ = start < total ? (total - start < perCore ? total - start : perCore) : 0;
    xGm_.SetGlobalBuffer(reinterpret_cast<__gm__ float*>(x) + start, length_);
    yGm_.SetGlobalBuffer(reinterpret_cast<__gm__ float*>(y) + start, length_);
    pipe_.InitBuffer(inX_, BUFFER_NUM, TILE_ELEMS * sizeof(float));
    pipe_.InitBuffer(outY_, BUFFER_NUM, TILE_ELEMS * sizeof(float));
    pipe_.InitBuffer(scaled_, TILE_ELEMS * sizeof(float));
    pipe_.InitBuffer(mask_, TILE_ELEMS / 8);  // one bit per element
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
    AscendC::DataCopyExtParams params{1, static_cast<uint32_t>(count * sizeof(float)), 0, 0, 0};
    AscendC::DataCopyPadExtParams<float> pad{false, 0, 0, 0.0f};
    AscendC::DataCopyPad(xLocal, xGm_[offset], params, pad);
    inX_.EnQue(xLocal);
  }

  __aicore__ inline void Compute(uint32_t count) {
    uint32_t padded = (count + REPEAT_ELEMS - 1) / REPEAT_ELEMS * REPEAT_ELEMS;
    AscendC::LocalTensor<float> xLocal = inX_.DeQue<float>();
    AscendC::LocalTensor<float> yLocal = outY_.AllocTensor<float>();
    AscendC::LocalTensor<float> scaled = scaled_.Get<float>();
    AscendC::LocalTensor<uint8_t> mask = mask_.Get<uint8_t>();
    AscendC::Muls(scaled, xLocal, alpha_, static_cast<int32_t>(padded));
    AscendC::CompareScalar(mask, xLocal, 0.0f, AscendC::CMPMODE::GT, padded);
    AscendC::Select(yLocal, mask, xLocal, scaled, AscendC::SELMODE::VSEL_TENSOR_TENSOR_MODE, padded);
    outY_.EnQue(yLocal);
    inX_.FreeTensor(xLocal);
  }

  __aicore__ inline void CopyOut(uint32_t offset, uint32_t count) {
    AscendC::LocalTensor<float> yLocal = outY_.DeQue<float>();
    AscendC::DataCopyExtParams params{1, static_cast<uint32_t>(count * sizeof(float)), 0, 0, 0};
    AscendC::DataCopyPad(yGm_[offset], yLocal, params);
    outY_.FreeTensor(yLocal);
  }

  AscendC::TPipe pipe_;
  AscendC::TQue<AscendC::QuePosition::VECIN, BUFFER_NUM> inX_;
  AscendC::TQue<AscendC::QuePosition::VECOUT, BUFFER_NUM> outY_;
  AscendC::TBuf<AscendC::QuePosition::VECCALC> scaled_, mask_;
  AscendC::GlobalTensor<float> xGm_, yGm_;
  float alpha_ = 0.0f;
  uint32_t length_ = 0;
};
}  // namespace

extern "C" __global__ __aicore__ void leaky_relu(GM_ADDR x, GM_ADDR y, float alpha, uint32_t totalLength) {
  KernelLeakyRelu op;
  op.Init(x, y, alpha, totalLength);
  op.Process();
}

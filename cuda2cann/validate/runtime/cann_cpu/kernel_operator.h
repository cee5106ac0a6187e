// cann-cpu: the AscendC kernel API subset of CANN 8.1 on the host CPU, strict where the hardware
// is unforgiving. An AscendC kernel source (#include "kernel_operator.h") compiles against this
// header with host g++ and runs once per block index under cann_cpu::launch; the subset, checks
// and counters are documented in docs/runtime_cann_cpu.md.
#pragma once
#include "cann_cpu/core.h"
#include "cann_cpu/tensor.h"
#include "cann_cpu/pipe.h"
#include "cann_cpu/sync.h"
#include "cann_cpu/data_copy.h"
#include "cann_cpu/vector_ops.h"
#include "cann_cpu/vector_cast.h"
#include "cann_cpu/vector_cmpsel.h"
#include "cann_cpu/vector_reduce.h"
#include "cann_cpu/launch.h"

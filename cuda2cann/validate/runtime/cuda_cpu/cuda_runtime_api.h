// <cuda_runtime_api.h> for cuda-cpu: everything lives in cuda_cpu.h.
#pragma once
#include "cuda_cpu.h"

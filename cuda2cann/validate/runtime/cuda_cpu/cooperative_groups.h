// <cooperative_groups.h> for cuda-cpu.
#pragma once
#include "cuda_cpu.h"
#include "cuda_cpu/cooperative_groups.h"

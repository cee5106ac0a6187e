// <cub/block/block_reduce.cuh> for cuda-cpu.
#pragma once
#include "../cub.cuh"

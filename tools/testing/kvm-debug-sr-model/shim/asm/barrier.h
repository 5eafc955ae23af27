/* SPDX-License-Identifier: GPL-2.0-only */
/* Model stand-in: everything lives in model-kernel.h. */
#include <model-kernel.h>

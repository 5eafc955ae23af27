/* SPDX-License-Identifier: GPL-2.0-only */
/* The invariants, as an observer of the hardware model (check.c). */
#ifndef __KVM_DEBUG_SR_CHECK_H__
#define __KVM_DEBUG_SR_CHECK_H__

#include "hw.h"

extern const struct hw_observer check_observer;

#endif

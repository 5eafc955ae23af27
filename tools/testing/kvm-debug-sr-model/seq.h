/* SPDX-License-Identifier: GPL-2.0-only */
/* Bounded sequences of world switches on two CPUs (seq.c). */
#ifndef __KVM_DEBUG_SR_SEQ_H__
#define __KVM_DEBUG_SR_SEQ_H__

#include "hw.h"

#define SEQ_MAXLEN	5

int seq_results(const char *file, int maxlen);
int seq_explain(const char *key);
/* main.c's event printer */
void print_events(const struct run *r, const char *indent);

#endif

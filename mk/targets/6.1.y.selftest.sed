# How the kselftest's source differs on 6.1.y, whose selftest library has
# no pin_self_to_cpu(), and leaves
# the ucall MMIO page to each test (without ucall_init() every
# GUEST_SYNC faults): applied by make-tree.sh (make sync) and checked by
# check-patches.sh. Its Makefile does not define _GNU_SOURCE either.
/^#include <dirent.h>/i\
#define _GNU_SOURCE /* for sched_getaffinity() and the CPU_* macros */
/^\/\* Say why the session could not/i\
static void pin_self_to_cpu(int cpu)\
{\
	cpu_set_t set;\
\
	CPU_ZERO(&set);\
	CPU_SET(cpu, &set);\
	TEST_ASSERT(!sched_setaffinity(0, sizeof(set), &set),\
		    "cannot pin to CPU %d", cpu);\
}\

/vm_create_with_one_vcpu(&vcpu, guest_code);/a\
\tucall_init(vm, NULL);

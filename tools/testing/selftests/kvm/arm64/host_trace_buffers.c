// SPDX-License-Identifier: GPL-2.0-only
/*
 * host_trace_buffers - the host's SPE and TRBE buffers across vcpu runs
 *
 * In nVHE and protected mode the world switch must take the host's
 * Statistical Profiling Buffer and Trace Buffer Unit out of the way
 * while a guest runs and give them back, as the host left them, on exit.
 * This checks what userspace can observe of that:
 *
 * - guest: reading or writing either buffer's limit register UNDEFs
 *   (KVM's trap policy, older than the buffer disable).
 * - each SPE instance (arm_spe_N) and TRBE (cs_etm), through a perf AUX
 *   session of the host on the vcpu thread's CPU: a host loop in pieces
 *   records at least half as much with a vcpu run before each piece as
 *   without, which needs the buffer and the filter back after each run.
 * - SPE, with the host's EL1 profiled and exclude_guest set: no sample of
 *   the guest's EL1 code is in the host's buffer after the guest ran.
 *
 * It does not observe the hazard the buffer disable exists for (a buffer
 * translating the host's addresses under the guest's regime).
 */
#include <dirent.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <linux/perf_event.h>
#include <linux/sizes.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "kvm_util.h"
#include "processor.h"
#include "test_util.h"
#include "ucall_common.h"

#define PMU_DIR			"/sys/bus/event_source/devices"
#define NR_RUNS			16
#define GUEST_LOOPS		250000
#define HOST_LOOPS		1000000
#define SPE_PERIOD		16384
#define MIN_SAMPLES		32
#define MAX_SPE			8
#define DATA_PAGES		8
#define AUX_BYTES		SZ_1M

/* SPE packet headers, as the Arm ARM's profiling buffer chapter has them */
#define SPE_PAD			0x00
#define SPE_END			0x01
#define SPE_EXT_MASK		0xfc
#define SPE_EXT			0x20
#define SPE_ADDR_PC		0xb0
#define SPE_PC_EL(pc)		(((pc) >> 61) & 3)
#define SPE_PC_TTBR1		BIT_ULL(55)

static u64 nr_undef;
static u64 guest_loops;
static u64 busy_sum;

static void guest_undef_handler(struct ex_regs *regs)
{
	WRITE_ONCE(nr_undef, READ_ONCE(nr_undef) + 1);
	regs->pc += 4;
}

static void guest_check_undef(void)
{
	read_sysreg_s(SYS_PMBLIMITR_EL1);
	write_sysreg_s(0, SYS_PMBLIMITR_EL1);
	read_sysreg_s(SYS_TRBLIMITR_EL1);
	write_sysreg_s(0, SYS_TRBLIMITR_EL1);
	isb();
	GUEST_ASSERT_EQ(READ_ONCE(nr_undef), 4);
}

static void guest_code(void)
{
	u64 i;

	guest_check_undef();
	for (;;) {
		GUEST_SYNC(0);
		for (i = 0; i < READ_ONCE(guest_loops); i++)
			barrier();
	}
}

/* Run the vcpu to its next GUEST_SYNC. */
static void run_guest(struct kvm_vcpu *vcpu)
{
	struct ucall uc;

	vcpu_run(vcpu);
	switch (get_ucall(vcpu, &uc)) {
	case UCALL_SYNC:
		break;
	case UCALL_ABORT:
		REPORT_GUEST_ASSERT(uc);
		break;
	default:
		TEST_FAIL("unexpected exit %u", vcpu->run->exit_reason);
	}
}

/* A host perf session with an AUX buffer, on one CPU of its PMU. */
struct host_buf {
	const char *unit;	/* "spe" or "trbe": the tests' prefix */
	char pmu[NAME_MAX + 1];	/* its name under PMU_DIR */
	int type, cpu;
	bool el1;		/* the host's EL1 is recorded too */
	int fd;
	struct perf_event_mmap_page *pg;
	u8 *aux;
	u64 aux_tail;
};

/* What a window of recording added to the AUX buffer. */
struct window {
	u64 bytes;
	u64 el0;		/* SPE samples of EL0 code: the host's */
	u64 guest;		/* SPE samples of EL1 code below TTBR1 */
};

static int read_pmu_int(const char *pmu, const char *file, int *val)
{
	char path[PATH_MAX];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), PMU_DIR "/%s/%s", pmu, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	/* A cpumask ("0-3,6") reads as its first CPU. */
	ret = fscanf(f, "%d", val) == 1 ? 0 : -1;
	fclose(f);
	return ret;
}

static bool find_pmu(struct host_buf *b)
{
	if (read_pmu_int(b->pmu, "type", &b->type))
		return false;
	if (read_pmu_int(b->pmu, "cpumask", &b->cpu))
		b->cpu = sched_getcpu();
	return b->cpu >= 0;
}

/* Every arm_spe_N, each with the first CPU it covers. */
static int find_spe(struct host_buf *bufs, int max)
{
	struct dirent *d;
	DIR *dir = opendir(PMU_DIR);
	int n = 0;

	if (!dir)
		return 0;
	while ((d = readdir(dir)) && n < max) {
		if (strncmp(d->d_name, "arm_spe_", 8))
			continue;
		bufs[n].unit = "spe";
		snprintf(bufs[n].pmu, sizeof(bufs[n].pmu), "%s", d->d_name);
		n += find_pmu(&bufs[n]);
	}
	closedir(dir);
	return n;
}

static int open_event(struct host_buf *b, bool el1)
{
	struct perf_event_attr attr = {
		.type = b->type,
		.size = sizeof(attr),
		.disabled = 1,
		.exclude_kernel = !el1,
		.exclude_hv = 1,
		.exclude_guest = 1,
	};

	if (!strcmp(b->unit, "spe"))
		attr.sample_period = SPE_PERIOD;
	b->el1 = el1;
	b->fd = syscall(__NR_perf_event_open, &attr, 0, -1, -1, 0);
	return b->fd;
}

/* Open and map the session; on failure, why. */
static const char *open_buf(struct host_buf *b)
{
	long page = getpagesize();
	size_t data = (1 + DATA_PAGES) * page;

	pin_self_to_cpu(b->cpu);
	if (open_event(b, true) < 0 && open_event(b, false) < 0)
		return "perf_event_open failed";
	b->pg = mmap(NULL, data, PROT_READ | PROT_WRITE, MAP_SHARED, b->fd, 0);
	if (b->pg == MAP_FAILED)
		return "mmap of the perf data pages failed";
	b->pg->aux_offset = data;
	b->pg->aux_size = AUX_BYTES;
	b->aux = mmap(NULL, AUX_BYTES, PROT_READ, MAP_SHARED, b->fd, data);
	if (b->aux == MAP_FAILED)
		return "mmap of the AUX buffer failed";
	return NULL;
}

static void close_buf(struct host_buf *b)
{
	munmap(b->aux, AUX_BYTES);
	munmap(b->pg, (1 + DATA_PAGES) * getpagesize());
	close(b->fd);
}

static u8 aux_byte(struct host_buf *b, u64 off)
{
	return b->aux[off % AUX_BYTES];
}

/* Sort the PC packets of the SPE records in [off, end) by origin. */
static void spe_scan(struct host_buf *b, u64 off, u64 end, struct window *w)
{
	u64 pc;
	u8 hdr;
	int i;

	while (off < end) {
		hdr = aux_byte(b, off++);
		if (hdr == SPE_PAD || hdr == SPE_END)
			continue;
		if ((hdr & SPE_EXT_MASK) == SPE_EXT) {
			/* Extended header: never the PC, skip its payload */
			hdr = aux_byte(b, off++);
		} else if (hdr == SPE_ADDR_PC) {
			for (pc = 0, i = 7; i >= 0; i--)
				pc = pc << 8 | aux_byte(b, off + i);
			w->el0 += SPE_PC_EL(pc) == 0;
			w->guest += SPE_PC_EL(pc) == 1 && !(pc & SPE_PC_TTBR1);
		}
		off += 1 << ((hdr >> 4) & 3);
	}
}

/* Branchy host user code for the session to record: one piece. */
static void host_busy(void)
{
	u64 i, sum = 0;

	for (i = 0; i < HOST_LOOPS / NR_RUNS; i++) {
		if ((i * 2654435761UL) >> 31 & 1)
			sum += i;
		barrier();
	}
	WRITE_ONCE(busy_sum, sum);
}

/*
 * Record NR_RUNS pieces of host_busy(), each after a vcpu run (with_runs).
 * Disabling the event makes the driver publish its AUX head.
 */
static struct window record(struct host_buf *b, struct kvm_vcpu *vcpu,
			    bool with_runs)
{
	struct window w = {};
	u64 head;
	int i;

	TEST_ASSERT(!ioctl(b->fd, PERF_EVENT_IOC_ENABLE, 0), "enable failed");
	for (i = 0; i < NR_RUNS; i++) {
		if (with_runs)
			run_guest(vcpu);
		host_busy();
	}
	TEST_ASSERT(!ioctl(b->fd, PERF_EVENT_IOC_DISABLE, 0), "disable failed");

	head = __atomic_load_n(&b->pg->aux_head, __ATOMIC_ACQUIRE);
	w.bytes = head - b->aux_tail;
	if (!strcmp(b->unit, "spe"))
		spe_scan(b, b->aux_tail, head, &w);
	b->aux_tail = head;
	__atomic_store_n(&b->pg->aux_tail, head, __ATOMIC_RELEASE);
	b->pg->data_tail = __atomic_load_n(&b->pg->data_head, __ATOMIC_ACQUIRE);
	return w;
}

static void skip_tests(const char *unit, const char *why)
{
	ksft_test_result_skip("%s: recording resumes after vcpu runs: %s\n",
			      unit, why);
	if (!strcmp(unit, "spe"))
		ksft_test_result_skip("spe: no guest sample in the host's buffer: %s\n",
				      why);
}

/*
 * Half is a wide margin: both windows run the same host_busy() pieces at
 * the same sampling interval (about 300 samples of SPE_PERIOD on hardware,
 * one per 20,000 instructions on QEMU's model) or trace the same loop, so
 * only interrupts and the interval's perturbation differ; neither fills
 * the AUX buffer. A buffer left disabled, or its filter cleared, records
 * nothing in the piece after a run unless a context switch came first.
 */
static bool resumed(struct host_buf *b, struct window *base,
		    struct window *runs)
{
	if (!strcmp(b->unit, "spe"))
		return runs->el0 * 2 >= base->el0;
	return runs->bytes * 2 >= base->bytes;
}

/* Both tests of one unit; false when they could not run. */
static bool test_buf(struct host_buf *b, struct kvm_vcpu *vcpu)
{
	const char *why = open_buf(b);
	struct window base, runs;
	bool spe = !strcmp(b->unit, "spe");

	if (why) {
		ksft_print_msg("%s: %s: %s\n", b->pmu, why, strerror(errno));
		skip_tests(b->unit, why);
		return false;
	}
	base = record(b, vcpu, false);
	runs = record(b, vcpu, true);
	close_buf(b);
	ksft_print_msg("%s, CPU %d, EL0%s: bytes/EL0 samples %lu/%lu\n",
		       b->pmu, b->cpu, b->el1 ? "+EL1" : "", base.bytes, base.el0);
	ksft_print_msg("after %d runs: %lu/%lu, %lu guest samples\n",
		       NR_RUNS, runs.bytes, runs.el0, runs.guest);
	if (spe ? base.el0 < MIN_SAMPLES : !base.bytes) {
		skip_tests(b->unit, "the session records too little without vcpu runs");
		return false;
	}
	ksft_test_result(resumed(b, &base, &runs),
			 "%s: recording resumes after vcpu runs\n", b->unit);
	if (!spe)
		return true;
	if (b->el1)
		ksft_test_result(!runs.guest, "spe: no guest sample in the host's buffer\n");
	else
		ksft_test_result_skip("spe: no guest sample in the host's buffer: %s\n",
				      "host EL1 not permitted");
	return true;
}

static bool has_trbe(void)
{
	DIR *dir = opendir("/sys/bus/coresight/devices");
	struct dirent *d;
	bool found = false;

	while (dir && (d = readdir(dir)) && !found)
		found = !strncmp(d->d_name, "trbe", 4);
	if (dir)
		closedir(dir);
	return found;
}

int main(void)
{
	struct host_buf spe[MAX_SPE] = {}, trbe = { .unit = "trbe", .pmu = "cs_etm" };
	int i, nr_spe = find_spe(spe, MAX_SPE), ran = 0;
	bool with_trbe = has_trbe() && find_pmu(&trbe);
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;

	if (!nr_spe && !with_trbe)
		ksft_exit_skip("no SPE (arm_spe_N) or TRBE (cs_etm) perf PMU\n");
	ksft_print_header();
	ksft_set_plan(1 + 2 * (nr_spe ? nr_spe : 1) + 1);

	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	vm_init_descriptor_tables(vm);
	vcpu_init_descriptor_tables(vcpu);
	vm_install_sync_handler(vm, VECTOR_SYNC_CURRENT, ESR_ELx_EC_UNKNOWN,
				guest_undef_handler);
	run_guest(vcpu);
	ksft_test_result_pass("guest: PMBLIMITR_EL1 and TRBLIMITR_EL1 UNDEF\n");

	guest_loops = GUEST_LOOPS;
	sync_global_to_guest(vm, guest_loops);
	for (i = 0; i < nr_spe; i++)
		ran += test_buf(&spe[i], vcpu);
	if (!nr_spe)
		skip_tests("spe", "no arm_spe_N PMU");
	if (with_trbe)
		ran += test_buf(&trbe, vcpu);
	else
		skip_tests("trbe", "no TRBE or no cs_etm PMU");
	kvm_vm_free(vm);

	if (ksft_get_fail_cnt())
		ksft_exit_fail();
	if (!ran) {
		/* Only the guest's view ran: what the test is for did not */
		ksft_print_cnts();
		exit(KSFT_SKIP);
	}
	ksft_exit_pass();
}

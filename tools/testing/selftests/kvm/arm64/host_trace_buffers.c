// SPDX-License-Identifier: GPL-2.0-only
/*
 * host_trace_buffers - the host's SPE and TRBE buffers across vcpu runs
 *
 * KVM's nVHE world switch (nVHE, protected nVHE and hVHE) takes the host's
 * Statistical Profiling Buffer and Trace Buffer Unit out of the way while a
 * guest runs, and must give them back, as the host left them, on exit.
 * This checks the way back, for each SPE instance (arm_spe_N) and one TRBE
 * (trbeN, the sink of cs_etm on CPU N), through a perf AUX session of the
 * host pinned to an allowed CPU of that unit:
 *
 * - a host loop in pieces records at least half as much with a vcpu run
 *   before each piece as without, which needs the buffer and its filter
 *   back after each run;
 * - SPE, with the host's EL1 profiled and exclude_guest set: no sample of
 *   the guest's EL1 code is in the host's buffer after the guest ran.
 *
 * It cannot see the hazard the buffer disable on entry exists for (a
 * buffer translating host addresses under the guest's regime), so it also
 * passes on kernels that lack that disable. Under VHE there is no such
 * world switch; the results then say so. The SPE AUX buffer is small, so
 * that its head wraps during the run.
 */
#include <dirent.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "kvm_util.h"
#include "processor.h"
#include "test_util.h"
#include "ucall_common.h"

#define PMU_DIR			"/sys/bus/event_source/devices"
#define CS_DIR			"/sys/bus/coresight/devices"
#define NR_RUNS			16
#define GUEST_LOOPS		250000
#define HOST_LOOPS		1000000
#define SPE_PERIOD		16384
#define MIN_SAMPLES		32
#define MAX_BUFS		9	/* up to 8 SPE instances and a TRBE */
#define DATA_PAGES		8
#define SPE_AUX_PAGES		8	/* about 22 KB a window on QEMU: wraps */
#define TRBE_AUX_PAGES		256

/* syslog(2) actions, which glibc's sys/klog.h does not name */
#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_SIZE_BUFFER	10

/* SPE packet headers, as the Arm ARM's profiling buffer chapter has them */
#define SPE_PAD			0x00
#define SPE_END			0x01
#define SPE_EXT_MASK		0xfc
#define SPE_EXT			0x20
#define SPE_ADDR_PC		0xb0
#define SPE_PC_EL(pc)		(((pc) >> 61) & 3)
#define SPE_PC_TTBR1		BIT_ULL(55)

static u64 guest_loops;
static u64 busy_sum;
static cpu_set_t allowed;	/* the CPUs the test may run on, at start */
static const char *mode_note = "";

static void guest_code(void)
{
	u64 i;

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
		TEST_FAIL("unexpected exit reason: %s",
			  exit_reason_str(vcpu->run->exit_reason));
	}
}

/* A host perf session with an AUX buffer, on one CPU of its unit. */
struct host_buf {
	char name[NAME_MAX + 1];	/* arm_spe_N or trbeN: the results' */
	bool spe;
	const char *why;	/* why it cannot run, or NULL */
	int type, cpu;
	u64 sink;		/* cs_etm: the TRBE's sink id (config2) */
	bool el1;		/* the host's EL1 is recorded too */
	int fd;
	struct perf_event_mmap_page *pg;
	size_t data_size, aux_size;
	u8 *aux;
	u64 aux_tail;
};

/* What a window of recording added to the AUX buffer. */
struct window {
	u64 bytes;
	u64 flags;		/* PERF_RECORD_AUX flags, ORed */
	u64 el0;		/* SPE samples of EL0 code: the host's */
	u64 guest;		/* SPE samples of EL1 code below TTBR1 */
};

/* The first line of a sysfs file into buf; false when it cannot be read. */
static __printf(3, 4) bool read_sysfs(char *buf, int size, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	FILE *f;
	bool ok;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	f = fopen(path, "r");
	if (!f)
		return false;
	ok = fgets(buf, size, f);
	fclose(f);
	return ok;
}

/* The first CPU of a list ("0-3,6") the test may run on, or -1. */
static int allowed_cpu_of(const char *list)
{
	const char *p = list;
	char *end;
	long lo, hi;

	for (;;) {
		lo = strtol(p, &end, 10);
		if (end == p)
			return -1;
		hi = lo;
		if (*end == '-') {
			p = end + 1;
			hi = strtol(p, &end, 10);
		}
		for (; lo <= hi && lo < CPU_SETSIZE; lo++)
			if (CPU_ISSET(lo, &allowed))
				return lo;
		if (*end != ',')
			return -1;
		p = end + 1;
	}
}

/* Every arm_spe_N, with an allowed CPU it covers; the count found. */
static int find_spe(struct host_buf *bufs, int max)
{
	char line[256];
	struct dirent *d;
	struct host_buf *b;
	DIR *dir;
	int n = 0;

	dir = opendir(PMU_DIR);
	if (!dir)
		return 0;
	while (n < max) {
		d = readdir(dir);
		if (!d)
			break;
		if (strncmp(d->d_name, "arm_spe_", 8))
			continue;
		b = &bufs[n++];
		b->spe = true;
		snprintf(b->name, sizeof(b->name), "%s", d->d_name);
		if (!read_sysfs(line, sizeof(line), PMU_DIR "/%s/type", b->name)) {
			b->why = "no perf type";
			continue;
		}
		b->type = atoi(line);
		if (!read_sysfs(line, sizeof(line), PMU_DIR "/%s/cpumask", b->name)) {
			b->why = "no cpumask";
			continue;
		}
		b->cpu = allowed_cpu_of(line);
		if (b->cpu < 0)
			b->why = "none of its CPUs is online and allowed to this task";
	}
	closedir(dir);
	return n;
}

/*
 * The TRBE of the lowest allowed CPU (trbeN serves CPU N), as the sink of a
 * cs_etm session on that CPU. False when the system has no TRBE.
 */
static bool find_trbe(struct host_buf *b)
{
	int cpu, end, any = -1;
	char line[64];
	struct dirent *d;
	DIR *dir;

	b->cpu = -1;
	dir = opendir(CS_DIR);
	if (!dir)
		return false;
	for (;;) {
		d = readdir(dir);
		if (!d)
			break;
		if (sscanf(d->d_name, "trbe%d%n", &cpu, &end) != 1 || d->d_name[end])
			continue;
		if (any < 0)
			any = cpu;
		if (CPU_ISSET(cpu, &allowed) && (b->cpu < 0 || cpu < b->cpu))
			b->cpu = cpu;
	}
	closedir(dir);
	if (any < 0)
		return false;
	if (b->cpu < 0)
		b->cpu = any;
	snprintf(b->name, sizeof(b->name), "trbe%d", b->cpu);
	if (!CPU_ISSET(b->cpu, &allowed)) {
		b->why = "no CPU with a TRBE is online and allowed to this task";
		return true;
	}
	if (!read_sysfs(line, sizeof(line), PMU_DIR "/cs_etm/type")) {
		b->why = "no cs_etm perf PMU";
		return true;
	}
	b->type = atoi(line);
	if (!read_sysfs(line, sizeof(line), PMU_DIR "/cs_etm/sinks/%s", b->name))
		b->why = "cs_etm has no sink of that name";
	else
		b->sink = strtoull(line, NULL, 0);
	return true;
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

	if (b->spe)
		attr.sample_period = SPE_PERIOD;
	else
		attr.config2 = b->sink;
	b->el1 = el1;
	/* This thread (the vcpu's), on that CPU only */
	b->fd = syscall(__NR_perf_event_open, &attr, 0, b->cpu, -1, 0);
	return b->fd;
}

static void close_buf(struct host_buf *b)
{
	if (b->aux && b->aux != MAP_FAILED)
		munmap(b->aux, b->aux_size);
	if (b->pg && b->pg != MAP_FAILED)
		munmap(b->pg, getpagesize() + b->data_size);
	if (b->fd >= 0)
		close(b->fd);
	b->aux = NULL;
	b->pg = NULL;
	b->fd = -1;
}

/* Say why the session could not be set up, with errno, and undo it. */
static const char *fail_buf(struct host_buf *b, const char *why)
{
	ksft_print_msg("%s: %s: %s\n", b->name, why, strerror(errno));
	close_buf(b);
	return why;
}

/*
 * Open and map the session, the AUX area read-write: perf's normal mode,
 * where aux_head counts every byte written and aux_tail is honoured (a
 * read-only AUX area is overwrite mode). On failure, why.
 */
static const char *open_buf(struct host_buf *b)
{
	int page;

	page = getpagesize();
	b->data_size = DATA_PAGES * page;
	b->aux_size = (b->spe ? SPE_AUX_PAGES : TRBE_AUX_PAGES) * page;
	pin_self_to_cpu(b->cpu);
	if (open_event(b, true) < 0 && open_event(b, false) < 0)
		return fail_buf(b, "perf_event_open failed");
	b->pg = mmap(NULL, page + b->data_size, PROT_READ | PROT_WRITE,
		     MAP_SHARED, b->fd, 0);
	if (b->pg == MAP_FAILED)
		return fail_buf(b, "mmap of the perf data pages failed");
	b->pg->aux_offset = page + b->data_size;
	b->pg->aux_size = b->aux_size;
	b->aux = mmap(NULL, b->aux_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      b->fd, b->pg->aux_offset);
	if (b->aux == MAP_FAILED)
		return fail_buf(b, "mmap of the AUX buffer failed");
	return NULL;
}

static u8 aux_byte(struct host_buf *b, u64 off)
{
	return b->aux[off % b->aux_size];
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

/*
 * The flags of the PERF_RECORD_AUX records in the data ring, which is then
 * consumed. Records are 8-byte aligned, so no header or flags field
 * straddles the ring's end.
 */
static u64 aux_flags(struct host_buf *b)
{
	u8 *data = (u8 *)b->pg + getpagesize();
	struct perf_event_header hdr;
	u64 head, tail, flags = 0;

	head = __atomic_load_n(&b->pg->data_head, __ATOMIC_ACQUIRE);
	for (tail = b->pg->data_tail; tail < head; tail += hdr.size) {
		memcpy(&hdr, data + tail % b->data_size, sizeof(hdr));
		if (!hdr.size)
			break;
		if (hdr.type == PERF_RECORD_AUX)
			flags |= *(u64 *)(data + (tail + 24) % b->data_size);
	}
	__atomic_store_n(&b->pg->data_tail, head, __ATOMIC_RELEASE);
	return flags;
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
	TEST_ASSERT(head - b->aux_tail <= b->aux_size,
		    "%s: AUX head %lu is more than a buffer past the tail %lu",
		    b->name, head, b->aux_tail);
	w.bytes = head - b->aux_tail;
	if (b->spe)
		spe_scan(b, b->aux_tail, head, &w);
	b->aux_tail = head;
	__atomic_store_n(&b->pg->aux_tail, head, __ATOMIC_RELEASE);
	w.flags = aux_flags(b);
	return w;
}

static void skip_tests(const char *name, bool spe, const char *why)
{
	ksft_test_result_skip("%s: recording resumes after vcpu runs: %s\n",
			      name, why);
	if (spe)
		ksft_test_result_skip("%s: no guest sample in the host's buffer: %s\n",
				      name, why);
}

/*
 * Half is a wide margin: both windows run the same host_busy() pieces at
 * the same sampling interval (about 300 samples of SPE_PERIOD on hardware,
 * one per 20,000 instructions on QEMU's model) or trace the same loop, so
 * only interrupts and the interval's perturbation differ. A buffer left
 * disabled, or its filter cleared, records nothing in the piece after a
 * run unless a context switch came first.
 */
static bool resumed(struct host_buf *b, struct window *base,
		    struct window *runs)
{
	if (b->spe)
		return runs->el0 * 2 >= base->el0;
	return runs->bytes * 2 >= base->bytes;
}

/* The tests of one unit; false when they could not run. */
static bool test_buf(struct host_buf *b, struct kvm_vcpu *vcpu)
{
	struct window base, runs;
	const char *why;

	why = b->why;
	if (!why)
		why = open_buf(b);
	if (why) {
		skip_tests(b->name, b->spe, why);
		return false;
	}
	base = record(b, vcpu, false);
	runs = record(b, vcpu, true);
	close_buf(b);
	ksft_print_msg("%s on CPU %d, EL0%s: %lu bytes without vcpu runs, %lu with %d\n",
		       b->name, b->cpu, b->el1 ? "+EL1" : "", base.bytes,
		       runs.bytes, NR_RUNS);
	if (b->spe)
		ksft_print_msg("%s: EL0 samples %lu without, %lu with; %lu guest samples\n",
			       b->name, base.el0, runs.el0, runs.guest);
	ksft_print_msg("%s: AUX head at %lu in a buffer of %zu bytes (%s)\n",
		       b->name, b->aux_tail, b->aux_size,
		       b->aux_tail > b->aux_size ? "wrapped" : "not wrapped");
	if ((base.flags | runs.flags) & PERF_AUX_FLAG_TRUNCATED) {
		skip_tests(b->name, b->spe, "the AUX buffer filled within a window");
		return false;
	}
	if (b->spe ? base.el0 < MIN_SAMPLES : !base.bytes) {
		skip_tests(b->name, b->spe,
			   "the session records too little without vcpu runs");
		return false;
	}
	ksft_test_result(resumed(b, &base, &runs),
			 "%s: recording resumes after vcpu runs%s\n", b->name,
			 mode_note);
	if (!b->spe)
		return true;
	if (b->el1)
		ksft_test_result(!runs.guest, "%s: no guest sample in the host's buffer%s\n",
				 b->name, mode_note);
	else
		ksft_test_result_skip("%s: no guest sample in the host's buffer: %s\n",
				      b->name, "host EL1 not permitted");
	return true;
}

/*
 * The KVM mode, as KVM's init message in the kernel log names it ("Hyp
 * nVHE", "Protected hVHE", "VHE", "Hyp" on older kernels), into mode;
 * false when the log cannot be read or no longer holds it.
 */
static bool kvm_mode(char *mode, int size)
{
	char *log, *end, *start;
	int len;

	len = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	if (len <= 0)
		return false;
	log = malloc(len + 1);
	TEST_ASSERT(log, "malloc failed");
	len = klogctl(SYSLOG_ACTION_READ_ALL, log, len);
	end = NULL;
	if (len > 0) {
		log[len] = '\0';
		end = strstr(log, " mode initialized successfully");
	}
	if (end) {
		*end = '\0';
		start = strrchr(log, ':');
		start = start ? start + 2 : log;
		snprintf(mode, size, "%s", start < end ? start : "?");
	}
	free(log);
	return end;
}

int main(void)
{
	struct host_buf bufs[MAX_BUFS] = {};
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	int i, n, ran = 0;
	bool has_trbe;
	char mode[64];

	TEST_ASSERT(!sched_getaffinity(0, sizeof(allowed), &allowed),
		    "sched_getaffinity failed");
	for (i = 0; i < MAX_BUFS; i++)
		bufs[i].fd = -1;
	n = find_spe(bufs, MAX_BUFS - 1);
	has_trbe = find_trbe(&bufs[n]);
	n += has_trbe;
	__TEST_REQUIRE(n, "no SPE (arm_spe_N) or TRBE (trbeN) on this system");

	ksft_print_header();
	if (!kvm_mode(mode, sizeof(mode))) {
		snprintf(mode, sizeof(mode), "unknown (no KVM init message in the kernel log)");
		mode_note = " (KVM mode unknown)";
	} else if (!strncmp(mode, "VHE", 3)) {
		/* Every other mode ("Hyp", "Hyp nVHE", "Protected ...") is nVHE's */
		mode_note = " (VHE: not the nVHE world switch)";
	}
	ksft_print_msg("KVM mode: %s%s\n", mode, mode_note);
	/* Two results per SPE instance (or two skips without), one for TRBE */
	ksft_set_plan(2 * (n > has_trbe ? n - has_trbe : 1) + 1);

	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	run_guest(vcpu);
	guest_loops = GUEST_LOOPS;
	sync_global_to_guest(vm, guest_loops);
	for (i = 0; i < n; i++)
		ran += test_buf(&bufs[i], vcpu);
	if (n == has_trbe)
		skip_tests("spe", true, "no arm_spe_N PMU");
	if (!has_trbe)
		skip_tests("trbe", false, "no TRBE (trbeN) device");
	kvm_vm_free(vm);
	ksft_print_msg("%d of %d units recorded\n", ran, n);
	ksft_finished();
}

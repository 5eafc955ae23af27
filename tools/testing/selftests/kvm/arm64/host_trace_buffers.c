// SPDX-License-Identifier: GPL-2.0-only
/*
 * host_trace_buffers - the host's trace and profiling buffers around vcpu runs
 *
 * Guest part, on any host: over thousands of runs that exit through
 * ucalls, MMIO, trapped system registers and timer interrupts, the guest
 * checks that ID_AA64DFR0_EL1 hides the Trace Buffer Extension, the trace
 * filter and SPE, and that every access to a trace buffer (TRB*), profiling
 * buffer (PMB*, PMSCR) or trace filter (TRFCR) register takes an UNDEF.
 * The buffer ID registers may instead read back with their P bit set,
 * saying that EL1 may not program the buffer.
 *
 * Host part, where the host owns TRBE (cs_etm) or SPE (arm_spe): with an
 * AUX buffer open on the vcpu thread's CPU, the host's user code must be
 * recorded again after the vcpu runs, the guest's own execution must leave
 * (almost) nothing in the buffer, and no AUX record may report truncation
 * or collision.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "arch_timer.h"
#include "gic.h"
#include "kvm_util.h"
#include "processor.h"
#include "test_util.h"
#include "ucall_common.h"
#include "vgic.h"

/* No memslot backs this address: every access exits to userspace. */
#define MMIO_GPA		0x9000000ULL
#define NR_CHECK_RUNS		2000
#define NR_AUX_RUNS		200
#define NR_SPIN_RUNS		20
#define SPIN_US			2000
#define HOST_BUSY_LOOPS		200000
#define AUX_BYTES		(4 << 20)
#define DATA_PAGES		16
#define TIMEOUT_S		240
#define MAX_CPUS		4096

/* ESR_ELx.EC of an UNDEF: unknown reason. */
#define EC_UNKNOWN		0x00

/* ID_AA64DFR0_EL1.{TraceBuffer, TraceFilt, PMSVer}: KVM hides all three. */
#define DFR0_TRBE		GENMASK_ULL(47, 44)
#define DFR0_TRF		GENMASK_ULL(43, 40)
#define DFR0_SPE		GENMASK_ULL(35, 32)
/* TRBIDR_EL1.P and PMBIDR_EL1.P: a higher EL owns the buffer. */
#define BUF_IDR_P		BIT(4)

enum guest_cmd { CMD_CHECK, CMD_SPIN, CMD_DONE };

/* Set by the host between runs. */
static u64 guest_cmd;
static u32 vtimer_irq;

/* Counted by the guest, read by the host at the end. */
static u64 nr_undef;
static u64 nr_reg_bad;
static u64 nr_id_readable;
static int bad_reg = -1;
static u64 bad_reg_val;
static u64 nr_dfr0_reads;
static u64 nr_dfr0_bad;
static u64 bad_dfr0;
static u64 nr_timer_irqs;

#define BUF_REG_READ(reg)						\
static u64 read_##reg(void)						\
{									\
	return read_sysreg_s(SYS_##reg);				\
}

#define BUF_REG_RW(reg)							\
BUF_REG_READ(reg)							\
static void write_##reg(u64 val)					\
{									\
	write_sysreg_s(val, SYS_##reg);					\
}

BUF_REG_RW(TRBLIMITR_EL1)
BUF_REG_RW(TRBPTR_EL1)
BUF_REG_RW(TRBBASER_EL1)
BUF_REG_RW(TRBSR_EL1)
BUF_REG_RW(TRBMAR_EL1)
BUF_REG_RW(TRBTRG_EL1)
BUF_REG_READ(TRBIDR_EL1)
BUF_REG_RW(PMBLIMITR_EL1)
BUF_REG_RW(PMBPTR_EL1)
BUF_REG_RW(PMBSR_EL1)
BUF_REG_READ(PMBIDR_EL1)
BUF_REG_RW(PMSCR_EL1)
BUF_REG_RW(TRFCR_EL1)

struct buf_reg {
	const char *name;
	u64 (*read)(void);
	void (*write)(u64 val);
	/* ID register: the bit that says EL1 may not program the buffer */
	u64 prohibited;
};

#define RW_REG(reg)	{ #reg, read_##reg, write_##reg, 0 }
#define ID_REG(reg)	{ #reg, read_##reg, NULL, BUF_IDR_P }

static const struct buf_reg buf_regs[] = {
	RW_REG(TRBLIMITR_EL1),
	RW_REG(TRBPTR_EL1),
	RW_REG(TRBBASER_EL1),
	RW_REG(TRBSR_EL1),
	RW_REG(TRBMAR_EL1),
	RW_REG(TRBTRG_EL1),
	ID_REG(TRBIDR_EL1),
	RW_REG(PMBLIMITR_EL1),
	RW_REG(PMBPTR_EL1),
	RW_REG(PMBSR_EL1),
	ID_REG(PMBIDR_EL1),
	RW_REG(PMSCR_EL1),
	RW_REG(TRFCR_EL1),
};

static void guest_undef_handler(struct ex_regs *regs)
{
	WRITE_ONCE(nr_undef, nr_undef + 1);
	regs->pc += 4;
}

static void guest_irq_handler(struct ex_regs *regs)
{
	u32 intid = gic_get_and_ack_irq();

	if (intid == 1023)
		return;
	if (intid == vtimer_irq) {
		timer_set_ctl(VIRTUAL, CTL_IMASK);
		WRITE_ONCE(nr_timer_irqs, nr_timer_irqs + 1);
	}
	gic_set_eoi(intid);
}

/* Did the access just made take exactly one UNDEF? */
static bool guest_undef_since(u64 before)
{
	barrier();
	return READ_ONCE(nr_undef) == before + 1;
}

static void guest_reg_bad(int i, u64 val)
{
	if (!nr_reg_bad++) {
		bad_reg = i;
		bad_reg_val = val;
	}
}

static void guest_check_reg(int i)
{
	const struct buf_reg *r = &buf_regs[i];
	u64 before = READ_ONCE(nr_undef);
	u64 val;

	barrier();
	val = r->read();
	if (!guest_undef_since(before)) {
		if (r->prohibited & val)
			nr_id_readable++;
		else
			guest_reg_bad(i, val);
	}

	if (!r->write)
		return;
	before = READ_ONCE(nr_undef);
	barrier();
	r->write(0);
	if (!guest_undef_since(before))
		guest_reg_bad(i, 0);
}

static void guest_check_dfr0(void)
{
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1);

	nr_dfr0_reads++;
	if (dfr0 & (DFR0_TRBE | DFR0_TRF | DFR0_SPE)) {
		nr_dfr0_bad++;
		bad_dfr0 = dfr0;
	}
}

/*
 * Arm the virtual timer 50us ahead and wait in WFI for its interrupt. An
 * interrupt that never comes fails the test within ten seconds rather than
 * hanging it.
 */
static void guest_wait_timer_irq(void)
{
	u64 seen = READ_ONCE(nr_timer_irqs);
	u64 freq = read_sysreg(cntfrq_el0);
	u64 now;

	local_irq_disable();
	now = timer_get_cntct(VIRTUAL);
	timer_set_cval(VIRTUAL, now + freq / 20000 + 1);
	timer_set_ctl(VIRTUAL, CTL_ENABLE);
	while (READ_ONCE(nr_timer_irqs) == seen) {
		GUEST_ASSERT(timer_get_cntct(VIRTUAL) - now < 10 * freq);
		asm volatile("wfi" : : : "memory");
		local_irq_enable();
		isb();
		local_irq_disable();
	}
}

static void guest_check_once(void)
{
	int i;

	guest_check_dfr0();
	for (i = 0; i < ARRAY_SIZE(buf_regs); i++)
		guest_check_reg(i);
	WRITE_ONCE(*(u64 *)MMIO_GPA, nr_dfr0_reads);
	guest_wait_timer_irq();
}

static void guest_spin(void)
{
	u64 ticks = read_sysreg(cntfrq_el0) / 1000000 * SPIN_US;
	u64 end = timer_get_cntct(VIRTUAL) + ticks;

	while (timer_get_cntct(VIRTUAL) < end)
		cpu_relax();
}

static void guest_code(void)
{
	gic_init(GIC_V3, 1);
	gic_irq_enable(vtimer_irq);

	for (;;) {
		switch (READ_ONCE(guest_cmd)) {
		case CMD_CHECK:
			guest_check_once();
			break;
		case CMD_SPIN:
			guest_spin();
			break;
		default:
			GUEST_DONE();
		}
		GUEST_SYNC(0);
	}
}

static u64 nr_mmio_exits;
static u64 nr_syncs;

/* One guest command, up to its ucall; MMIO exits on the way are counted. */
static void run_guest(struct kvm_vcpu *vcpu, u64 cmd, unsigned int n)
{
	struct ucall uc;

	guest_cmd = cmd;
	sync_global_to_guest(vcpu->vm, guest_cmd);
	while (n) {
		vcpu_run(vcpu);
		if (vcpu->run->exit_reason == KVM_EXIT_MMIO &&
		    vcpu->run->mmio.phys_addr == MMIO_GPA) {
			nr_mmio_exits++;
			continue;
		}
		switch (get_ucall(vcpu, &uc)) {
		case UCALL_SYNC:
			nr_syncs++;
			n--;
			break;
		case UCALL_DONE:
			return;
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
			break;
		default:
			TEST_FAIL("unexpected exit %u", vcpu->run->exit_reason);
		}
	}
}

static void report_guest(struct kvm_vm *vm)
{
	u64 want_undef;
	int i, nr_access = 0;

	sync_global_from_guest(vm, nr_undef);
	sync_global_from_guest(vm, nr_reg_bad);
	sync_global_from_guest(vm, nr_id_readable);
	sync_global_from_guest(vm, bad_reg);
	sync_global_from_guest(vm, bad_reg_val);
	sync_global_from_guest(vm, nr_dfr0_reads);
	sync_global_from_guest(vm, nr_dfr0_bad);
	sync_global_from_guest(vm, bad_dfr0);
	sync_global_from_guest(vm, nr_timer_irqs);

	/* Every access UNDEFs but the ID reads that said "prohibited". */
	for (i = 0; i < ARRAY_SIZE(buf_regs); i++)
		nr_access += buf_regs[i].write ? 2 : 1;
	want_undef = nr_access * nr_dfr0_reads - nr_id_readable;

	ksft_print_msg("%lu checks: %lu UNDEFs (%lu expected), %lu ID reads said prohibited\n",
		       nr_dfr0_reads, nr_undef, want_undef, nr_id_readable);
	ksft_print_msg("exits: %lu MMIO, %lu timer IRQs, %lu ucalls\n",
		       nr_mmio_exits, nr_timer_irqs, nr_syncs);
	if (nr_dfr0_bad)
		ksft_print_msg("ID_AA64DFR0_EL1 read as %#lx\n", bad_dfr0);
	ksft_test_result(nr_dfr0_reads == NR_CHECK_RUNS && !nr_dfr0_bad,
			 "ID_AA64DFR0_EL1 hides TraceBuffer, TraceFilt and PMSVer\n");

	if (nr_reg_bad)
		ksft_print_msg("%lu accesses did not UNDEF, first %s (read %#lx)\n",
			       nr_reg_bad, buf_regs[bad_reg].name, bad_reg_val);
	ksft_test_result(!nr_reg_bad && nr_dfr0_reads && nr_undef == want_undef,
			 "buffer and filter registers UNDEF in the guest\n");

	ksft_test_result(nr_mmio_exits == NR_CHECK_RUNS &&
			 nr_timer_irqs == NR_CHECK_RUNS &&
			 nr_syncs >= NR_CHECK_RUNS,
			 "guest ran through ucall, MMIO, sysreg and timer exits\n");
}

/* --- host part: an AUX buffer of the host's trace or profiling unit --- */

struct aux_pmu {
	const char *tag;	/* for the test names */
	const char *pmu;	/* in /sys/bus/event_source/devices */
	int type;
	int cpu;
	bool kernel;		/* EL1 recorded too: the guest's EL1 could leak */
	int fd;
	struct perf_event_mmap_page *pg;
	void *aux;
	u64 aux_seen;
	u64 nr_truncated, nr_collision, nr_lost, nr_aux_records;
};

static long page_size_host;

static int read_int(const char *path, int *val)
{
	FILE *f = fopen(path, "r");
	int ret;

	if (!f)
		return -1;
	ret = fscanf(f, "%d", val) == 1 ? 0 : -1;
	fclose(f);
	return ret;
}

/* The first CPU with a TRBE sink, or -1. */
static int trbe_cpu(void)
{
	char path[64];
	int cpu;

	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		snprintf(path, sizeof(path), "/sys/bus/coresight/devices/trbe%d", cpu);
		if (!access(path, F_OK))
			return cpu;
	}
	return -1;
}

static bool find_pmu(struct aux_pmu *p)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s/type", p->pmu);
	if (read_int(path, &p->type))
		return false;
	if (!strcmp(p->tag, "trbe"))
		return (p->cpu = trbe_cpu()) >= 0;
	/* cpumask lists the CPUs SPE is on, "0-3,6": take the first. */
	snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s/cpumask", p->pmu);
	return !read_int(path, &p->cpu);
}

static int open_aux(struct aux_pmu *p, bool kernel)
{
	struct perf_event_attr attr = {
		.type = p->type,
		.size = sizeof(attr),
		.disabled = 1,
		.exclude_kernel = !kernel,
		.exclude_hv = 1,
		.sample_period = strcmp(p->tag, "spe") ? 0 : 4096,
	};

	p->kernel = kernel;
	p->fd = syscall(__NR_perf_event_open, &attr, 0, -1, -1, 0);
	return p->fd;
}

static const char *setup_aux(struct aux_pmu *p)
{
	size_t data_len = (1 + DATA_PAGES) * page_size_host;
	unsigned long mask[MAX_CPUS / BITS_PER_LONG] = {};

	if (p->cpu >= MAX_CPUS)
		return "the buffer's CPU number is too large";
	mask[p->cpu / BITS_PER_LONG] = 1UL << (p->cpu % BITS_PER_LONG);
	if (syscall(__NR_sched_setaffinity, 0, sizeof(mask), mask))
		return "cannot pin the vcpu thread to the buffer's CPU";
	if (open_aux(p, true) < 0 && open_aux(p, false) < 0)
		return "perf_event_open of the AUX event failed";
	p->pg = mmap(NULL, data_len, PROT_READ | PROT_WRITE, MAP_SHARED, p->fd, 0);
	if (p->pg == MAP_FAILED)
		return "mmap of the perf data area failed";
	p->pg->aux_offset = data_len;
	p->pg->aux_size = AUX_BYTES;
	p->aux = mmap(NULL, p->pg->aux_size, PROT_READ | PROT_WRITE,
		      MAP_SHARED, p->fd, p->pg->aux_offset);
	if (p->aux == MAP_FAILED)
		return "mmap of the AUX area failed";
	return NULL;
}

/* Copy LEN bytes at ring offset OFF out of the data area, wrapping. */
static void ring_copy(struct aux_pmu *p, u64 off, void *dst, size_t len)
{
	size_t size = DATA_PAGES * page_size_host;
	char *ring = (char *)p->pg + page_size_host;
	size_t i;

	for (i = 0; i < len; i++)
		((char *)dst)[i] = ring[(off + i) % size];
}

/* Read the records since the last call; the AUX bytes written since then. */
static u64 drain(struct aux_pmu *p)
{
	u64 head = __atomic_load_n(&p->pg->data_head, __ATOMIC_ACQUIRE);
	u64 tail = p->pg->data_tail, aux_head, bytes;
	struct perf_event_header h;
	u64 rec[3];	/* aux_offset, aux_size, flags */

	while (tail < head) {
		ring_copy(p, tail, &h, sizeof(h));
		if (h.type == PERF_RECORD_AUX) {
			ring_copy(p, tail + sizeof(h), rec, sizeof(rec));
			p->nr_aux_records++;
			p->nr_truncated += !!(rec[2] & PERF_AUX_FLAG_TRUNCATED);
			p->nr_collision += !!(rec[2] & PERF_AUX_FLAG_COLLISION);
		} else if (h.type == PERF_RECORD_LOST) {
			p->nr_lost++;
		}
		tail += h.size ? h.size : head - tail;
	}
	__atomic_store_n(&p->pg->data_tail, head, __ATOMIC_RELEASE);

	aux_head = __atomic_load_n(&p->pg->aux_head, __ATOMIC_ACQUIRE);
	bytes = aux_head - p->aux_seen;
	p->aux_seen = aux_head;
	__atomic_store_n(&p->pg->aux_tail, aux_head, __ATOMIC_RELEASE);
	return bytes;
}

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static unsigned long busy_sink;

/* Branchy user code for the buffer to record. */
static void host_busy(unsigned long loops)
{
	unsigned long i, sum = 0;

	for (i = 0; i < loops; i++) {
		if ((i * 2654435761UL) >> 31 & 1)
			sum += i;
		barrier();
	}
	busy_sink = sum;
}

enum phase { PHASE_HOST, PHASE_RUNS, PHASE_SPIN };

/*
 * Stopping the event is what publishes the AUX head: stop, count, and go
 * on, so that no window fills the buffer whatever the PMU records.
 */
static u64 flush(struct aux_pmu *p)
{
	u64 bytes;

	ioctl(p->fd, PERF_EVENT_IOC_DISABLE, 0);
	bytes = drain(p);
	ioctl(p->fd, PERF_EVENT_IOC_ENABLE, 0);
	return bytes;
}

/* Record one phase with the event enabled; return bytes, time in *ns. */
static u64 record(struct aux_pmu *p, struct kvm_vcpu *vcpu, enum phase ph,
		  u64 *ns)
{
	u64 start = now_ns(), bytes = 0;
	int i;

	drain(p);
	ioctl(p->fd, PERF_EVENT_IOC_ENABLE, 0);
	switch (ph) {
	case PHASE_HOST:
		host_busy(HOST_BUSY_LOOPS);
		break;
	case PHASE_RUNS:
		for (i = 0; i < NR_AUX_RUNS; i++) {
			run_guest(vcpu, CMD_CHECK, 1);
			host_busy(HOST_BUSY_LOOPS / NR_AUX_RUNS);
			bytes += flush(p);
		}
		break;
	case PHASE_SPIN:
		for (i = 0; i < NR_SPIN_RUNS; i++) {
			run_guest(vcpu, CMD_SPIN, 1);
			bytes += flush(p);
		}
		break;
	}
	ioctl(p->fd, PERF_EVENT_IOC_DISABLE, 0);
	*ns = now_ns() - start;
	return bytes + drain(p);
}

static void test_aux(struct aux_pmu *p, struct kvm_vcpu *vcpu)
{
	u64 before, runs, after, spin, t_before, t_runs, t_after, t_spin;
	const char *why = setup_aux(p);

	if (why) {
		ksft_print_msg("%s: %s: %s\n", p->tag, why, strerror(errno));
		ksft_test_result_skip("%s: AUX head advances after vcpu runs\n", p->tag);
		ksft_test_result_skip("%s: nothing recorded while the guest spins\n", p->tag);
		ksft_test_result_skip("%s: no truncation or collision\n", p->tag);
		return;
	}
	before = record(p, vcpu, PHASE_HOST, &t_before);
	runs = record(p, vcpu, PHASE_RUNS, &t_runs);
	after = record(p, vcpu, PHASE_HOST, &t_after);
	spin = record(p, vcpu, PHASE_SPIN, &t_spin);
	ksft_print_msg("%s on CPU %d, %s: AUX bytes / microseconds:\n",
		       p->tag, p->cpu, p->kernel ? "EL0 and EL1" : "EL0 only");
	ksft_print_msg("host %lu/%lu, %u runs %lu/%lu, host %lu/%lu, spin %lu/%lu\n",
		       before, t_before / 1000, NR_AUX_RUNS, runs, t_runs / 1000,
		       after, t_after / 1000, spin, t_spin / 1000);

	ksft_test_result(before && runs && after * 4 >= before,
			 "%s: AUX head advances after vcpu runs\n", p->tag);
	/*
	 * Compare rates: the spin phase's host work (the KVM_RUN round
	 * trips) is tiny, so a rate near the busy host's means the guest
	 * was recorded. Without EL1 the filter alone hides the guest.
	 */
	if (p->kernel)
		ksft_test_result(before && spin * t_before * 8 <= before * t_spin,
				 "%s: nothing recorded while the guest spins\n", p->tag);
	else
		ksft_test_result_skip("%s: nothing recorded while the guest spins (no EL1)\n",
				      p->tag);
	ksft_print_msg("%s: %lu AUX records, %lu truncated, %lu collided, %lu lost\n",
		       p->tag, p->nr_aux_records, p->nr_truncated,
		       p->nr_collision, p->nr_lost);
	ksft_test_result(p->nr_aux_records && !p->nr_truncated &&
			 !p->nr_collision && !p->nr_lost,
			 "%s: no truncation or collision\n", p->tag);
}

static void test_host(struct kvm_vcpu *vcpu)
{
	struct aux_pmu pmus[] = {
		{ .tag = "trbe", .pmu = "cs_etm" },
		{ .tag = "spe", .pmu = "arm_spe_0" },
	};
	int i;

	page_size_host = sysconf(_SC_PAGESIZE);
	for (i = 0; i < ARRAY_SIZE(pmus); i++) {
		if (find_pmu(&pmus[i])) {
			test_aux(&pmus[i], vcpu);
			continue;
		}
		ksft_print_msg("%s: no %s PMU with a buffer on this host\n",
			       pmus[i].tag, pmus[i].pmu);
		ksft_test_result_skip("%s: AUX head advances after vcpu runs\n",
				      pmus[i].tag);
		ksft_test_result_skip("%s: nothing recorded while the guest spins\n",
				      pmus[i].tag);
		ksft_test_result_skip("%s: no truncation or collision\n",
				      pmus[i].tag);
	}
}

static void timeout(int sig)
{
	char msg[160];
	int len;

	/* Keep what was printed, then say how far the runs got. */
	fflush(stdout);
	len = snprintf(msg, sizeof(msg),
		       "Bail out! timed out after %lu ucalls and %lu MMIO exits: a vcpu run or the AUX buffer hung\n",
		       nr_syncs, nr_mmio_exits);
	write(STDOUT_FILENO, msg, len);
	_exit(KSFT_FAIL);
}

int main(void)
{
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	u64 irq;
	int gic_fd;

	signal(SIGALRM, timeout);
	alarm(TIMEOUT_S);

	vm = vm_create_with_one_vcpu(&vcpu, guest_code);
	/* Some trees give every VM a vGICv3; then a second one is refused. */
	gic_fd = vgic_v3_setup(vm, 1, 64);
	__TEST_REQUIRE(gic_fd >= 0 || errno == EEXIST, "no vGICv3 on this host");
	virt_map(vm, MMIO_GPA, MMIO_GPA, 1);

	vm_init_descriptor_tables(vm);
	vcpu_init_descriptor_tables(vcpu);
	vm_install_sync_handler(vm, VECTOR_SYNC_CURRENT, EC_UNKNOWN,
				guest_undef_handler);
	vm_install_exception_handler(vm, VECTOR_IRQ_CURRENT, guest_irq_handler);

	vcpu_device_attr_get(vcpu, KVM_ARM_VCPU_TIMER_CTRL,
			     KVM_ARM_VCPU_TIMER_IRQ_VTIMER, &irq);
	vtimer_irq = irq;
	sync_global_to_guest(vm, vtimer_irq);

	ksft_print_header();
	ksft_set_plan(9);

	run_guest(vcpu, CMD_CHECK, NR_CHECK_RUNS);
	report_guest(vm);
	test_host(vcpu);

	run_guest(vcpu, CMD_DONE, 1);
	if (gic_fd >= 0)
		close(gic_fd);
	kvm_vm_free(vm);
	ksft_finished();
}

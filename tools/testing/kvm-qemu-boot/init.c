// SPDX-License-Identifier: GPL-2.0
/*
 * init for the kvm-nvhe-buffers boot test: mount what the KVM selftests
 * need, run each program listed in /tests with a time limit, print one
 * KTAP line per program (their own output indented with "# "), and power
 * the machine off. Built static for arm64; runs as PID 1 of an initramfs.
 * When the initramfs holds the TRBE test module, it is loaded before the
 * programs run and unloaded after them.
 *
 * init keeps one VM of its own for the whole run (hold_vm()), so that the
 * kernel's preempt notifier key stays enabled from the first program to
 * the last. Without it, each VM a program creates and destroys turns the
 * key on and off, and under QEMU TCG a vcpu thread was seen back on a CPU
 * without its sched_in notifier having run (vcpu->cpu -1, no running
 * vcpu): the KVM selftests then hit "No vcpu context!" and
 * mark_page_dirty_in_slot warnings (README, "Boot test").
 *
 * When the initramfs holds /waker (a period in microseconds), a task
 * pinned to each CPU wakes at that period while the programs run, so that
 * their threads are switched out and back in as on a busy host: the perf
 * drivers program a buffer again at each switch in, which must not hide a
 * world switch that left it disabled (mk/reproduce.sh boots with it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/kvm.h>

#define TEST_LIST	"/tests"
#define TEST_DIR	"/selftests/"
#define TIME_LIMIT	300	/* seconds per program */
#define MAX_TESTS	128
#define KSFT_SKIP	4
#define TRBE_MODULE	"/trbe_on.ko"
#define TRBE_NAME	"trbe_on"
#define WAKER		"/waker"
#define MAX_CPUS	64

struct test {
	char name[64];
	char args[128];
};

static struct test tests[MAX_TESTS];
static volatile pid_t running;
static volatile int timed_out;

static void on_alarm(int sig __attribute__((unused)))
{
	timed_out = 1;
	if (running > 0)
		kill(running, SIGKILL);
}

/* hold_vm: create a VM and keep it (and /dev/kvm) open; -1 without KVM */
static int hold_vm(void)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (kvm < 0)
		return -1;
	return ioctl(kvm, KVM_CREATE_VM, 0);
}

static void mount_fs(const char *src, const char *dir, const char *type)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, 0, NULL) && errno != EBUSY)
		printf("# knb-init: mount %s on %s: %s\n", type, dir, strerror(errno));
}

/* Load the TRBE test module if the initramfs has it; true when loaded. */
static int load_trbe_module(void)
{
	int fd = open(TRBE_MODULE, O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return 0;
	ret = syscall(SYS_finit_module, fd, "", 0);
	if (ret)
		printf("# knb-init: %s not loaded: %s\n", TRBE_MODULE,
		       strerror(errno));
	else
		printf("# knb-init: %s loaded\n", TRBE_MODULE);
	close(fd);
	return !ret;
}

static void unload_trbe_module(void)
{
	if (syscall(SYS_delete_module, TRBE_NAME, O_NONBLOCK))
		printf("# knb-init: %s not unloaded: %s\n", TRBE_NAME,
		       strerror(errno));
	else
		printf("# knb-init: %s unloaded\n", TRBE_NAME);
}

/* A waker: pinned to CPU cpu, sleep for period, forever. */
static void wake(int cpu, struct timespec period)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
	for (;;)
		nanosleep(&period, NULL);
}

/* Start the wakers /waker asks for; how many were started. */
static int start_wakers(pid_t *pids)
{
	FILE *f = fopen(WAKER, "r");
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct timespec period;
	unsigned long usec;
	int n;

	if (!f)
		return 0;
	n = fscanf(f, "%lu", &usec);
	fclose(f);
	if (n != 1 || !usec) {
		printf("# knb-init: %s holds no period; no waker\n", WAKER);
		return 0;
	}
	period.tv_sec = usec / 1000000;
	period.tv_nsec = usec % 1000000 * 1000;
	for (n = 0; n < cpus && n < MAX_CPUS; n++) {
		pids[n] = fork();
		if (pids[n] < 0)
			break;
		if (!pids[n])
			wake(n, period);
	}
	printf("# knb-init: a waker on each of %d CPUs, every %lu us\n", n, usec);
	return n;
}

static void stop_wakers(pid_t *pids, int n)
{
	while (n--) {
		kill(pids[n], SIGKILL);
		waitpid(pids[n], NULL, 0);
	}
}

/* Each line of /tests: a program name, then its arguments. */
static int read_tests(void)
{
	char line[256];
	FILE *f = fopen(TEST_LIST, "r");
	int n = 0;

	if (!f)
		return -1;
	while (n < MAX_TESTS && fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%63s %127[^\n]", tests[n].name, tests[n].args) >= 1)
			n++;
	}
	fclose(f);
	return n;
}

/* Copy the child's output to the console, each line behind "# ". */
static void relay(int fd)
{
	char buf[512];
	int bol = 1;
	ssize_t len;

	while ((len = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < len; i++) {
			if (bol)
				fputs("# ", stdout);
			putchar(buf[i]);
			bol = buf[i] == '\n';
		}
		fflush(stdout);
	}
	if (!bol)
		putchar('\n');
}

static void exec_test(const struct test *t, int out)
{
	char path[96], cmd[256];

	snprintf(path, sizeof(path), TEST_DIR "%s", t->name);
	snprintf(cmd, sizeof(cmd), "%s %s", path, t->args);
	dup2(out, 1);
	dup2(out, 2);
	if (t->args[0]) {
		char *argv[16] = { path };
		char *save, *tok = strtok_r(cmd + strlen(path), " ", &save);
		int i = 1;

		while (tok && i < 15) {
			argv[i++] = tok;
			tok = strtok_r(NULL, " ", &save);
		}
		execv(path, argv);
	} else {
		execl(path, path, (char *)NULL);
	}
	fprintf(stderr, "exec %s: %s\n", path, strerror(errno));
	_exit(127);
}

/* Run one program: 0 pass, 1 fail, 2 skip, 3 killed at the time limit. */
static int run_test(const struct test *t, int *why)
{
	int fds[2], status;
	pid_t pid;

	if (pipe(fds))
		return 1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		exec_test(t, fds[1]);
	}
	close(fds[1]);
	running = pid;
	timed_out = 0;
	alarm(TIME_LIMIT);
	relay(fds[0]);
	close(fds[0]);
	waitpid(pid, &status, 0);
	alarm(0);
	running = 0;
	*why = status;
	if (timed_out)
		return 3;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == KSFT_SKIP)
		return 2;
	return 1;
}

static void report(int i, const struct test *t, int res, int status)
{
	const char *name = t->name;

	if (res == 0)
		printf("ok %d %s%s%s\n", i, name, t->args[0] ? " " : "", t->args);
	else if (res == 2)
		printf("ok %d %s # SKIP\n", i, name);
	else if (res == 3)
		printf("not ok %d %s # TIMEOUT %ds\n", i, name, TIME_LIMIT);
	else if (WIFSIGNALED(status))
		printf("not ok %d %s # signal %d\n", i, name, WTERMSIG(status));
	else
		printf("not ok %d %s # exit=%d\n", i, name, WEXITSTATUS(status));
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	int n, i, status, res, count[3] = { 0 };
	int trbe, vm, wakers;
	pid_t waker[MAX_CPUS];

	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGALRM, &sa, NULL);
	mount_fs("proc", "/proc", "proc");
	mount_fs("sysfs", "/sys", "sysfs");
	mount_fs("devtmpfs", "/dev", "devtmpfs");
	/* The initramfs is already in memory: /tmp needs no tmpfs (no TMPFS=y) */
	mkdir("/tmp", 01777);

	n = read_tests();
	printf("KTAP version 1\n");
	trbe = load_trbe_module();
	vm = hold_vm();
	printf("# knb-init: %s\n", vm < 0 ? "no VM held (no /dev/kvm)" :
	       "holding a VM for the whole run");
	wakers = start_wakers(waker);
	if (n < 0) {
		printf("1..0 # SKIP no %s\n", TEST_LIST);
	} else {
		printf("1..%d\n", n);
		for (i = 0; i < n; i++) {
			printf("# knb-init: running %s\n", tests[i].name);
			res = run_test(&tests[i], &status);
			report(i + 1, &tests[i], res, status);
			count[res == 3 ? 1 : res]++;
		}
	}
	stop_wakers(waker, wakers);
	if (trbe)
		unload_trbe_module();
	printf("# knb-init: done pass:%d fail:%d skip:%d\n",
	       count[0], count[1], count[2]);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}

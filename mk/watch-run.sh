#!/bin/bash
# watch-run.sh RUN "PARENT..." [LOCKFILE]: started by mk/lib.sh beside
# each run (the first project script a command starts, pid RUN), before
# the run takes its BUILD's lock. Once RUN or any PARENT (make, and the
# shell make started it through) has gone, it ends RUN and every process
# still carrying KNB_RUN=RUN in its environment, wherever it was
# reparented to: TERM, then KILL 5 s later. Then it removes LOCKFILE if
# nobody holds it. It does not source lib.sh.
set -u

run=$1
parents=$2
lock=${3:-}

# start_time PID: when PID started (field 22 of its stat), to tell it
# from a later process given the same pid; fails when PID is gone or a
# zombie (its parent, make, killed: nobody may reap it).
start_time()
{
	local stat

	read -r stat <"/proc/$1/stat" 2>/dev/null || return 1
	stat=${stat##*) }
	# shellcheck disable=SC2086 # the fields after the command name
	set -- $stat
	[ "$1" != Z ] || return 1
	echo "${20}"
}

run_start=$(start_time "$run") || exit 0

# run_processes: the pids of the run's processes: RUN itself (its own
# environment predates its KNB_RUN) and those that inherited KNB_RUN.
run_processes()
{
	[ "$(start_time "$run")" != "$run_start" ] || echo "$run"
	grep -lzxF "KNB_RUN=$run" /proc/[0-9]*/environ 2>/dev/null |
		sed 's|^/proc/\([0-9]*\)/environ$|\1|'
	return 0
}

# alive: RUN and every PARENT still exist.
alive()
{
	local p

	[ "$(start_time "$run")" = "$run_start" ] || return 1
	for p in $parents; do
		kill -0 "$p" 2>/dev/null || return 1
	done
}

# remove_lock: the lock file goes when this watcher can take the lock:
# nobody holds it then, and a run waiting on the file opens it anew
# (take_lock checks that the file it locked is still in place).
remove_lock()
{
	local fd

	[ -n "$lock" ] && [ -e "$lock" ] || return 0
	exec {fd}<"$lock" || return 0
	if flock -n "$fd" && [ "$lock" -ef "/proc/$$/fd/$fd" ]; then
		rm -f "$lock"
	fi
	exec {fd}<&-
}

while alive; do
	sleep 0.5
done
pids=$(run_processes)
if [ -n "$pids" ]; then
	# shellcheck disable=SC2086 # one word per pid
	kill -TERM $pids 2>/dev/null
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		sleep 0.5
		pids=$(run_processes)
		[ -n "$pids" ] || break
	done
	# shellcheck disable=SC2086
	[ -z "$pids" ] || kill -KILL $pids 2>/dev/null
fi
remove_lock
exit 0

#!/bin/bash
# watch-run.sh RUN "PARENT...": started by mk/lib.sh beside each run (the
# first project script a command starts, pid RUN). Once RUN or any PARENT
# (make, and the shell make started it through) has gone, it ends every
# process still carrying KNB_RUN=RUN in its environment, wherever it was
# reparented to: TERM, then KILL 5 s later. It does not source lib.sh.
set -u

run=$1
parents=$2

# run_processes: the pids of the run's processes.
run_processes()
{
	local e pid

	for e in /proc/[0-9]*/environ; do
		pid=${e#/proc/}
		pid=${pid%/environ}
		tr '\0' '\n' <"$e" 2>/dev/null | grep -qx "KNB_RUN=$run" && echo "$pid"
	done
	return 0
}

# alive: RUN and every PARENT still exist.
alive()
{
	local p

	for p in $run $parents; do
		kill -0 "$p" 2>/dev/null || return 1
	done
}

while alive; do
	sleep 1
done
pids=$(run_processes)
[ -n "$pids" ] || exit 0
# shellcheck disable=SC2086 # one word per pid
kill -TERM $pids 2>/dev/null
sleep 5
pids=$(run_processes)
# shellcheck disable=SC2086
[ -z "$pids" ] || kill -KILL $pids 2>/dev/null
exit 0

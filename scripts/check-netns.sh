#!/usr/bin/env bash
# Multi-host check of the distributed service. The learner, as two MPI ranks, and two rollout workers each run in
# their own Linux network namespace, on their own address, joined by veth pairs to a bridge in a fifth namespace
# (the switch), so every message between them crosses a network link:
#
#     learner  10.77.0.1 ---+   rank 0: serves the workers
#     worker1  10.77.0.2 ---+
#     worker2  10.77.0.3 ---+--- bridge, in the "switch" namespace
#     learner2 10.77.0.4 ---+   rank 1: Open MPI over TCP, started through a "remote shell" that enters its namespace
#
#   0. The learner's two ranks start in their two namespaces (without Open MPI's mpirun, one learner process runs
#      alone, and the check says so).
#   1. Both workers are welcomed and have batches accepted across the links; the learner takes real steps, each
#      split over its ranks.
#   2. worker1's link is cut at the switch while it holds an assignment, for longer than the learner's
#      --worker-timeout: the learner reports worker1 lost and hands its questions out again, and worker2 keeps
#      the learner training.
#   3. The link is restored: worker1, which only ever saw silence, rejoins by itself and has batches accepted
#      again.
#   4. The learner finishes its model steps and exits 0; rank 1 followed it to the end, its parameters compared with
#      rank 0's every 5 steps.
#
# worker2 stops after a fixed number of batches (--max-batches), fewer than the run needs, so the run can only
# finish with worker1's batches after its link is back, however fast or slow the machine is. worker2's exit shows
# in the learner's log as one more lost worker.
#
# It reads the learner's text log ("listening: ", "worker NAME joined", "worker NAME lost; N questions handed out
# again", "step N ", "finished: version V, M model and ...") and the workers' --json events ("welcomed", "assigned",
# "rejoining", "ack" with "status":"accepted").
#
# Needs root and iproute2; anywhere else it skips, saying why. The namespaces get names unique to this run, the
# root namespace's network is never changed, and the namespaces and every process in them are removed on exit,
# also on failure or interrupt.
#
#   scripts/check-netns.sh VR_BINARY
set -uo pipefail
vr=${1:?usage: check-netns.sh VR_BINARY}

skip() {
    echo "netns: skipped: $*"
    exit 0
}
((EUID == 0)) || skip "not running as root (creating network namespaces needs root)"
command -v ip >/dev/null || skip "the ip command (iproute2) is not installed"
[[ -f $vr && -x $vr ]] || {
    echo "netns: $vr is not an executable file"
    exit 2
}
vr=$(cd "$(dirname "$vr")" && pwd)/$(basename "$vr")

prefix=vrnet$$ # unique per run, so parallel runs never share a namespace
switch=$prefix-switch
hosts=(learner worker1 worker2 learner2)
# Every run has its own bridge, so runs never see each other's addresses.
subnet=10.77.0
learner_ip=$subnet.1
request=tcp://$learner_ip:5555
publish=tcp://$learner_ip:5556
model_steps=40      # about 4 * 40 = 160 batches of one question (model and posterior phases, 2 questions a step)
worker2_batches=120 # fewer than the run needs, so the learner cannot finish without worker1, and enough that
#                    worker2 still trains it for a while once worker1 is lost, however fast the machine is
cut_seconds=6       # longer than --worker-timeout 2, and than the transport's heartbeat timeout (5 s)

work=$(mktemp -d)
namespaces=() # created so far, removed on exit
daemons=()    # process ids of the learner and the workers

cleanup() {
    trap - EXIT INT TERM
    local pids=() ns pid
    # The daemons, and anything else still running inside this run's namespaces.
    for pid in "${daemons[@]}"; do kill -0 "$pid" 2>/dev/null && pids+=("$pid"); done
    for ns in "${namespaces[@]}"; do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do pids+=("$pid"); done
    done
    if ((${#pids[@]} > 0)); then
        kill -TERM "${pids[@]}" 2>/dev/null
        for _ in $(seq 50); do
            local alive=0
            for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
            ((alive)) || break
            sleep 0.1
        done
        kill -KILL "${pids[@]}" 2>/dev/null
        wait 2>/dev/null
    fi
    for ns in "${namespaces[@]}"; do ip netns delete "$ns" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

passed=0
failed=0
pass() {
    passed=$((passed + 1))
    echo "ok: $*"
}
fail() { # fail NAME LOG...: a failed check, with the end of each log named
    local name=$1
    shift
    failed=$((failed + 1))
    echo "FAILED: $name"
    local log
    for log in "$@"; do
        echo "    --- $(basename "$log" .log), last lines:"
        tail -n 15 "$log" 2>/dev/null | sed 's/^/    /'
    done
}
finish() {
    echo "netns: $passed passed, $failed failed"
    ((failed == 0))
    exit
}
check() { # check NAME COMMAND...: the command must succeed
    local name=$1
    shift
    if "$@" >"$work/out" 2>&1; then
        pass "$name"
    else
        fail "$name" "$work/out"
        finish
    fi
}
# shellcheck source=lib/wait-for.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/wait-for.sh"
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# --- The virtual network -------------------------------------------------------------------------------------
# Capabilities the kernel may lack (namespaces, bridges, veth pairs) skip the check; anything else fails it.
need() { # need WHAT COMMAND...
    local what=$1 error
    shift
    error=$("$@" 2>&1) || skip "cannot create $what: $error"
}
setup() { # setup COMMAND...
    local error
    error=$("$@" 2>&1) || {
        fail "setting up the virtual network: $*: $error"
        finish
    }
}
need "a network namespace (ip netns add)" ip netns add "$switch"
namespaces+=("$switch")
need "a process in a network namespace (ip netns exec)" ip netns exec "$switch" true
setup ip -n "$switch" link set lo up
need "a bridge" ip -n "$switch" link add br0 type bridge
setup ip -n "$switch" link set br0 up
for i in "${!hosts[@]}"; do
    host=${hosts[i]}
    ns=$prefix-$host
    need "a network namespace (ip netns add)" ip netns add "$ns"
    namespaces+=("$ns")
    setup ip -n "$ns" link set lo up
    # The switch's port is named after the host; the host's end is eth0. Both ends are created inside the
    # namespaces, so no interface ever appears in the root namespace.
    need "a veth pair" ip -n "$switch" link add "$host" type veth peer name eth0 netns "$ns"
    setup ip -n "$switch" link set "$host" master br0
    setup ip -n "$switch" link set "$host" up
    setup ip -n "$ns" address add "$subnet.$((i + 1))/24" dev eth0
    setup ip -n "$ns" link set eth0 up
done
pass "namespaces ${hosts[*]} on $subnet.1-4, linked through a bridge in $switch"

# --- Data: addition tasks and tiny pi and q checkpoints ------------------------------------------------------
check "tasks and tiny pi and q checkpoints" bash -c "
    '$vr' tasks --families addition --count 40 --seed 1 --output '$work/tasks.jsonl' &&
    '$vr' sft-data --tasks '$work/tasks.jsonl' --stage reasoning --output '$work/pi.jsonl' &&
    '$vr' sft-data --tasks '$work/tasks.jsonl' --stage posterior --output '$work/q.jsonl' &&
    '$vr' sft --data '$work/pi.jsonl' --output '$work/pi' --steps 20 --batch-size 8 --seed 1 &&
    '$vr' sft --data '$work/q.jsonl' --output '$work/q' --steps 20 --batch-size 8 --seed 2"

# --- The daemons, one per namespace --------------------------------------------------------------------------
learner_log=$work/learner.log
worker1_log=$work/worker1.log
worker2_log=$work/worker2.log
: >"$learner_log" && : >"$worker1_log" && : >"$worker2_log" # there before anything polls them
# The learner as two ranks: mpirun in the learner's namespace starts rank 1 in learner2's through a "remote shell"
# that enters that namespace, and the ranks talk Open MPI's TCP over the links.
launcher=()
if command -v mpirun >/dev/null; then
    cat >"$work/netns-shell" <<SHELL
#!/bin/sh
# Open MPI's remote shell here: netns-shell HOST COMMAND... runs COMMAND in HOST's namespace.
host=\$1
shift
case \$host in
$learner_ip) exec ip netns exec $prefix-learner sh -c "\$*" ;;
$subnet.4) exec ip netns exec $prefix-learner2 sh -c "\$*" ;;
esac
echo "netns-shell: unknown host \$host" >&2
exit 1
SHELL
    chmod +x "$work/netns-shell"
    printf '%s slots=1\n%s slots=1\n' "$learner_ip" "$subnet.4" >"$work/hosts"
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    launcher=(mpirun --hostfile "$work/hosts" -n 2 --mca plm_rsh_agent "$work/netns-shell" --mca btl tcp,self
        --mca btl_tcp_if_include eth0 --mca oob_tcp_if_include eth0 -x VR_THREADS=1)
fi
VR_THREADS=1 ip netns exec "$prefix-learner" "${launcher[@]}" "$vr" learner --tasks "$work/tasks.jsonl" \
    --run "$work/run" --reasoning "$work/pi" --posterior "$work/q" --request-endpoint "$request" \
    --publish-endpoint "$publish" --worker-timeout 2 --model-steps "$model_steps" --questions-per-step 2 --traces 2 \
    --prior-traces 2 --questions-per-assignment 1 --rank-check-every 5 >"$learner_log" 2>&1 &
learner_pid=$!
daemons+=("$learner_pid")
if ! wait_for 30 grep -q '^listening: ' "$learner_log"; then
    fail "the learner listens on $learner_ip" "$learner_log"
    finish
fi
# rank_in NAMESPACE: a vr learner process runs in that namespace
rank_in() {
    local pid
    for pid in $(ip netns pids "$1"); do
        tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "learner --tasks" && return 0
    done
    return 1
}
if ((${#launcher[@]} == 0)); then
    echo "netns: one learner process: mpirun (Debian's openmpi-bin) is not installed"
elif grep -q '^rank 1 of 2 (pid ' "$learner_log" && rank_in "$prefix-learner" && rank_in "$prefix-learner2"; then
    pass "the learner runs as 2 ranks: rank 0 at $learner_ip, rank 1 at $subnet.4, over Open MPI's TCP"
else
    fail "the learner's ranks start in the learner and learner2 namespaces" "$learner_log"
    finish
fi
start_worker() { # start_worker NAME SEED ANSWERS EXTRA...
    local name=$1 seed=$2 answers=$3
    shift 3
    VR_THREADS=1 ip netns exec "$prefix-$name" "$vr" worker --tasks "$work/tasks.jsonl" \
        --request-endpoint "$request" --publish-endpoint "$publish" --id "$name" --seed "$seed" --json \
        --max-trace-tokens 16 --answers-per-trace "$answers" --learner-gone-seconds 0 "$@" >"$work/$name.log" 2>&1 &
    daemons+=("$!")
}
# worker1 samples 512 answers after each finished trace, so it holds most assignments for a tenth of a second or
# more and the link can be cut while the learner waits for one (section 2).
start_worker worker1 1 512
start_worker worker2 2 32 --max-batches "$worker2_batches"
worker2_pid=${daemons[-1]}

last_step() { awk '/^step [0-9]+ / { n = $2 } END { print n + 0 }' "$learner_log"; }
lines() { wc -l <"$1"; }
# after LINE FILE: the file's lines after line LINE
after() { tail -n +"$(($1 + 1))" "$2"; }
# first_after LINE PATTERN FILE: the number of the first line after LINE that matches PATTERN (extended regex)
first_after() { awk -v from="$1" -v pattern="$2" 'NR > from && $0 ~ pattern { print NR; exit }' "$3"; }

# --- 1. Training across the links ----------------------------------------------------------------------------
both_working() {
    local log
    for log in "$worker1_log" "$worker2_log"; do
        grep -q '"event":"welcomed"' "$log" && grep -q '"status":"accepted"' "$log" || return 1
    done
    grep -q '^worker worker1 joined' "$learner_log" && grep -q '^worker worker2 joined' "$learner_log" &&
        (($(last_step) >= 4))
}
if wait_for 60 both_working; then
    pass "both workers welcomed over their links and have batches accepted;" \
        "the learner at $learner_ip is at step $(last_step)"
else
    fail "both workers welcomed over their links, batches accepted, the learner stepping" \
        "$learner_log" "$worker1_log" "$worker2_log"
    finish
fi

# --- 2. Cut worker1's link -----------------------------------------------------------------------------------
# At the moment worker1 takes an assignment, so the learner is left waiting for questions worker1 holds. Its
# sampling takes from a millisecond (both traces cut off by the length limit: no answers follow them) to half a
# second, the cut a few milliseconds, so the batch may still go out first. Whether the cut hit is the learner's
# to say: its loss report names the questions worker1 held. When the batch went out before the cut by worker1's
# own clock, the link comes back at once; when the learner reports worker1 lost holding no questions (the batch
# went out as the link went down), the link comes back, worker1 rejoins, and the cut is tried again on a later
# assignment.
mkfifo "$work/worker1-events"
timeout 600 tail -n 0 -s 0.01 -f "$worker1_log" >"$work/worker1-events" &
tail_pid=$!
exec 3<"$work/worker1-events"
# steps_after LINE COUNT: the learner's log has COUNT steps after line LINE
steps_after() { awk -v from="$1" -v count="$2" 'NR > from && /^step [0-9]+ / { n++ } END { exit !(n >= count) }' \
    "$learner_log"; }
lost_line=
worker1_lost() {
    lost_line=$(first_after "$cut_line" '^worker worker1 lost' "$learner_log")
    [[ -n $lost_line ]]
}
# rejoined_since LINE: worker1 has been welcomed and had a batch accepted after line LINE of its log
rejoined_since() {
    local welcomed
    welcomed=$(first_after "$1" '"event":"welcomed"' "$worker1_log")
    [[ -n $welcomed && -n $(first_after "$welcomed" '"status":"accepted"' "$worker1_log") ]]
}
held=
lost=
missed=0
for attempt in 1 2 3 4 5 6 7 8 9 10; do
    not_before=$(now) # assignments taken earlier wait in the pipe: the cut is tried on a fresh one
    cut_line=$(lines "$learner_log")
    worker1_cut_line=$(lines "$worker1_log")
    assigned=
    while read -r -t 30 line <&3; do
        [[ $line == *'"event":"assigned"'* ]] || continue
        taken=$(sed -n 's/.*"time":"\([0-9.]*\)".*/\1/p' <<<"$line")
        if awk -v taken="${taken:-0}" -v from="$not_before" 'BEGIN { exit !(taken >= from) }'; then
            assigned=$line
            break
        fi
    done
    if [[ -z $assigned ]]; then
        fail "worker1 takes an assignment within 30 s (try $attempt)" "$worker1_log"
        finish
    fi
    cut_time=$(now)
    ip -n "$switch" link set worker1 down
    step_at_cut=$(last_step)
    assignment=$(sed -n 's/.*"assignment":"\([0-9]*\)".*/\1/p' <<<"$assigned")
    sent=$(grep "\"assignment\":\"$assignment\",\"event\":\"batch\"" "$worker1_log" |
        sed -n 's/.*"time":"\([0-9.]*\)".*/\1/p')
    if [[ -n $sent ]] && awk -v sent="$sent" -v cut="$cut_time" 'BEGIN { exit !(sent <= cut) }'; then
        ip -n "$switch" link set worker1 up # sent before the cut
        continue
    fi
    if ! wait_for 20 worker1_lost; then
        fail "the learner reports worker1 lost within 20 s of the cut" "$learner_log" "$worker1_log"
        finish
    fi
    lost=$(sed -n "${lost_line}p" "$learner_log")
    count=$(sed -n 's/.*lost; \([0-9]*\) questions.*/\1/p' <<<"$lost")
    if [[ -n $count ]] && ((count > 0)); then
        held=$assignment
        break
    fi
    # The batch reached the learner before the link went down: restore it and wait for worker1 to rejoin.
    missed=$((missed + 1))
    restored_line=$(lines "$worker1_log")
    ip -n "$switch" link set worker1 up
    if ! kill -0 "$worker2_pid" 2>/dev/null; then
        fail "worker2 still works when the cut is tried again ($missed missed: \"$lost\")" "$worker2_log"
        finish
    fi
    if ! wait_for 30 rejoined_since "$restored_line"; then
        fail "worker1 rejoins after a cut that missed its assignment (\"$lost\")" "$learner_log" "$worker1_log"
        finish
    fi
done
kill "$tail_pid" 2>/dev/null
exec 3<&-
if [[ -z $held ]]; then
    fail "the link is cut while worker1 holds an assignment (10 tries)" "$learner_log" "$worker1_log"
    finish
fi
lost_seconds=$(since "$cut_time")
pass "worker1's link cut while it holds assignment $held (try $attempt, $missed missed):" \
    "within ${lost_seconds} s the learner reports \"$lost\""
# worker2 alone, the link still down: steps after the loss.
if wait_for 30 steps_after "$lost_line" 3; then
    pass "worker2 keeps the learner training during the cut: step $step_at_cut at the cut, $(last_step) now"
else
    fail "worker2 keeps the learner training during the cut (3 steps after worker1 is lost)" "$learner_log" \
        "$worker2_log"
fi
while awk -v a="$cut_time" -v b="$(now)" -v s="$cut_seconds" 'BEGIN { exit !(b - a < s) }'; do sleep 0.1; done
if after "$worker1_cut_line" "$worker1_log" | grep -q '"event":"rejoining"'; then
    pass "worker1 notices the learner's silence during the cut and tries to rejoin"
else
    fail "worker1 notices the learner's silence during the cut (a rejoining event)" "$worker1_log"
fi
cut_length=$(since "$cut_time")

# --- 3. Restore it -------------------------------------------------------------------------------------------
restored_line=$(lines "$worker1_log")
restored_learner_line=$(lines "$learner_log")
ip -n "$switch" link set worker1 up
restore_time=$(now)
welcomed_line=
welcomed_seconds=
welcomed_again() {
    welcomed_line=$(first_after "$restored_line" '"event":"welcomed"' "$worker1_log")
    [[ -n $welcomed_line ]] && welcomed_seconds=${welcomed_seconds:-$(since "$restore_time")}
}
accepted_again() { welcomed_again && [[ -n $(first_after "$welcomed_line" '"status":"accepted"' "$worker1_log") ]]; }
if wait_for 60 accepted_again; then
    accepted_seconds=$(since "$restore_time")
    if [[ -n $(first_after "$restored_learner_line" '^worker worker1 joined' "$learner_log") ]]; then
        pass "link restored after a ${cut_length} s cut: worker1 is welcomed again ${welcomed_seconds} s later" \
            "and has a batch accepted after ${accepted_seconds} s"
    else
        fail "the learner logs worker1 joining again after the restore" "$learner_log"
    fi
else
    fail "link restored: worker1 is welcomed again and has a batch accepted within 60 s" "$learner_log" \
        "$worker1_log"
fi

# --- 4. The run finishes -------------------------------------------------------------------------------------
learner_exited() { ! kill -0 "$learner_pid" 2>/dev/null; }
if wait_for 120 learner_exited; then
    wait "$learner_pid"
    status=$?
    summary=$(grep '^finished: version' "$learner_log")
    if ((${#launcher[@]} > 0)) && ! grep -q '^rank 1 of 2: finished' "$learner_log"; then
        fail "rank 1 follows rank 0 to the end of the run" "$learner_log"
    elif ((status == 0)) && [[ $summary == *", $model_steps model and "* ]]; then
        pass "the learner finishes its $model_steps model steps and exits 0 ($summary)"
    else
        fail "the learner finishes its $model_steps model steps and exits 0 (exit $status)" "$learner_log"
    fi
else
    fail "the learner finishes its $model_steps model steps within 120 s of the restore" "$learner_log" \
        "$worker1_log" "$worker2_log"
fi
finish

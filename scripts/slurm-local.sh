#!/usr/bin/env bash
# A private single-node Slurm cluster on this machine, for development and CI.
#
#   scripts/slurm-local.sh start    install (if missing), configure and start munged, slurmctld, slurmd;
#                                   wait until the node is idle; print `export SLURM_CONF=...` on stdout
#   scripts/slurm-local.sh stop     cancel its jobs and stop only the daemons it started (pid files)
#   scripts/slurm-local.sh restart  stop, then start
#   scripts/slurm-local.sh status   what runs (exit 0: all up, 3: nothing up, 1: partly up)
#   scripts/slurm-local.sh env      print the line that points Slurm clients at this cluster
#
# Clients:  eval "$(scripts/slurm-local.sh env)"   (or source "$SIFT_SLURM_DIR/env.sh")
#
# Everything lives under SIFT_SLURM_DIR (default /tmp/sift-slurm): slurm.conf, munge key and socket,
# controller state, slurmd spool, logs and pid files. munged runs on a private socket and key, so a
# munged or Slurm already on the machine is neither used nor touched. See docs/slurm-local.md.
#
# Environment:
#   SIFT_SLURM_DIR              state directory (default /tmp/sift-slurm)
#   SIFT_SLURM_MAX_ARRAY_SIZE   MaxArraySize (default 1001: array indices 0..1000)
#   SIFT_SLURM_PARTITION        partition name (default debug)
#   SIFT_SLURM_MIN_JOB_AGE      seconds finished jobs stay visible to scontrol/squeue (default 300)
#   SIFT_SLURM_DEPENDENCY_PARAMS  DependencyParameters (default none, as on a stock cluster)
#   SIFT_SLURM_SCHEDULER_PARAMETERS  SchedulerParameters (default: short intervals, jobs start in ~1 s)
#   SIFT_SLURM_CTLD_PORT        slurmctld port (default 6817)
#   SIFT_SLURM_SLURMD_PORT      slurmd port (default 6818)
#   SIFT_SLURM_TIMEOUT          seconds to wait for the node to become idle (default 60)
#   SIFT_SLURM_CLEAN=1          forget saved controller state (jobs, job ids) on start; it is also
#                               forgotten when the previous run was not ended by `stop` (crash,
#                               killed machine), so that its jobs are not requeued into a new run
#   SIFT_SLURM_LINK_ETC=0       do not link /etc/slurm/slurm.conf to our slurm.conf (default 1:
#                               link it when that file does not exist, so clients work without SLURM_CONF)
set -euo pipefail

PROG=$(basename "$0")
DIR=${SIFT_SLURM_DIR:-/tmp/sift-slurm}
case $DIR in /*) ;; *) DIR=$(pwd)/$DIR ;; esac
DIR=${DIR%/}

CONF=$DIR/etc/slurm.conf
ENV_FILE=$DIR/env.sh
MUNGE_DIR=$DIR/munge
MUNGE_SOCKET=$MUNGE_DIR/munge.socket
MUNGE_KEY=$MUNGE_DIR/munge.key
MUNGE_PID=$MUNGE_DIR/munged.pid
RUN_DIR=$DIR/run
CTLD_PID=$RUN_DIR/slurmctld.pid
CLEAN_MARK=$RUN_DIR/stopped-cleanly
SLURMD_PID=$RUN_DIR/slurmd.pid
STATE_DIR=$DIR/state
SPOOL_DIR=$DIR/spool
LOG_DIR=$DIR/log
ETC_LINK=/etc/slurm/slurm.conf

MAX_ARRAY_SIZE=${SIFT_SLURM_MAX_ARRAY_SIZE:-1001}
PARTITION=${SIFT_SLURM_PARTITION:-debug}
MIN_JOB_AGE=${SIFT_SLURM_MIN_JOB_AGE:-300}
DEP_PARAMS=${SIFT_SLURM_DEPENDENCY_PARAMS:-}
SCHED_PARAMS=${SIFT_SLURM_SCHEDULER_PARAMETERS:-batch_sched_delay=0,sched_interval=2,sched_min_interval=100000,bf_interval=1,bf_resolution=60}
CTLD_PORT=${SIFT_SLURM_CTLD_PORT:-6817}
SLURMD_PORT=${SIFT_SLURM_SLURMD_PORT:-6818}
TIMEOUT=${SIFT_SLURM_TIMEOUT:-60}
LINK_ETC=${SIFT_SLURM_LINK_ETC:-1}
PACKAGES=(slurmctld slurmd slurm-client munge)

NODE=$(hostname -s 2>/dev/null || true)
[[ $NODE =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || NODE=localhost

# Our own client calls always talk to this cluster, whatever the caller's environment says.
export SLURM_CONF=$CONF

T0=$(date +%s%N)
log() { echo "[$PROG $(date +%T)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
elapsed() { local ms=$(( ($(date +%s%N) - T0) / 1000000 )); printf '%d.%03ds' $((ms / 1000)) $((ms % 1000)); }
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

need_root() {
  [ "$(id -u)" = 0 ] && return 0
  command -v sudo >/dev/null 2>&1 && exec sudo -E "$0" "$@"
  die "'$1' must run as root (it installs packages and starts daemons as the munge user)"
}

# One start/stop at a time for a given state directory.
take_lock() {
  mkdir -p "$DIR"
  # The daemons are started with fd 9 closed, so they never hold this lock.
  exec 9>"$DIR/.lock"
  if ! flock -n 9; then
    log "waiting for another $PROG working on $DIR"
    flock -w 120 9 || die "another $PROG holds $DIR/.lock"
  fi
}

# Process, package, configuration and client helpers.
# shellcheck source=lib/slurm-local-lib.sh
. "$(dirname "$0")/lib/slurm-local-lib.sh"

# ---------------------------------------------------------------- start
start_munged() {
  local pid i
  if pid=$(our_pid "$MUNGE_PID" munged); then
    log "munged already running (pid $pid)"
    return 0
  fi
  rm -f "$MUNGE_PID"
  runuser -u munge -- /usr/sbin/munged --force \
    --socket="$MUNGE_SOCKET" --key-file="$MUNGE_KEY" --pid-file="$MUNGE_PID" \
    --log-file="$MUNGE_DIR/munged.log" --seed-file="$MUNGE_DIR/munged.seed" --num-threads=2 9>&- \
    || { show_failure; die "munged failed to start"; }
  for ((i = 0; i < 100; i++)); do
    munge -S "$MUNGE_SOCKET" -n 2>/dev/null | unmunge -S "$MUNGE_SOCKET" >/dev/null 2>&1 && break
    sleep 0.05
  done
  munge -S "$MUNGE_SOCKET" -n 2>/dev/null | unmunge -S "$MUNGE_SOCKET" >/dev/null 2>&1 \
    || { show_failure; die "munged does not answer on $MUNGE_SOCKET"; }
  log "munged started (pid $(cat "$MUNGE_PID")) at $(elapsed)"
}

start_slurmctld() {
  local pid i
  if pid=$(our_pid "$CTLD_PID" slurmctld); then
    log "slurmctld already running (pid $pid)"
    return 0
  fi
  rm -f "$CTLD_PID"
  if [ "$KEEP_STATE" = 1 ]; then
    :
  elif [ "${SIFT_SLURM_CLEAN:-0}" = 1 ]; then
    log "SIFT_SLURM_CLEAN=1: forgetting saved controller state"
    find "$STATE_DIR" -mindepth 1 -delete
  elif [ -n "$(ls -A "$STATE_DIR")" ] && [ ! -e "$CLEAN_MARK" ]; then
    log "the previous run was not ended by '$PROG stop': forgetting its jobs"
    find "$STATE_DIR" -mindepth 1 -delete
  fi
  rm -f "$CLEAN_MARK"
  # -i: a state file left by a killed controller must not keep it from starting.
  /usr/sbin/slurmctld -i -f "$CONF" 9>&- || { show_failure; die "slurmctld failed to start"; }
  for ((i = 0; i < 150; i++)); do ctld_up && break; sleep 0.1; done
  ctld_up || { show_failure; die "slurmctld does not answer (scontrol ping)"; }
  log "slurmctld started (pid $(cat "$CTLD_PID" 2>/dev/null || echo '?')) at $(elapsed)"
}

SLURMD_STARTED_AT=0
KEEP_STATE=0
start_slurmd() {
  local pid i
  if pid=$(our_pid "$SLURMD_PID" slurmd); then
    log "slurmd already running (pid $pid)"
    return 0
  fi
  rm -f "$SLURMD_PID"
  SLURMD_STARTED_AT=$(($(date +%s) - 1))
  /usr/sbin/slurmd -f "$CONF" -N "$NODE" 9>&- || { show_failure; die "slurmd failed to start"; }
  for ((i = 0; i < 50; i++)); do [ -s "$SLURMD_PID" ] && break; sleep 0.1; done
  log "slurmd started (pid $(cat "$SLURMD_PID" 2>/dev/null || echo '?')) at $(elapsed)"
}

wait_idle() {
  local deadline=$(($(date +%s) + TIMEOUT)) st resumed=0
  while :; do
    st=$(node_state)
    case $st in
      idle | mixed | allocated | completing)
        # After a restart the controller restores the old node state before slurmd registers.
        [ "$(slurmd_start_time)" -ge "$SLURMD_STARTED_AT" ] && break ;;
      drained | draining | down)
        if [ $resumed = 0 ]; then
          log "node is $st ($(scontrol -o show node "$NODE" | grep -o 'Reason=.*' || true)): resuming"
          scontrol update NodeName="$NODE" State=RESUME 2>/dev/null || true
          resumed=1
        fi ;;
    esac
    our_pid "$SLURMD_PID" slurmd >/dev/null || [ "$SLURMD_STARTED_AT" = 0 ] \
      || { show_failure; die "slurmd exited during start"; }
    if [ "$(date +%s)" -ge "$deadline" ]; then
      show_failure
      die "node $NODE not idle after ${TIMEOUT}s (state: ${st:-unknown})"
    fi
    sleep 0.2
  done
  log "node $NODE is $st at $(elapsed)"
}

cmd_start() {
  need_root start "$@"
  check_settings
  take_lock
  install_packages
  for d in etc run state spool log; do mkdir -p "$DIR/$d"; done
  chmod 755 "$DIR" "$DIR/etc" "$DIR/run" "$DIR/log"
  chmod 700 "$DIR/state"
  install -d -o munge -g munge -m 755 "$MUNGE_DIR"
  if [ ! -s "$MUNGE_KEY" ]; then
    dd if=/dev/urandom of="$MUNGE_KEY" bs=1024 count=1 status=none
    log "created munge key $MUNGE_KEY"
  fi
  chown munge:munge "$MUNGE_KEY"
  chmod 400 "$MUNGE_KEY"

  # A changed configuration (e.g. another SIFT_SLURM_MAX_ARRAY_SIZE) needs a restart of the
  # Slurm daemons: `scontrol reconfigure` shows the new MaxArraySize but slurmctld keeps
  # validating arrays against the old one. Jobs survive: the controller saves and reloads them,
  # and running job steps do not depend on slurmd staying up.
  local new
  new=$(gen_conf)
  if [ "$(cat "$CONF" 2>/dev/null)" != "$new" ]; then
    if our_pid "$CTLD_PID" slurmctld >/dev/null || our_pid "$SLURMD_PID" slurmd >/dev/null; then
      log "configuration changed: restarting slurmctld and slurmd (jobs are kept)"
      KEEP_STATE=1
      stop_daemon slurmd "$SLURMD_PID" slurmd
      stop_daemon slurmctld "$CTLD_PID" slurmctld
    fi
    printf '%s\n' "$new" >"$CONF.new"
    mv -f "$CONF.new" "$CONF"
  fi
  chmod 644 "$CONF"
  link_etc

  local was_up=0
  if our_pid "$MUNGE_PID" munged >/dev/null && our_pid "$CTLD_PID" slurmctld >/dev/null \
    && our_pid "$SLURMD_PID" slurmd >/dev/null; then
    was_up=1
  fi
  # Ports taken by another Slurm (or anything else) would only show up in our logs: fail first.
  if ! our_pid "$CTLD_PID" slurmctld >/dev/null && port_busy "$CTLD_PORT"; then
    die "port $CTLD_PORT is taken by another program: set SIFT_SLURM_CTLD_PORT (and SIFT_SLURM_SLURMD_PORT)"
  fi
  if ! our_pid "$SLURMD_PID" slurmd >/dev/null && port_busy "$SLURMD_PORT"; then
    die "port $SLURMD_PORT is taken by another program: set SIFT_SLURM_SLURMD_PORT"
  fi
  start_munged
  start_slurmctld
  start_slurmd
  wait_idle
  env_line >"$ENV_FILE"

  if [ $was_up = 1 ]; then
    log "already running (state dir $DIR)"
  else
    log "cluster ready in $(elapsed): node $NODE, partition $PARTITION, MaxArraySize=$MAX_ARRAY_SIZE"
  fi
  log "point clients at it with:  eval \"\$($0 env)\"   (or: $(env_line))"
  env_line
}

# ---------------------------------------------------------------- stop
cancel_jobs() {
  local jobs i
  jobs=$(squeue -h -o '%F' 2>/dev/null) || return 1
  jobs=$(sort -u <<<"$jobs" | tr '\n' ' ')
  [ -n "${jobs// /}" ] || return 0
  log "cancelling jobs: $jobs"
  # shellcheck disable=SC2086
  scancel $jobs 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    jobs=$(squeue -h -o '%i' 2>/dev/null) && [ -z "$jobs" ] && return 0
    sleep 0.1
  done
  log "jobs still listed after 15 s: $(squeue -h -o '%i:%T' 2>/dev/null | tr '\n' ' ')"
  return 1
}

# Sets CLEAN_STOP=1 when our controller ran and no job was left.
CLEAN_STOP=0
stop_jobs_and_slurm() {
  if our_pid "$CTLD_PID" slurmctld >/dev/null && ctld_up && cancel_jobs; then CLEAN_STOP=1; fi
  stop_daemon slurmd "$SLURMD_PID" slurmd
  local pid kids
  for pid in $(our_stepds); do
    kids=$(descendants "$pid" | tr '\n' ' ')
    log "killing leftover slurmstepd $pid and its processes: ${kids:-none}"
    # shellcheck disable=SC2086
    kill -KILL "$pid" $kids 2>/dev/null || true
  done
  stop_daemon slurmctld "$CTLD_PID" slurmctld
}

cmd_stop() {
  need_root stop "$@"
  [ -d "$DIR" ] || { log "nothing to stop ($DIR does not exist)"; return 0; }
  take_lock
  stop_jobs_and_slurm
  # The controller saved its state on SIGTERM; with no job left it can be reloaded by the next
  # start (job ids go on). A second stop leaves the mark of the first alone.
  [ "$CLEAN_STOP" = 1 ] && mkdir -p "$RUN_DIR" && : >"$CLEAN_MARK"
  stop_daemon munged "$MUNGE_PID" munged
  unlink_etc
  if [ -e "$CLEAN_MARK" ]; then
    log "stopped (state kept in $DIR: the next start goes on with its job ids)"
  else
    log "stopped (the next start forgets the saved jobs)"
  fi
}

# ---------------------------------------------------------------- status
cmd_status() {
  local up=0 name file prog pid
  for name in munged:"$MUNGE_PID" slurmctld:"$CTLD_PID" slurmd:"$SLURMD_PID"; do
    prog=${name%%:*}; file=${name#*:}
    if pid=$(our_pid "$file" "$prog"); then
      printf '%-10s running (pid %s)\n' "$prog" "$pid"; up=$((up + 1))
    else
      printf '%-10s stopped\n' "$prog"
    fi
  done
  echo "state dir  $DIR"
  echo "clients    $(env_line)"
  if [ $up -gt 0 ] && our_pid "$CTLD_PID" slurmctld >/dev/null && ctld_up; then
    echo "--- sinfo"; sinfo 2>&1 || true
    echo "--- squeue"; squeue 2>&1 || true
    echo "--- $(scontrol show config 2>/dev/null | grep -E '^MaxArraySize' | tr -s ' ')"
  fi
  [ $up = 3 ] && return 0
  [ $up = 0 ] && return 3
  return 1
}

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; }

case ${1:-} in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  restart) shift; "$0" stop && "$0" start ;;
  status) cmd_status ;;
  env) env_line ;;
  -h | --help | help) usage ;;
  *) usage >&2; exit 2 ;;
esac

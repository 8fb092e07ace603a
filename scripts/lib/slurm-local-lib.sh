# Helpers of scripts/slurm-local.sh (sourced by it; uses its variables): the processes it owns,
# the packages it installs, the slurm.conf it writes, and client checks.
# shellcheck shell=bash

# ---------------------------------------------------------------- processes we own
# our_pid PIDFILE PROGRAM -> prints the pid when it runs PROGRAM with our state directory on its
# command line (so a recycled pid or a daemon that is not ours is never taken for ours).
our_pid() {
  local file=$1 prog=$2 pid cmd state
  [ -s "$file" ] || return 1
  pid=$(tr -dc 0-9 <"$file")
  [ -n "$pid" ] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ] || return 1
  cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmd == *"/$prog "* || $cmd == "$prog "* ]] && [[ $cmd == *"$DIR/"* ]] || return 1
  echo "$pid"
}

alive() { local s; s=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [ -n "$s" ] && [ "$s" != Z ]; }

# stop_pid NAME PID: SIGTERM, wait up to 10 s, then SIGKILL.
stop_pid() {
  local name=$1 pid=$2 i
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do alive "$pid" || break; sleep 0.1; done
  if alive "$pid"; then
    log "$name (pid $pid) ignored SIGTERM for 10 s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do alive "$pid" || break; sleep 0.1; done
  fi
  log "stopped $name (pid $pid)"
}

# stop_daemon NAME PIDFILE PROGRAM
stop_daemon() {
  local name=$1 file=$2 prog=$3 pid
  if pid=$(our_pid "$file" "$prog"); then
    stop_pid "$name" "$pid"
  elif [ -e "$file" ]; then
    log "$name: not running (stale pid file removed)"
  else
    log "$name: not running"
  fi
  rm -f "$file"
}

# Descendants of a pid, deepest first.
descendants() {
  local parent=$1 p
  for p in $(ps -o pid= --ppid "$parent" 2>/dev/null); do
    descendants "$p"
    echo "$p"
  done
}

# slurmstepd processes of this cluster: they hold sockets in our spool directory.
our_stepds() {
  local inodes pid fd link
  inodes=$(awk -v d="$SPOOL_DIR/" 'index($NF, d) == 1 {print $7}' /proc/net/unix 2>/dev/null | sort -u)
  [ -n "$inodes" ] || return 0
  for pid in $(ps -C slurmstepd -o pid= 2>/dev/null); do
    for fd in /proc/"$pid"/fd/*; do
      link=$(readlink "$fd" 2>/dev/null) || continue
      if [[ $link =~ ^socket:\[([0-9]+)\]$ ]] && grep -qx "${BASH_REMATCH[1]}" <<<"$inodes"; then
        echo "$pid"
        break
      fi
    done
  done
}

# ---------------------------------------------------------------- packages
missing_packages() {
  local p st
  for p in "${PACKAGES[@]}"; do
    st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
    [ "$st" = installed ] || echo "$p"
  done
}

install_packages() {
  local missing t policy_added=0
  mapfile -t missing < <(missing_packages)
  [ ${#missing[@]} -gt 0 ] || return 0
  command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get to install them"
  log "installing ${missing[*]} (apt-get)"
  t=$(date +%s)
  # Package scripts must not start their own system daemons: we run private ones.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    policy_added=1
  fi
  local apt=(apt-get -qq -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300)
  local rc=0
  {
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" update &&
      DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "${missing[@]}"
  } >"$DIR/apt.log" 2>&1 || rc=$?
  [ $policy_added = 1 ] && rm -f /usr/sbin/policy-rc.d
  if [ $rc != 0 ]; then
    tail -20 "$DIR/apt.log" >&2
    die "apt-get failed (exit $rc), full log: $DIR/apt.log"
  fi
  log "installed ${missing[*]} ($(dpkg-query -W -f='${Version}' slurmctld)) in $(($(date +%s) - t)) s"
}

# ---------------------------------------------------------------- configuration
hw_field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$HW" | head -1; }

gen_conf() {
  HW=$(slurmd -C 2>/dev/null | head -1) || true
  local cpus boards sockets cores threads mem defmem maxjobs
  cpus=$(hw_field CPUs); boards=$(hw_field Boards); sockets=$(hw_field SocketsPerBoard)
  cores=$(hw_field CoresPerSocket); threads=$(hw_field ThreadsPerCore); mem=$(hw_field RealMemory)
  is_uint "${cpus:-}" || cpus=$(nproc)
  is_uint "${mem:-}" || mem=$(awk '/^MemTotal:/ {print int($2 / 1024)}' /proc/meminfo)
  local topo="CPUs=$cpus"
  if is_uint "${boards:-}" && is_uint "${sockets:-}" && is_uint "${cores:-}" && is_uint "${threads:-}"; then
    topo="CPUs=$cpus Boards=$boards SocketsPerBoard=$sockets CoresPerSocket=$cores ThreadsPerCore=$threads"
  fi
  # Keep a little memory back so the node never registers with less than configured (-> drained).
  mem=$((mem * 95 / 100))
  defmem=$((mem / cpus))
  maxjobs=$((MAX_ARRAY_SIZE + 10000))
  cat <<EOF
# Written by scripts/slurm-local.sh; rewritten on every start. Do not edit.
ClusterName=sift-local
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
MpiDefault=none
MailProg=/bin/true
# No systemd and no cgroup delegation here: track processes through /proc, no task binding.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
DefMemPerCPU=$defmem
# No accounting database: job state comes from squeue / scontrol; finished jobs go to jobcomp.log.
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$LOG_DIR/jobcomp.log
SchedulerType=sched/backfill
SchedulerParameters=$SCHED_PARAMS
${DEP_PARAMS:+DependencyParameters=$DEP_PARAMS
}MaxArraySize=$MAX_ARRAY_SIZE
MaxJobCount=$maxjobs
MinJobAge=$MIN_JOB_AGE
KillOnBadExit=1
KillWait=5
ReturnToService=2
SlurmdTimeout=60
InactiveLimit=0
StateSaveLocation=$STATE_DIR
SlurmdSpoolDir=$SPOOL_DIR
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=$LOG_DIR/slurmctld.log
SlurmdLogFile=$LOG_DIR/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
NodeName=$NODE NodeHostname=$NODE NodeAddr=127.0.0.1 $topo RealMemory=$mem State=UNKNOWN
PartitionName=$PARTITION Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
}

check_settings() {
  if ! is_uint "$MAX_ARRAY_SIZE" || [ "$MAX_ARRAY_SIZE" -lt 1 ] || [ "$MAX_ARRAY_SIZE" -gt 4000001 ]; then
    die "SIFT_SLURM_MAX_ARRAY_SIZE must be 1..4000001 (got '$MAX_ARRAY_SIZE')"
  fi
  is_uint "$MIN_JOB_AGE" || die "SIFT_SLURM_MIN_JOB_AGE must be a number of seconds"
  if ! is_uint "$CTLD_PORT" || ! is_uint "$SLURMD_PORT"; then die "ports must be numbers"; fi
  is_uint "$TIMEOUT" || die "SIFT_SLURM_TIMEOUT must be a number of seconds"
  [[ $PARTITION =~ ^[A-Za-z0-9_-]+$ ]] || die "bad partition name '$PARTITION'"
  [[ $DIR =~ ^[A-Za-z0-9/._-]+$ ]] || die "SIFT_SLURM_DIR must not contain spaces or special characters"
}

# ---------------------------------------------------------------- client helpers
env_line() { printf 'export SLURM_CONF=%q\n' "$CONF"; }

ctld_up() { scontrol ping 2>/dev/null | grep -q 'is UP'; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

node_state() { sinfo -h -N -n "$NODE" -o '%T' 2>/dev/null | head -1; }

# Epoch seconds of the node's last registration by a slurmd (0 if none).
slurmd_start_time() {
  local t
  t=$(scontrol -o show node "$NODE" 2>/dev/null | sed -n 's/.* SlurmdStartTime=\([^ ]*\).*/\1/p')
  date -d "${t:-none}" +%s 2>/dev/null || echo 0
}

show_failure() {
  log "--- scontrol show node $NODE"
  scontrol show node "$NODE" 2>&1 | sed 's/^/    /' >&2 || true
  local f
  for f in "$LOG_DIR/slurmctld.log" "$LOG_DIR/slurmd.log" "$MUNGE_DIR/munged.log"; do
    [ -f "$f" ] || continue
    log "--- tail $f"
    tail -n 15 "$f" | sed 's/^/    /' >&2
  done
}

# Debian's clients read /etc/slurm/slurm.conf when SLURM_CONF is unset: point it at this cluster
# when it is free (absent, or a dangling link), never over a file or another live configuration.
link_etc() {
  [ "$LINK_ETC" = 1 ] || return 0
  if [ -L "$ETC_LINK" ] && [ "$(readlink "$ETC_LINK")" = "$CONF" ]; then return 0; fi
  if [ ! -e "$ETC_LINK" ]; then
    mkdir -p "$(dirname "$ETC_LINK")"
    ln -sfn "$CONF" "$ETC_LINK"
    return 0
  fi
  log "note: $ETC_LINK belongs to another configuration; clients need SLURM_CONF=$CONF"
}

unlink_etc() {
  if [ -L "$ETC_LINK" ] && [ "$(readlink "$ETC_LINK")" = "$CONF" ]; then rm -f "$ETC_LINK"; fi
}


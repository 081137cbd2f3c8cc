# Shared by the benchmark scripts (sourced): CPU pinning, process and wrk helpers, reporting.
# The caller sets POSTMASTER_PID before pin_postgres and may read WARNINGS.
# shellcheck shell=bash

say() { printf '\n== %s\n' "$*"; }
die() { echo "bench: $*" >&2; exit 1; }

# CPUs: the first two this process may run on (a container's cpuset need not start at 0).
allowed_cpus() {
  local part lo hi c parts list=()
  IFS=, read -r -a parts <<<"$(awk '/^Cpus_allowed_list:/ { print $2 }' /proc/self/status)"
  for part in "${parts[@]}"; do
    lo=${part%-*} hi=${part#*-}
    for ((c = lo; c <= hi; c++)); do list+=("$c"); done
  done
  echo "${list[@]}"
}
read -r -a CPUS <<<"$(allowed_cpus)"
SERVER_CPU=${BENCH_SERVER_CPU:-${CPUS[0]}}
CLIENT_CPU=${BENCH_CLIENT_CPU:-${CPUS[1]:-}}
if [ -z "$CLIENT_CPU" ] || [ "$CLIENT_CPU" = "$SERVER_CPU" ]; then
  echo "bench: only one CPU available: server and wrk share it, the figures mean little" >&2
  CLIENT_CPU=$SERVER_CPU
fi
# shellcheck disable=SC2034 # read by the scripts that source this file
ALL_CPUS=$(IFS=,; echo "${CPUS[*]}")

stop_pid() { # pid what seconds: TERM, wait, then KILL; only the pid we started
  local pid=$1 i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < $3 * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  echo "bench: $2 (pid $pid) did not stop in $3 s; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Other work on the machine skews every figure: sample how busy the CPUs are just before each
# part, while nothing of ours runs (0% = a quiet machine).
cpu_busy() { # percent of all CPU time spent busy over one second
  local a b
  a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
  sleep 1
  b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN {
    split(a, x, " "); split(b, y, " "); busy = y[1] - x[1]; idle = y[2] - x[2]
    printf "%.0f", (busy + idle > 0) ? 100 * busy / (busy + idle) : 0 }'
}

# Jiffies (getconf CLK_TCK per second): one CPU's busy and total time, one process's CPU time.
cpu_jiffies() { # cpu -> "busy total"
  awk -v c="cpu$1" '$1 == c { busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6 }' /proc/stat
}
pid_jiffies() { # pid -> utime + stime of all its threads
  sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}
settle() { # cpu: wait (at most 30 s) for a second in which that CPU is under 5% busy
  local i b0 a0 b1 a1
  for ((i = 0; i < 30; i++)); do
    read -r b0 a0 <<<"$(cpu_jiffies "$1")"
    sleep 1
    read -r b1 a1 <<<"$(cpu_jiffies "$1")"
    ((a1 > a0 && 100 * (b1 - b0) < 5 * (a1 - a0))) && return 0
  done
  WARNINGS+=("CPU $1 was still busy after 30 s of waiting for it to settle")
}
children_jiffies() { # pid -> utime + stime of its live children (PostgreSQL's backends)
  local stat
  for stat in /proc/[0-9]*/stat; do cat "$stat" 2>/dev/null; done |
    sed 's/.*) //' | awk -v p="$1" '$2 == p { t += $12 + $13 } END { print t + 0 }'
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# PostgreSQL's processes and their children (new backends inherit the postmaster's affinity).
pin_postgres() { # cpu-list
  local pid ppid
  taskset -a -p -c "$1" "$POSTMASTER_PID" >/dev/null
  for pid in /proc/[0-9]*; do
    pid=${pid#/proc/}
    ppid=$(sed 's/.*) . \([0-9]*\) .*/\1/' "/proc/$pid/stat" 2>/dev/null) || continue
    if [ "$ppid" = "$POSTMASTER_PID" ]; then taskset -a -p -c "$1" "$pid" >/dev/null 2>&1 || true; fi
  done
}

# The infra's other servers (Kafka's JVM, Redis, Prometheus, Alertmanager, Jaeger), every
# thread of each: on the load generator's CPU, so only the services and PostgreSQL share theirs.
pin_infra_helpers() { # cpu-list infra-name
  local name pidfile
  for name in kafka redis prometheus alertmanager jaeger; do
    pidfile=.local/infra/$2/$name/$name.pid
    [ -s "$pidfile" ] || continue
    taskset -a -p -c "$1" "$(cat "$pidfile")" >/dev/null 2>&1 ||
      WARNINGS+=("could not pin $name to CPU $1")
  done
}

max() { awk -v a="$1" -v b="$2" 'BEGIN { m = (a + 0 > b + 0) ? a : b; print m }'; }

# wrk's --latency report, parsed: requests/s, p50/p99 in ms, non-2xx count, socket errors.
wrk_stat() { # file what
  awk -v what="$2" '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
      if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
      return v + 0
    }
    /^Requests\/sec:/ { rps = $2 }
    /Latency Distribution/ { dist = 1; next }
    dist && $1 == "50%" { p50 = ms($2) }
    dist && $1 == "99%" { p99 = ms($2); dist = 0 }
    / requests in / { total = $1 }
    /Non-2xx or 3xx responses:/ { bad = $NF }
    /Socket errors:/ { gsub(",", ""); errors = $4 + $6 + $8 + $10 }
    END {
      if (what == "rps") printf "%.0f", rps
      else if (what == "p50") printf "%.3f", p50
      else if (what == "p99") printf "%.3f", p99
      else if (what == "total") printf "%d", total
      else if (what == "bad") printf "%d", bad
      else if (what == "errors") printf "%d", errors
    }' "$1"
}

# Every wrk is bounded in time twice: its -d, and a hard timeout in case a server hangs.
wait_http() { # url what
  local i
  for ((i = 0; i < 100; i++)); do
    curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  die "$2 does not answer on $1"
}

# nginx with one worker, its files under $TMP/<name>, answering `location-body` on every path.
nginx_conf() { # name port location-body [http-block-lines...]
  local name=$1 port=$2 location=$3 m
  shift 3
  mkdir -p "$TMP/$name"
  {
    echo "worker_processes 1;"
    [ "$(id -u)" -ne 0 ] || echo "user root;"
    echo "pid $TMP/$name/nginx.pid;"
    echo "error_log $TMP/$name/error.log warn;"
    echo "events { worker_connections 4096; }"
    echo "http {"
    echo "  access_log off;"
    echo "  client_body_temp_path $TMP/$name/body;"
    for m in proxy fastcgi uwsgi scgi; do # only the modules this nginx was built with
      nginx -V 2>&1 | grep -q -- "--without-http_${m}_module" || echo "  ${m}_temp_path $TMP/$name/$m;"
    done
    echo "  keepalive_timeout 65s;"
    echo "  keepalive_requests 10000000;"
    [ $# -eq 0 ] || printf '  %s\n' "$@"
    echo "  server {"
    echo "    listen 127.0.0.1:$port;"
    echo "    location / { $location }"
    echo "  }"
    echo "}"
  } >"$TMP/$name/nginx.conf"
}

start_nginx() { # name cpu: in the background (its pid is then $!), output in $RAW/<name>.log
  taskset -c "$2" nginx -p "$TMP/$1" -c "$TMP/$1/nginx.conf" -e "$TMP/$1/error.log" \
    -g 'daemon off;' >"$RAW/$1.log" 2>&1 &
}

run_wrk() { # out cpu seconds connections url [script args...]
  local out=$1 cpu=$2 secs=$3 conns=$4 url=$5
  shift 5
  timeout --kill-after=5 $((secs + 15)) taskset -c "$cpu" \
    wrk -t1 -c"$conns" -d"${secs}s" --timeout 10s --latency "$url" "$@" >"$out" 2>&1 || {
    cat "$out" >&2
    die "wrk failed (output: $out)"
  }
}

check_clean() { # file what: a benchmark of errors is no benchmark
  local bad errors
  bad=$(wrk_stat "$1" bad) errors=$(wrk_stat "$1" errors)
  if [ "$bad" != 0 ] || [ "$errors" != 0 ]; then
    echo "bench: warning: $2 had $bad non-2xx responses and $errors socket errors (see $1)" >&2
    WARNINGS+=("$2: $bad non-2xx responses, $errors socket errors")
  fi
}
WARNINGS=()

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# The release build, unless BENCH_SKIP_BUILD=1. Warnings are CI's business (-Werror there); a
# benchmark must not stop on one that only the optimiser sees (GCC 12 has had false positives
# at -O2). The preset turns FO_WERROR back on at its next plain configure.
bench_build() {
  if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    scripts/install-deps bench
    say "build (release preset)"
    cmake --preset release -DFO_WERROR=OFF >/dev/null
    # Only the programs: the test binaries are `make test`'s business.
    cmake --build --preset release --target user product inventory payment gateway \
      fo_tracing_cost
  fi
}

#!/usr/bin/env bash
# Container test (run by .ci/run after `mvn -B verify`): builds the image from this checkout with podman,
# no container registry needed, and checks it for real:
#   - a Sentry payload gets 202 and reaches a DingTalk stand-in; health UP; the JVM runs as non-root;
#   - alerts accepted while DingTalk is down survive `kill -9` of the container: a new container on the
#     same volume delivers every one of them, once;
#   - the image built with --build-arg CDS=app (its class data sharing archive) starts, one alert through;
#   - the image built with --target runtime-camel-main (no Spring Boot) starts, one alert through, SIGTERM;
#     with --build-arg CDS=app too (its own archive, from a training run in the build);
#   - deploy/compose.yaml under podman-compose: one alert through, then down.
# It removes everything it started and the images it built; only the base image debian:bookworm-slim
# (made with debootstrap when no registry answers) stays, as a cache for the next run. Prints timings.
# Needs root and Debian's podman, runc, debootstrap, podman-compose and curl. Usage: deploy/verify-image.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUN=sdc-verify-$$
IMAGE=localhost/sentry-dingtalk-camel:$RUN
STAND_IN_IMAGE=localhost/sentry-dingtalk-camel-stand-in:$RUN
CDS_IMAGE=localhost/sentry-dingtalk-camel-cds:$RUN
CAMEL_MAIN_IMAGE=localhost/sentry-dingtalk-camel-main:$RUN
CAMEL_MAIN_CDS_IMAGE=localhost/sentry-dingtalk-camel-main-cds:$RUN
BASE=docker.io/library/debian:bookworm-slim
SAMPLE=$ROOT/src/test/resources/sentry/legacy-plugin.python-exception.json
ALERTS=5                            # accepted while DingTalk is down, then the kill
MAX_IMAGE_MB=${MAX_IMAGE_MB:-200}
READY_TIMEOUT=180                   # seconds from `podman run` to readiness UP, on a busy machine
WORK=$(mktemp -d "${TMPDIR:-/tmp}/$RUN.XXXXXX")
TIMINGS=()
NOTES=()

log() { printf '[verify-image %s] %s\n' "$(date +%T)" "$*"; }
fail() { log "FAILED: $*"; exit 1; }

# retry TRIES DELAY COMMAND...: for network steps (debootstrap, the build's apt and Maven downloads).
retry() {
  local tries=$1 delay=$2 n=1
  shift 2
  until "$@"; do
    ((n < tries)) || return 1
    log "attempt $n of $tries failed, again in ${delay}s: $1"
    n=$((n + 1))
    sleep "$delay"
  done
}

# phase NAME COMMAND...: runs and times one step.
phase() {
  local name=$1 start=$SECONDS
  shift
  log "== $name"
  "$@"
  TIMINGS+=("$(printf '  %-44s %4d s' "$name" $((SECONDS - start)))")
}

# Without systemd, podman logs an error for every healthcheck timer it cannot set up or remove; the
# HEALTHCHECK itself is run below with `podman healthcheck run`.
drop_systemd_noise() { grep -v --line-buffered -e 'unable to get systemd connection' -e 'connect to syslog' >&2; }
podman() { command podman "$@" 2> >(drop_systemd_noise); }

# --- Podman on this kind of machine -------------------------------------------------------------------
configure_podman() {
  local tool
  for tool in podman debootstrap podman-compose curl; do
    command -v "$tool" >/dev/null || fail "$tool is missing: apt-get install -y podman runc debootstrap podman-compose curl"
  done
  ((EUID == 0)) || fail "run as root (debootstrap, podman networks)"
  if [ -z "${CONTAINERS_CONF:-}" ]; then
    # crun refuses a hybrid cgroup layout, so runc; and without CAP_SYS_RESOURCE a container's rlimits
    # must not exceed this shell's hard limits.
    local nproc
    nproc=$(ulimit -Hu)
    [[ $nproc == unlimited || $nproc -gt 32768 ]] && nproc=32768
    {
      echo '[containers]'
      echo "default_ulimits = [\"nofile=$(ulimit -Hn):$(ulimit -Hn)\", \"nproc=$nproc:$nproc\"]"
      if command -v runc >/dev/null; then printf '[engine]\nruntime = "runc"\n'; fi
    } >"$WORK/containers.conf"
    export CONTAINERS_CONF=$WORK/containers.conf
  fi
  remove_leftovers
}

# Objects are named after the run (sdc-verify-<pid>): remove those of runs killed before their cleanup,
# and, when no other run is going on, the images their builds left (listed in their work directory).
remove_leftovers() {
  local run dir others=0
  for run in $( {
    podman ps -a --format '{{.Names}}'
    podman network ls --format '{{.Name}}'
    podman volume ls --format '{{.Name}}'
    podman images --format '{{.Tag}}'
    find "${WORK%/*}" -maxdepth 1 -name 'sdc-verify-*' -printf '%f\n'
  } | grep -o '^sdc-verify-[0-9]\+' | sort -u); do
    if [ "$run" != "$RUN" ] && kill -0 "${run#sdc-verify-}" 2>/dev/null; then
      others=1
    elif [ "$run" != "$RUN" ]; then
      log "removing leftovers of $run"
      remove_run "$run"
    fi
  done
  for dir in "${WORK%/*}"/sdc-verify-*.*; do
    run=${dir##*/}
    run=${run%%.*}
    [ -d "$dir" ] && [ "$run" != "$RUN" ] && ! kill -0 "${run#sdc-verify-}" 2>/dev/null || continue
    ((others)) || remove_images_since "$dir/images-before"
    unmount_under "$dir"
    rm -rf --one-file-system "$dir"
  done
}

# The build's intermediate images (stages, cached layers): the untagged ones that appeared since the
# image list in file $1 was taken. Tagged images (the base image, anybody else's) stay.
remove_images_since() {
  [ -f "$1" ] || return 0
  podman images -a --no-trunc --format '{{.ID}} {{.Repository}}' | awk '$2 == "<none>" { print $1 }' | sort -u \
    | comm -13 "$1" - | xargs -r podman rmi -f >/dev/null 2>&1 || true
}

remove_run() {
  local run=$1
  podman ps -a --format '{{.Names}}' | { grep "^$run[-_]" || true; } \
    | xargs -r podman rm -f -v -t 0 >/dev/null 2> >(drop_systemd_noise)
  podman pod ls --format '{{.Name}}' | { grep -x "pod_$run" || true; } \
    | xargs -r podman pod rm -f >/dev/null 2> >(drop_systemd_noise)
  podman network ls --format '{{.Name}}' | { grep "^$run[-_]" || true; } | xargs -r podman network rm -f >/dev/null
  podman volume ls --format '{{.Name}}' | { grep "^$run[-_]" || true; } | xargs -r podman volume rm -f >/dev/null
  podman images --format '{{.Repository}}:{{.Tag}}' | { grep ":$run\$" || true; } | xargs -r podman rmi -f >/dev/null
}

cleanup() {
  local rc=$? start=$SECONDS
  set +e
  trap - EXIT INT TERM
  log "== cleaning up"
  [ -n "${COMPOSE_UP:-}" ] && compose down -v >>"$WORK/compose.log" 2>&1
  remove_run "$RUN"
  remove_images_since "$WORK/images-before"
  unmount_under "$WORK"
  rm -rf --one-file-system "$WORK"
  TIMINGS+=("$(printf '  %-44s %4d s' "cleanup" $((SECONDS - start)))")
  log "timings:"
  printf '%s\n' "${TIMINGS[@]}"
  printf '  %-44s %4d s\n' "total" "$SECONDS"
  ((${#NOTES[@]} == 0)) || printf '%s\n' "${NOTES[@]}"
  if ((rc == 0)); then log "OK: every check passed"; else log "FAILED (exit $rc)"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- Base image: a registry's, or made here with debootstrap -------------------------------------------
mirror() {  # the Debian mirror apt already uses on this machine
  local kind=$1 default=$2 url
  url=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | grep -v '^[[:space:]]*#' | grep -oE "https?://[^ ]+/$kind/?( |\$)" | head -n 1 | tr -d ' ' || true)
  echo "${url:-$default}"
}

ensure_base_image() {
  if podman image exists "$BASE"; then
    log "$BASE: cached"
    return
  fi
  if podman image exists localhost/debian:bookworm-slim; then
    podman tag localhost/debian:bookworm-slim "$BASE"
    return
  fi
  if timeout 120 podman pull -q "$BASE" >/dev/null 2>&1; then
    log "$BASE: pulled"
    return
  fi
  local mirror security
  mirror=${DEBIAN_MIRROR:-$(mirror debian http://deb.debian.org/debian)}
  security=${DEBIAN_SECURITY_MIRROR:-$(mirror debian-security http://deb.debian.org/debian-security)}
  log "no registry answers: debootstrap bookworm from $mirror"
  retry 3 15 debootstrap_rootfs "$mirror"
  slim_rootfs "$WORK/rootfs" "$mirror" "$security"
  tar -C "$WORK/rootfs" -c . | podman import -q \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'CMD ["bash"]' \
    - localhost/debian:bookworm-slim >/dev/null
  podman tag localhost/debian:bookworm-slim "$BASE"
  rm -rf --one-file-system "$WORK/rootfs"
  NOTES+=("  base image made with debootstrap: $(image_mb "$BASE") MB (kept for the next run)")
}

unmount_under() {  # a failed or killed debootstrap can leave /proc or /sys mounted inside its rootfs
  findmnt -rn -o TARGET | awk -v dir="$1/" 'index($0, dir) == 1' | sort -r | xargs -r umount -l
}

debootstrap_rootfs() {
  unmount_under "$WORK/rootfs"
  rm -rf --one-file-system "$WORK/rootfs"
  if ! debootstrap --variant=minbase bookworm "$WORK/rootfs" "$1" >"$WORK/debootstrap.log" 2>&1; then
    tail -n 15 "$WORK/debootstrap.log"
    return 1
  fi
}

slim_rootfs() {  # like Debian's own slim image; directories stay (openjdk's postinst needs man1)
  local rootfs=$1
  find "$rootfs/usr/share/doc" -type l -delete
  find "$rootfs/usr/share/doc" -type f ! -name copyright -delete
  find "$rootfs/usr/share/man" "$rootfs/usr/share/info" "$rootfs/usr/share/locale" \
    "$rootfs/var/cache/apt" "$rootfs/var/lib/apt/lists" -type f -delete
  printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
    'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' \
    >"$rootfs/etc/dpkg/dpkg.cfg.d/slim"
  printf '%s\n' "deb $2 bookworm main" "deb $2 bookworm-updates main" "deb $3 bookworm-security main" \
    >"$rootfs/etc/apt/sources.list"
}

image_mb() { echo $(($(podman image inspect -f '{{.Size}}' "$1") / 1000000)); }

# --- Build -------------------------------------------------------------------------------------------
# CA certificates this machine adds to Debian's (a TLS-intercepting proxy's, say) go to Maven in the
# build as a secret: used for the download, never stored in a layer.
build_ca_args() {
  local cas=(/usr/local/share/ca-certificates/*.crt)
  if [ -n "${BUILD_CA_FILE:-}" ]; then
    echo "--secret id=build-ca,src=$BUILD_CA_FILE"
  elif [ -e "${cas[0]}" ]; then
    cat "${cas[@]}" >"$WORK/build-ca.pem"
    echo "--secret id=build-ca,src=$WORK/build-ca.pem"
  fi
}

podman_build() {  # log file, build arguments...: the log's lines are stamped with the time
  local log=$1 status
  shift
  # shellcheck disable=SC2046 # the secret arguments are two words or none
  podman build --pull=never --network=host --format docker $(build_ca_args) "$@" "$ROOT" 2>&1 \
    | while IFS= read -r line; do printf '%(%s)T %s\n' -1 "$line"; done >"$log"
  status=${PIPESTATUS[0]}
  ((status == 0)) || { tail -n 40 "$log" | cut -d' ' -f2-; return 1; }
  awk 'function flush(now) { if (step != "" && now - t >= 3) printf "    %4d s  %s\n", now - t, substr(step, 1, 90) }
       / STEP [0-9]+\/[0-9]+: / { flush($1); t = $1; step = $0; sub(/^[0-9]+ /, "", step) }
       { last = $1 }
       END { flush(last) }' "$log"
}

build_image() {
  podman images -a -q --no-trunc | sort -u >"$WORK/images-before"
  retry 2 10 podman_build "$WORK/build.log" -t "$IMAGE"
  local mb
  mb=$(image_mb "$IMAGE")
  NOTES+=("  image $IMAGE: $mb MB")
  log "image size: $mb MB (limit $MAX_IMAGE_MB MB)"
  ((mb <= MAX_IMAGE_MB)) || fail "image is $mb MB, more than $MAX_IMAGE_MB MB"
}

build_stand_in() {
  retry 2 10 podman_build "$WORK/build-stand-in.log" --target dingtalk-stand-in -t "$STAND_IN_IMAGE"
}

check_image() {
  local config runtime entries
  config=$(podman image inspect -f '{{.Config.User}}|{{json .Config.Volumes}}|{{json .Config.Entrypoint}}|{{json .Config.Healthcheck}}' "$IMAGE")
  log "image config: $config"
  [[ $config == 10001\|*'"/app/data"'*\|*'"@jvm.options"'*\|*/actuator/health/readiness* ]] \
    || fail "image config: want USER 10001, VOLUME /app/data, a HEALTHCHECK and java @jvm.options"
  runtime=$(podman run --rm --entrypoint bash "$IMAGE" -c 'java --list-modules; keytool -list -cacerts -storepass changeit')
  grep -q '^jdk.crypto.ec@' <<<"$runtime" || fail "the Java runtime lacks jdk.crypto.ec (TLS to DingTalk)"
  entries=$(grep -o 'contains [0-9]* entries' <<<"$runtime" | grep -o '[0-9]*' || echo 0)
  ((entries >= 100)) || fail "the Java runtime trusts $entries CA certificates, want Debian's (100+)"
  log "java runtime: $(grep -c @ <<<"$runtime") modules, $entries CA certificates"
}

# --- Running it ----------------------------------------------------------------------------------------
http_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" || true; }

wait_ready() {  # base URL [readiness path]
  local deadline=$((SECONDS + READY_TIMEOUT)) start=$SECONDS
  until [ "$(http_status "$1${2:-/actuator/health/readiness}")" = 200 ]; do
    ((SECONDS < deadline)) || fail "$1 not ready after ${READY_TIMEOUT}s"
    sleep 1
  done
  log "ready after $((SECONDS - start)) s"
}

post_alert() {  # base URL, title -> 202 expected
  local status
  status=$(sed "s/new sentry error\./$2./g" "$SAMPLE" | curl -s -o "$WORK/answer" -w '%{http_code}' --max-time 10 \
    -H 'Content-Type: application/json' --data-binary @- "$1/webhooks/sentry" || true)
  [ "$status" = 202 ] || fail "POST /webhooks/sentry ($2): HTTP $status $(cat "$WORK/answer" 2>/dev/null)"
}

stand_in() { curl -s --max-time 5 "$DINGTALK/$1" -X "${2:-GET}" || true; }

wait_for() {  # seconds, description, command...: polls until the command succeeds
  local seconds=$1 what=$2 deadline=$((SECONDS + $1))
  shift 2
  until "$@"; do
    ((SECONDS < deadline)) || fail "waited $seconds s for: $what"
    sleep 1
  done
}

titles_arrived() {  # title... : each arrived at the stand-in; more than once fails the test
  local titles title count
  titles=$(stand_in titles)
  for title in "$@"; do
    count=$(grep -cF "$title" <<<"$titles" || true)
    ((count <= 1)) || fail "'$title' arrived $count times"
    ((count == 1)) || return 1
  done
}

refused_some() { [[ $(stand_in stats) =~ refused\ [1-9] ]]; }

outbox_count() { podman exec "$1" sh -c 'ls /app/data/outbox/ops/*.json 2>/dev/null | wc -l'; }
outbox_empty() { [ "$(outbox_count "$1")" = 0 ]; }

memory() { podman stats --no-stream --format '{{.MemUsage}}' "$1" | cut -d' ' -f1; }

start_service() {  # container name; with the memory limit README recommends
  podman run -d --name "$1" --memory 320m --network "$RUN-net" -p 127.0.0.1::8080 -v "$RUN-data:/app/data" \
    -e DINGTALK_BASE_URL=http://dingtalk:9000 -e DINGTALK_ROBOTS_0_NAME=ops \
    -e DINGTALK_ROBOTS_0_ACCESS_TOKEN=verify-token "$IMAGE" >/dev/null
  SERVICE=http://$(podman port "$1" 8080/tcp)
}

run_and_check() {
  podman network create "$RUN-net" >/dev/null
  podman volume create "$RUN-data" >/dev/null
  podman run -d --name "$RUN-dingtalk" --network "$RUN-net" --network-alias dingtalk -p 127.0.0.1::9000 \
    "$STAND_IN_IMAGE" >/dev/null
  DINGTALK=http://$(podman port "$RUN-dingtalk" 9000/tcp)
  start_service "$RUN-service"
  wait_ready "$SERVICE"

  local status uid
  status=$(curl -s --max-time 5 "$SERVICE/actuator/health" || true)
  [[ $status == '{"status":"UP"'* ]] || fail "/actuator/health: $status"
  [ "$(http_status "$SERVICE/actuator/health/liveness")" = 200 ] || fail "/actuator/health/liveness is not 200"
  podman healthcheck run "$RUN-service" >/dev/null || fail "the image's HEALTHCHECK says unhealthy"
  uid=$(podman exec "$RUN-service" sh -c 'grep "^Name:" /proc/1/status; grep "^Uid:" /proc/1/status')
  [[ $uid =~ Name:[[:space:]]+java ]] || fail "PID 1 is not java: $uid"
  [[ $uid =~ Uid:[[:space:]]+([0-9]+)[[:space:]]+([0-9]+) ]] && ((BASH_REMATCH[1] != 0 && BASH_REMATCH[2] != 0)) \
    || fail "the JVM runs as root: $uid"
  log "health UP, liveness UP, HEALTHCHECK healthy, java runs as uid ${BASH_REMATCH[1]}"

  post_alert "$SERVICE" "verify first alert of $$"
  wait_for 60 "the first alert at the stand-in" titles_arrived "verify first alert of $$"
  log "one alert through: 202, then at the stand-in; memory $(memory "$RUN-service")"
}

# The opt-in variant README's Startup section offers (--build-arg CDS=app: a class data sharing archive
# made by a training run in the build): it starts on its own volume, uses its archive, gets one alert
# through. It once could not start at all (the training run had left root-owned files in /app/data).
cds_variant() {
  retry 2 10 podman_build "$WORK/build-cds.log" --build-arg CDS=app -t "$CDS_IMAGE"
  podman run --rm --entrypoint cat "$CDS_IMAGE" /app/cds.options | grep -q '^-XX:SharedArchiveFile=app.jsa' \
    || fail "the CDS image's cds.options names no archive"
  podman volume create "$RUN-cds-data" >/dev/null
  podman run -d --name "$RUN-cds" --memory 320m --network "$RUN-net" -p 127.0.0.1::8080 -v "$RUN-cds-data:/app/data" \
    -e DINGTALK_BASE_URL=http://dingtalk:9000 -e DINGTALK_ROBOTS_0_NAME=ops \
    -e DINGTALK_ROBOTS_0_ACCESS_TOKEN=verify-token "$CDS_IMAGE" >/dev/null
  local cds
  cds=http://$(podman port "$RUN-cds" 8080/tcp)
  wait_ready "$cds"
  post_alert "$cds" "verify cds alert of $$"
  wait_for 60 "the CDS image's alert at the stand-in" titles_arrived "verify cds alert of $$"
  NOTES+=("  image $CDS_IMAGE (--build-arg CDS=app): $(image_mb "$CDS_IMAGE") MB")
  log "CDS image: ready, one alert through; memory $(memory "$RUN-cds")"
  podman rm -f -v -t 0 "$RUN-cds" >/dev/null
}

# A camel-main container NAME from IMAGE on its own volume: ready, one alert through. Sets MAIN_URL and
# MAIN_READY_AFTER (seconds from `podman run` to ready).
run_camel_main() {  # name image
  local started=$SECONDS
  podman volume create "$1-data" >/dev/null
  podman run -d --name "$1" --memory 320m --network "$RUN-net" -p 127.0.0.1::8080 -v "$1-data:/app/data" \
    -e DINGTALK_BASE_URL=http://dingtalk:9000 -e DINGTALK_ROBOTS_0_NAME=ops \
    -e DINGTALK_ROBOTS_0_ACCESS_TOKEN=verify-token "$2" >/dev/null
  MAIN_URL=http://$(podman port "$1" 8080/tcp)
  wait_ready "$MAIN_URL" /observe/health/ready
  MAIN_READY_AFTER=$((SECONDS - started))
  post_alert "$MAIN_URL" "verify $1 alert of $$"
  wait_for 60 "the alert of $1 at the stand-in" titles_arrived "verify $1 alert of $$"
}

camel_main_variant() {  # --target runtime-camel-main: the service without Spring Boot
  retry 2 10 podman_build "$WORK/build-camel-main.log" --target runtime-camel-main -t "$CAMEL_MAIN_IMAGE"
  local config
  config=$(podman image inspect -f '{{.Config.User}}|{{json .Config.Volumes}}|{{json .Config.Entrypoint}}|{{json .Config.Healthcheck}}' "$CAMEL_MAIN_IMAGE")
  [[ $config == 10001\|*'"/app/data"'*\|*CamelMainRuntime*\|*/observe/health/ready* ]] \
    || fail "camel-main image config: want USER 10001, VOLUME /app/data, CamelMainRuntime and a HEALTHCHECK: $config"
  run_camel_main "$RUN-main" "$CAMEL_MAIN_IMAGE"
  [[ $(curl -s --max-time 5 "$MAIN_URL/observe/metrics") == *'sentry_dingtalk_delivered_total{robot="ops"} 1.0'* ]] \
    || fail "the camel-main image's /observe/metrics does not count the delivered alert"
  [ "$(podman exec "$RUN-main" id -u)" = 10001 ] || fail "the camel-main image runs as $(podman exec "$RUN-main" id -u)"
  NOTES+=("  image $CAMEL_MAIN_IMAGE (--target runtime-camel-main): $(image_mb "$CAMEL_MAIN_IMAGE") MB, ready after ${MAIN_READY_AFTER} s, memory after one alert $(memory "$RUN-main")")
  log "camel-main image: ready after ${MAIN_READY_AFTER} s, one alert through; memory $(memory "$RUN-main")"
  podman stop -t 20 "$RUN-main" >/dev/null
  podman logs "$RUN-main" 2>&1 | grep -q 'Apache Camel (Main) .* shutdown' \
    || fail "the camel-main image did not shut down cleanly on SIGTERM"
  podman rm -f -v -t 0 "$RUN-main" >/dev/null
}

# The camel-main image with its class data sharing archive (--build-arg CDS=app): uses it, starts, one alert.
camel_main_cds_variant() {
  retry 2 10 podman_build "$WORK/build-camel-main-cds.log" --target runtime-camel-main --build-arg CDS=app -t "$CAMEL_MAIN_CDS_IMAGE"
  podman run --rm --entrypoint cat "$CAMEL_MAIN_CDS_IMAGE" /app/cds.options | grep -q '^-XX:SharedArchiveFile=app.jsa' \
    || fail "the camel-main CDS image's cds.options names no archive"
  # -Xshare:on: the JVM refuses to start when the archive does not match its class path
  podman run --rm --entrypoint java "$CAMEL_MAIN_CDS_IMAGE" -Xshare:on @cds.options -cp 'app.jar:lib/*' -version >/dev/null 2>&1 \
    || fail "the camel-main CDS image's archive does not map with its class path"
  run_camel_main "$RUN-main-cds" "$CAMEL_MAIN_CDS_IMAGE"
  NOTES+=("  image $CAMEL_MAIN_CDS_IMAGE (--target runtime-camel-main --build-arg CDS=app): $(image_mb "$CAMEL_MAIN_CDS_IMAGE") MB, ready after ${MAIN_READY_AFTER} s, memory after one alert $(memory "$RUN-main-cds")")
  log "camel-main CDS image: ready after ${MAIN_READY_AFTER} s, one alert through; memory $(memory "$RUN-main-cds")"
  podman rm -f -v -t 0 "$RUN-main-cds" >/dev/null
}

kill_and_restart() {
  local i titles=() code
  stand_in down POST >/dev/null
  for ((i = 1; i <= ALERTS; i++)); do
    titles+=("verify alert $i of $$.")
    post_alert "$SERVICE" "verify alert $i of $$"
  done
  wait_for 60 "a delivery attempt refused by the stand-in" refused_some
  [ "$(outbox_count "$RUN-service")" = "$ALERTS" ] \
    || fail "want $ALERTS alerts waiting in the outbox, found $(outbox_count "$RUN-service")"
  local mem
  mem=$(memory "$RUN-service")
  NOTES+=("  container memory after $((ALERTS + 1)) alerts: $mem")
  log "$ALERTS alerts accepted (202) and waiting in the outbox, DingTalk down ($(stand_in stats)); memory $mem"

  podman kill -s KILL "$RUN-service" >/dev/null
  code=$(podman wait "$RUN-service")
  [ "$code" = 137 ] || fail "the container ended with $code, not 137 (SIGKILL)"
  podman rm -v "$RUN-service" >/dev/null
  log "killed (exit 137); DingTalk up again; a new container on the same volume"
  stand_in up POST >/dev/null
  start_service "$RUN-service-2"
  wait_ready "$SERVICE"
  wait_for 120 "every accepted alert at the stand-in, once" titles_arrived "${titles[@]}"
  wait_for 30 "an empty outbox" outbox_empty "$RUN-service-2"
  log "all $ALERTS alerts delivered once after the kill ($(stand_in stats))"
  podman rm -f -v -t 0 "$RUN-service-2" "$RUN-dingtalk" >/dev/null
}

# --- Compose -------------------------------------------------------------------------------------------
compose() { podman-compose -p "$RUN" -f "$ROOT/deploy/compose.yaml" "$@"; }

free_ports() {  # two ports nobody listens on
  python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])'
}

compose_up_and_down() {
  local ports
  read -r -a ports <<<"$(free_ports)"
  export SENTRY_DINGTALK_IMAGE=$IMAGE DINGTALK_STAND_IN_IMAGE=$STAND_IN_IMAGE
  export SENTRY_DINGTALK_PORT=${ports[0]} DINGTALK_STAND_IN_PORT=${ports[1]}
  COMPOSE_UP=1
  compose up -d >"$WORK/compose.log" 2>&1 || { tail -n 30 "$WORK/compose.log"; fail "podman-compose up"; }
  SERVICE=http://127.0.0.1:$SENTRY_DINGTALK_PORT
  DINGTALK=http://127.0.0.1:$DINGTALK_STAND_IN_PORT
  wait_ready "$SERVICE"
  local published
  published=$(podman ps --filter "label=io.podman.compose.project=$RUN" --format '{{.Names}} {{.Ports}}')
  log "published: $(tr '\n' ';' <<<"$published")"
  [ "$(grep -c '127\.0\.0\.1:' <<<"$published" || true)" = 2 ] && ! grep -q '0\.0\.0\.0' <<<"$published" \
    || fail "compose must publish both ports on 127.0.0.1 only"
  post_alert "$SERVICE" "verify compose alert of $$"
  wait_for 60 "the compose alert at the stand-in" titles_arrived "verify compose alert of $$"
  log "one alert through the compose stack"
  compose down -v >>"$WORK/compose.log" 2>&1 || { tail -n 30 "$WORK/compose.log"; fail "podman-compose down"; }
  COMPOSE_UP=
  [ -z "$(podman ps -a -q --filter "label=io.podman.compose.project=$RUN")" ] \
    || fail "containers left after podman-compose down"
}

phase "podman set-up" configure_podman
phase "base image debian:bookworm-slim" ensure_base_image
phase "build image (jdk, maven, jlink, runtime)" build_image
phase "build DingTalk stand-in" build_stand_in
phase "image checks (config, java runtime)" check_image
phase "run: start, health, non-root, one alert" run_and_check
phase "CDS variant: build, start, one alert" cds_variant
phase "camel-main variant: build, start, one alert" camel_main_variant
phase "camel-main CDS variant: build, start, one alert" camel_main_cds_variant
phase "DingTalk down, $ALERTS alerts, kill -9, restart" kill_and_restart
phase "compose: up, one alert, down" compose_up_and_down

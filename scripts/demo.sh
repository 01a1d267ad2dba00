#!/usr/bin/env bash
# GreenMine's main job, end to end on the embedded default (SQLite and a blob folder, no other service):
# a server with the demonstration data; an enterprise that pre-applies and applies offline, with
# attachments, and syncs; the county's opinion; the province accepting and assigning; the assessor
# scoring; the province approving; the certificate downloaded and verified offline; the history.
#
#   bash scripts/demo.sh            builds (debug) if needed, then runs every step with the real binaries
#
# Environment:
#   GREENMINE_BIN_DIR   use the binaries in this folder instead of building
#   GREENMINE_DEMO_DIR  work in this (empty or new) folder instead of a new one under $TMPDIR
#   LANG                zh_CN.UTF-8 for Chinese output (the default is English)
#
# Everything the run makes stays in the work folder, printed at the end: the server's data, each
# user's client home, the certificate, and every command's output (log/).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"

# ---------------------------------------------------------------------------------------------------
# Output

bold=$'\e[1m'; dim=$'\e[2m'; green=$'\e[32m'; red=$'\e[31m'; plain=$'\e[0m'
if [[ ! -t 1 ]]; then bold=""; dim=""; green=""; red=""; plain=""; fi

step_number=0
step() {                      # step "中文标题" "English title"
  step_number=$((step_number + 1))
  printf '\n%s%d. %s  %s%s\n' "$bold" "$step_number" "$1" "$2" "$plain"
}
note() { printf '   %s%s%s\n' "$dim" "$*" "$plain"; }
fail() { printf '\n%s✗ %s%s\n' "$red" "$*" "$plain" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------
# The binaries

if [[ -n "${GREENMINE_BIN_DIR:-}" ]]; then
  bin="$GREENMINE_BIN_DIR"
else
  printf '%sBuilding (swift build; a few minutes the first time)…%s\n' "$dim" "$plain"
  build_log="$(mktemp "${TMPDIR:-/tmp}/greenmine-demo-build.XXXXXX")"
  if ! (cd "$repo" && swift build >"$build_log" 2>&1); then
    grep -E "error" "$build_log" | head -n 20 >&2 || tail -n 30 "$build_log" >&2
    fail "swift build failed (whole output: $build_log)"
  fi
  rm -f "$build_log"
  bin="$(cd "$repo" && swift build --show-bin-path)"
fi
[[ -x "$bin/greenmine" && -x "$bin/greenmine-server" ]] || fail "no greenmine / greenmine-server in $bin"

started=$(date +%s%N)
work="${GREENMINE_DEMO_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/greenmine-demo.XXXXXX")}"
mkdir -p "$work/log" "$work/files"
[[ -z "$(ls -A "$work/log")" ]] || fail "$work is not a new folder"

# ---------------------------------------------------------------------------------------------------
# The server: started on a free loopback port, stopped and started again on the same port and data
# to play the network going away and coming back.

server_pid=""
port=0
server_starts=0

start_server() {              # start_server [--demo]
  local log attempt
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    server_starts=$((server_starts + 1))
    log="$work/log/server-$server_starts.out"
    : >"$log"                  # there before the first grep (the child creates it only when it runs)
    "$bin/greenmine-server" serve --data "$work/server" --host 127.0.0.1 --port "$port" \
      --log-level warning "$@" >"$log" 2>&1 &
    server_pid=$!
    local waited=0
    while kill -0 "$server_pid" 2>/dev/null; do
      if grep -q "listening on http://127.0.0.1:" "$log"; then
        port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$log" | head -n 1)
        return 0
      fi
      sleep 0.05
      waited=$((waited + 1))
      [[ $waited -lt 2400 ]] || { kill -9 "$server_pid"; fail "the server did not start: $(cat "$log")"; }
    done
    # It ended: the old socket may still hold the port for a moment.
    [[ $port -ne 0 ]] || fail "the server did not start: $(cat "$log")"
    sleep 0.2
  done
  fail "the server could not listen on port $port again: $(cat "$log")"
}

stop_server() {                # SIGTERM, then kill -9 if it has not ended within 10 s
  [[ -n "$server_pid" ]] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  local waited=0
  while kill -0 "$server_pid" 2>/dev/null && [[ $waited -lt 100 ]]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  kill -9 "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
trap 'stop_server' EXIT

offline() { stop_server; printf '   %s── network gone 断网 (the server is stopped) ──%s\n' "$red" "$plain"; }
online() { start_server; printf '   %s── network back 恢复联网 ──%s\n' "$green" "$plain"; }

# ---------------------------------------------------------------------------------------------------
# The client: each user has their own client home, as on their own laptop.

declare -A who_label=(
  [ent]="enterprise 企业"
  [county]="county 县级"
  [province]="province 省级"
  [assessor]="assessor 评估机构"
)
command_count=0

# gm USER ARGS…: runs `greenmine ARGS` in USER's home, shows the command and its output.
gm() {
  local user="$1"; shift
  gm_shown "$user" "greenmine $*" "$@"
}

# gm_shown USER "TEXT" ARGS…: the same, showing TEXT as the command line (for long ones).
gm_shown() {
  local user="$1" shown="$2"; shift 2
  command_count=$((command_count + 1))
  local out="$work/log/$(printf '%03d' "$command_count")-$user-$1.out"
  printf '   %s[%s]%s $ %s\n' "$bold" "${who_label[$user]}" "$plain" "$shown"
  local status=0
  if [[ -n "${gm_input:-}" ]]; then
    GREENMINE_HOME="$work/home-$user" "$bin/greenmine" "$@" >"$out" 2>&1 <<<"$gm_input" || status=$?
  else
    GREENMINE_HOME="$work/home-$user" "$bin/greenmine" "$@" >"$out" 2>&1 </dev/null || status=$?
  fi
  sed 's/^/     /' "$out"
  [[ $status -eq 0 ]] || fail "greenmine $1 exited with $status (output in $out)"
}

# gm_id USER ARGS…: like gm, and sets $id to the first record id the command printed.
gm_id() {
  gm "$@"
  id=$(grep -oE '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' "$work/log/$(printf '%03d' "$command_count")-"*.out \
    | head -n 1 || true)
  [[ -n "$id" ]] || fail "no record id in the output of greenmine $2"
}

login() {                     # login USER ACCOUNT (the password goes on standard input, never to a file)
  local password
  password=$(awk -v u="$2" '$1 == u { print $3 }' "$work/log/server-1.out")
  [[ -n "$password" ]] || fail "no password for $2 in the server's first output"
  gm_input="$password" gm "$1" login --server "http://127.0.0.1:$port" --user "$2" --password-stdin
}

# ---------------------------------------------------------------------------------------------------
# The files a field engineer has on the laptop: a photo and two PDFs (the type comes from the content).

printf 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==' \
  | base64 -d >"$work/files/矿区全貌.png"
cp "$work/files/矿区全貌.png" "$work/files/复垦区航拍.png"
make_pdf() {                  # make_pdf FILE TITLE
  printf '%%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n%% %s\ntrailer << /Root 1 0 R >>\n%%%%EOF\n' "$2" >"$1"
}
make_pdf "$work/files/绿色矿山自评报告.pdf" "self-assessment report"
make_pdf "$work/files/第三方评估报告.pdf" "third-party assessment report"

# ---------------------------------------------------------------------------------------------------

printf '%sGreenMine 全国绿色矿山名录 — the main job, end to end%s\n' "$bold" "$plain"
note "work folder: $work"

step "服务器与演示数据" "The server, with the demonstration data"
start_server --demo
note "greenmine-server serve --data $work/server --port 0 --demo  →  http://127.0.0.1:$port"
sed -n '1,8p' "$work/log/server-1.out" | sed 's/^/     /'

step "登录（联网时）" "Everyone logs in while the network is there"
login ent demo-ent1
login county demo-county
login province demo-province
login assessor demo-assessor
gm ent sync

step "企业离线预申报" "The enterprise pre-applies at the mine, offline, with a photo"
offline
gm_id ent pre new --region 130102 --license C1301002020127130000001
pre="$id"; pre_short="${pre:0:8}"
gm ent pre set "$pre_short" prerequisites.licencesValid=是 prerequisites.noPenalty=是 prerequisites.disclosure=是 \
  prerequisites.normalOperation=是 prerequisites.outsideProtectedAreas=是 remarks.text=五项先决条件均符合
gm ent pre attach "$pre_short" "$work/files/矿区全貌.png"
gm ent pre check "$pre_short"
gm ent pre submit "$pre_short"
gm ent status

step "回到有网络的地方，同步" "Back in reach: sync"
online
gm ent sync

step "省级受理并审核通过预申报" "The province accepts and approves the pre-application"
gm province sync
gm province review list --state submitted
gm province review accept "$pre_short"
gm province review approve "$pre_short"
gm province sync

step "企业离线填报新设申请（含附件）" "The enterprise applies, offline, with attachments"
gm ent sync
offline
gm_id ent app new --from "$pre_short"
app="$id"; app_short="${app:0:8}"
mapfile -t fields <"$here/demo/application.fields"
gm_shown ent "greenmine app set $app_short basic.holder=石家庄长安绿源矿业有限公司 … (${#fields[@]} fields from scripts/demo/application.fields)" \
  app set "$app_short" "${fields[@]}"
gm ent app attach "$app_short" "$work/files/绿色矿山自评报告.pdf" "$work/files/复垦区航拍.png"
gm ent app check "$app_short"
gm ent app submit "$app_short"
gm ent status
online
gm ent sync

step "县级初审意见" "The county gives its preliminary opinion"
gm county sync
gm county review opinion "$app_short" --comment 材料齐全，同意上报
gm county sync

step "省级受理并指派评估机构" "The province accepts the application and assigns an agency"
gm province sync
gm province review accept "$app_short"
gm province review assign "$app_short" --agency 河北绿源第三方评估中心
gm province sync

step "第三方评估机构评分" "The assessor scores the mine against the indicator catalogue"
gm assessor sync
gm assessor assess list
mapfile -t scores <"$here/demo/scores.fields"
gm_shown assessor "greenmine assess score $app_short --prerequisite P1=是 … P5=是 --item ${scores[0]} ${scores[1]} … (${#scores[@]} items from scripts/demo/scores.fields) --summary …" \
  assess score "$app_short" --prerequisite P1=是 P2=是 P3=是 P4=是 P5=是 --item "${scores[@]}" \
  --summary 现场核查完成，符合绿色矿山建设要求
gm assessor assess report "$app_short" "$work/files/第三方评估报告.pdf"
gm assessor assess show "$app_short"
gm assessor assess submit "$app_short"
gm assessor sync

step "省级审核通过，签发证书" "The province approves: the server signs the certificate"
gm province sync
gm province review approve "$app_short"
gm province sync

step "企业下载证书，查看流程" "The enterprise downloads its certificate and prints the history"
gm ent sync
gm ent cert download "$app_short" --out "$work/证书"
gm ent history "$app_short"

step "离线验证证书" "The certificate verified offline"
offline
certificate=$(ls "$work/证书"/*.json 2>/dev/null | head -n 1 || true)
[[ -n "$certificate" ]] || fail "cert download wrote no certificate into $work/证书"
gm ent cert verify "$certificate"

elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
printf '\n%s✓ Done in %d.%01d s: %d greenmine commands, the server started %d times. 完成。%s\n' \
  "$green" $((elapsed_ms / 1000)) $(((elapsed_ms % 1000) / 100)) "$command_count" "$server_starts" "$plain"
note "certificate: $(dirname "$certificate")  (the .html prints in Chinese)"
note "everything is in $work (server data, client homes, log/)"

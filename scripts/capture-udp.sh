#!/bin/bash
# Records fixtures/udp/capture.pcap: real UDP tracker traffic (BEP 15, BEP 41) between Debian's
# opentracker and real clients, all on loopback inside a network namespace whose only interface is lo.
# NOT part of CI: it needs root, apt packages and about three minutes. Run by hand, as root:
#   apt-get install -y opentracker transmission-cli transmission-daemon qbittorrent-nox mktorrent tcpdump curl
#   scripts/capture-udp.sh            # writes fixtures/udp/{capture.pcap,timeline.log,logs/...}
# What happens (see fixtures/udp/NOTES.md for what was actually seen):
#   opentracker (whitelist build) on udp 127.0.0.1:6971, whitelist = torrent A only
#   transmission-daemon 3.00 seeds torrent A from 127.0.0.2:51413 and also gets torrent B, which is not
#     whitelisted (opentracker answers it with an error datagram, action 3)
#   qBittorrent-nox 4.5.2 (libtorrent 2.0.8) leeches torrent A from 127.0.0.6:6895 (BEP 41 URL data option),
#     completes, and is shut down gracefully (stopped)
#   Transmission's torrents are stopped via RPC (stopped), then the daemon gets SIGTERM.
set -u
NETNS=udplab
NS="ip netns exec $NETNS"
REPO=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$REPO/fixtures/udp}
WORK=${WORK:-/tmp/udplab}
UDP_PORT=6971
QB="http://127.0.0.1:8085/api/v2"
TRR="$NS transmission-remote 127.0.0.1:9091"

ts() { date -u +%Y-%m-%dT%H:%M:%S.%3NZ; }
note() { echo "$(ts) $*" | tee -a "$OUT/timeline.log"; }
stop_pid() { # $1 pid, $2 signal; waits up to 30 s
  kill -"${2:-TERM}" "$1" 2>/dev/null
  for _ in $(seq 1 300); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  echo "WARNING: $1 still alive after 30 s"; return 1
}

rm -rf "$WORK"; mkdir -p "$WORK" "$OUT/logs"; : > "$OUT/timeline.log"
ip netns add $NETNS || exit 1
$NS ip link set lo up
$NS ip addr add 127.0.0.6/32 dev lo  # qBittorrent looks for its configured address on the interface

# Data and private torrents whose only tracker is the loopback UDP URL.
mkdir -p "$WORK/data"
head -c $((4 * 1024 * 1024)) /dev/urandom > "$WORK/data/sample-udp-4MiB.bin"
head -c $((1024 * 1024)) /dev/urandom > "$WORK/data/sample-udp-denied-1MiB.bin"
mktorrent -p -l 18 -a "udp://127.0.0.1:$UDP_PORT/announce" -o "$WORK/a.torrent" "$WORK/data/sample-udp-4MiB.bin" >/dev/null
mktorrent -p -l 18 -a "udp://127.0.0.1:$UDP_PORT/announce" -o "$WORK/b.torrent" "$WORK/data/sample-udp-denied-1MiB.bin" >/dev/null
HASH_A=$(transmission-show "$WORK/a.torrent" | awk '/Hash:/{print tolower($2)}')
HASH_B=$(transmission-show "$WORK/b.torrent" | awk '/Hash:/{print tolower($2)}')
cp "$WORK/a.torrent" "$OUT/sample-udp-4MiB.torrent"; cp "$WORK/b.torrent" "$OUT/sample-udp-denied-1MiB.torrent"
note "torrent A $HASH_A (whitelisted), torrent B $HASH_B (not whitelisted)"

# opentracker chroots into its dir and drops to nobody; only -P, so no TCP port at all.
mkdir -p "$WORK/ot"; chmod 755 "$WORK" "$WORK/ot"; echo "$HASH_A" > "$WORK/ot/whitelist.txt"; chmod 644 "$WORK/ot/whitelist.txt"
$NS opentracker -i 127.0.0.1 -P $UDP_PORT -d "$WORK/ot" -u nobody -w /whitelist.txt > "$WORK/opentracker.stdout" 2>&1 &
OT_PID=$!; note "opentracker pid $OT_PID on udp 127.0.0.1:$UDP_PORT"
sleep 1
$NS tcpdump -n -i lo -U -Z root -w "$OUT/capture.pcap" "udp port $UDP_PORT" > "$WORK/tcpdump.log" 2>&1 &
TD_PID=$!; note "tcpdump pid $TD_PID filter 'udp port $UDP_PORT'"
sleep 2

# Seeder: transmission-daemon, DHT/PEX/LPD/uTP/port forwarding off.
mkdir -p "$WORK/tr" "$WORK/tr-data"; cp "$WORK/data/"*.bin "$WORK/tr-data/"
cat > "$WORK/tr/settings.json" <<JSON
{
  "dht-enabled": false, "lpd-enabled": false, "pex-enabled": false, "utp-enabled": false,
  "port-forwarding-enabled": false, "blocklist-enabled": false,
  "bind-address-ipv4": "127.0.0.2", "bind-address-ipv6": "::1",
  "peer-port": 51413, "peer-port-random-on-start": false,
  "rpc-enabled": true, "rpc-bind-address": "127.0.0.1", "rpc-port": 9091,
  "rpc-authentication-required": false, "rpc-whitelist-enabled": true, "rpc-whitelist": "127.0.0.1",
  "rpc-host-whitelist-enabled": false,
  "download-dir": "$WORK/tr-data", "incomplete-dir-enabled": false, "watch-dir-enabled": false,
  "start-added-torrents": true, "ratio-limit-enabled": false, "idle-seeding-limit-enabled": false,
  "speed-limit-up-enabled": false, "speed-limit-down-enabled": false,
  "message-level": 3, "encryption": 1, "cache-size-mb": 4, "umask": 18
}
JSON
$NS transmission-daemon -f -g "$WORK/tr" --log-debug -e "$OUT/logs/transmission.log" > "$WORK/transmission.stdout" 2>&1 &
TR_PID=$!; note "transmission-daemon pid $TR_PID bind 127.0.0.2:51413"
sleep 3
$TRR -a "$WORK/a.torrent" -w "$WORK/tr-data" >/dev/null; note "transmission: torrent A added (id 1)"
for _ in $(seq 1 60); do $TRR -t 1 -i | grep -q 'Percent Done: 100%' && break; sleep 1; done
note "transmission: torrent A verified 100%"
sleep 3
$TRR -a "$WORK/b.torrent" -w "$WORK/tr-data" >/dev/null; note "transmission: torrent B added (id 2, not whitelisted)"
sleep 5

# Leecher: qBittorrent-nox bound to 127.0.0.6 only (one listen address -> one announce per event).
mkdir -p "$WORK/qbt/qBittorrent/config" "$WORK/qbt/dl"
cat > "$WORK/qbt/qBittorrent/config/qBittorrent.conf" <<CONF
[Application]
FileLogger\\Enabled=true
FileLogger\\Path=$WORK/qbt/logs

[BitTorrent]
Session\\AddTrackersEnabled=false
Session\\AnnounceToAllTrackers=false
Session\\AnonymousModeEnabled=false
Session\\BTProtocol=TCP
Session\\DHTEnabled=false
Session\\DefaultSavePath=$WORK/qbt/dl
Session\\Encryption=0
Session\\GlobalDLSpeedLimit=1024
Session\\Interface=lo
Session\\InterfaceAddress=127.0.0.6
Session\\InterfaceName=lo
Session\\LSDEnabled=false
Session\\PeXEnabled=false
Session\\Port=6895
Session\\QueueingSystemEnabled=false
Session\\TempPathEnabled=false

[LegalNotice]
Accepted=true

[Meta]
MigrationVersion=4

[Network]
PortForwardingEnabled=false

[Preferences]
Connection\\ResolvePeerCountries=false
Connection\\UPnP=false
General\\Locale=en
WebUI\\Address=127.0.0.1
WebUI\\CSRFProtection=false
WebUI\\Enabled=true
WebUI\\HostHeaderValidation=false
WebUI\\LocalHostAuth=false
WebUI\\Port=8085
CONF
$NS qbittorrent-nox --profile="$WORK/qbt" > "$WORK/qbittorrent.stdout" 2>&1 &
QB_PID=$!; note "qbittorrent-nox pid $QB_PID bind 127.0.0.6:6895, down limit 1024 KiB/s"
for _ in $(seq 1 30); do $NS curl -sf "$QB/app/version" >/dev/null && break; sleep 1; done
note "qbittorrent version $($NS curl -s "$QB/app/version")"
$NS curl -s -F "torrents=@$WORK/a.torrent" -F "savepath=$WORK/qbt/dl" "$QB/torrents/add" >/dev/null
note "qbittorrent: torrent A added"
qst() { $NS curl -s "$QB/torrents/info" | python3 -c 'import json,sys; t=json.load(sys.stdin)[0]; print("state=%s progress=%.3f downloaded=%d uploaded=%d" % (t["state"], t["progress"], t["downloaded"], t["uploaded"]))'; }
s=""; for _ in $(seq 1 120); do s=$(qst); case "$s" in *"progress=1.000"*) break;; esac; sleep 1; done
note "qbittorrent complete: $s"
sleep 5
note "qbittorrent: $(qst); graceful shutdown via POST $QB/app/shutdown"
$NS curl -s -X POST "$QB/app/shutdown"
for _ in $(seq 1 300); do kill -0 $QB_PID 2>/dev/null || break; sleep 0.1; done
note "qbittorrent exited"
cp -r "$WORK/qbt/logs" "$OUT/logs/qbittorrent" 2>/dev/null
sleep 3
$TRR -t 1 -i > "$OUT/logs/transmission-final-info.txt" 2>&1
$TRR -t all -S >/dev/null; note "transmission: all torrents STOPPED via RPC"
sleep 5
note "transmission: SIGTERM"; stop_pid $TR_PID TERM; note "transmission-daemon exited"
sleep 2
stop_pid $TD_PID INT; stop_pid $OT_PID INT
cp "$WORK/opentracker.stdout" "$OUT/logs/opentracker.stdout"
ip netns delete $NETNS
note "all stopped, netns deleted"

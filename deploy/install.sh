#!/usr/bin/env bash
# Installs govmedia as a systemd service: builds the release binary, creates the service
# user and the officers' group, installs binary, unit, config and rules, and lets members
# of the group query the database. Run as root from the repository root. Idempotent: an
# existing config or rules directory is kept (new versions are written beside it as .new).
#   deploy/install.sh [--prefix /usr/local] [--officer USER]...
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=/usr/local
officers=()
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix="$2"; shift 2 ;;
        --officer) officers+=("$2"); shift 2 ;;
        *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ "$(id -u)" -eq 0 ] || { echo "install.sh: run as root" >&2; exit 1; }

scripts/setup
swift build -c release --product govmedia

# The service runs as its own user; officers join the group to read the database.
getent group govmedia >/dev/null || groupadd --system govmedia
getent passwd govmedia >/dev/null || useradd --system --gid govmedia --home-dir /var/lib/govmedia --shell /usr/sbin/nologin govmedia
for o in "${officers[@]}"; do usermod -a -G govmedia "$o"; done

install -D -m 0755 .build/release/govmedia "$prefix/bin/govmedia"
install -d -m 0770 -o govmedia -g govmedia /var/lib/govmedia
install -d -m 0750 -o govmedia -g govmedia /var/lib/govmedia/reports /var/lib/govmedia/outbox
# Group members may read and write the database files (WAL readers need the -shm file).
chmod g+s /var/lib/govmedia

install -d -m 0755 /etc/govmedia
keep_or_new() { # src dst mode
    if [ -e "$2" ] && ! cmp -s "$1" "$2"; then install -m "$3" "$1" "$2.new"; echo "kept $2 (new version at $2.new)"; else install -m "$3" "$1" "$2"; fi
}
keep_or_new deploy/govmedia.yaml /etc/govmedia/govmedia.yaml 0640
chgrp govmedia /etc/govmedia/govmedia.yaml
if [ -d /etc/govmedia/rules ]; then
    rm -rf /etc/govmedia/rules.new && cp -r rules /etc/govmedia/rules.new && echo "kept /etc/govmedia/rules (new version at /etc/govmedia/rules.new)"
else
    cp -r rules /etc/govmedia/rules
fi
chmod -R a+rX /etc/govmedia/rules
[ -e /etc/govmedia/accounts.json ] || install -m 0644 accounts.json /etc/govmedia/accounts.json
install -D -m 0644 README.md /usr/share/doc/govmedia/README.md

sed "s#/usr/local/bin/govmedia#$prefix/bin/govmedia#" deploy/govmedia.service > /etc/systemd/system/govmedia.service
if command -v systemd-analyze >/dev/null; then systemd-analyze verify /etc/systemd/system/govmedia.service; fi
"$prefix/bin/govmedia" daemon --config /etc/govmedia/govmedia.yaml --check-config

if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    systemctl enable --now govmedia.service
    echo "govmedia 已安装并启动：systemctl status govmedia；日志：journalctl -u govmedia"
else
    echo "govmedia 已安装（此机器没有运行 systemd，未启动服务）"
fi
echo "官员查询：将用户加入 govmedia 组后，export GOVMEDIA_DB=/var/lib/govmedia/govmedia.sqlite; govmedia status"

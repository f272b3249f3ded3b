#!/bin/sh
# Installs the CleanShift agent as a systemd service.
#   curl -fsSL https://API/v1/agent/install.sh | sudo sh -s -- \
#     --api-url https://API --token cs_agent_... [--web-root /var/www]... \
#     [--package cleanshift]
# The token is kept in /etc/cleanshift/agent.env, readable by root only.
set -eu

api_url=""
token=""
web_roots=""
package="cleanshift"
prefix="/opt/cleanshift-agent"

while [ $# -gt 0 ]; do
  case "$1" in
    --api-url) api_url=$2; shift 2 ;;
    --token) token=$2; shift 2 ;;
    --web-root) web_roots="$web_roots --web-root $2"; shift 2 ;;
    --package) package=$2; shift 2 ;;
    *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

if [ -z "$api_url" ] || [ -z "$token" ]; then
  echo "install.sh: --api-url and --token are required" >&2
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root (the agent reads every site's files)" >&2
  exit 1
fi
[ -n "$web_roots" ] || web_roots="--web-root /var/www"

python3 -m venv "$prefix"
"$prefix/bin/pip" install --quiet --upgrade "$package"

umask 077
mkdir -p /etc/cleanshift /var/lib/cleanshift-agent
printf 'CLEANSHIFT_AGENT_TOKEN=%s\n' "$token" > /etc/cleanshift/agent.env

cat > /etc/systemd/system/cleanshift-agent.service <<UNIT
[Unit]
Description=CleanShift agent
After=network-online.target
Wants=network-online.target

[Service]
EnvironmentFile=/etc/cleanshift/agent.env
ExecStart=$prefix/bin/cleanshift agent run --api-url $api_url --state-dir /var/lib/cleanshift-agent $web_roots
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
UNIT

systemctl daemon-reload
systemctl enable --now cleanshift-agent.service
echo "CleanShift agent installed and started; logs: journalctl -u cleanshift-agent"

# Installs what the platform and its tests need on a Debian machine with the .NET 10 SDK. Sourced by run.sh and test.sh.

ensure_prerequisites() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "The .NET 10 SDK is required (dotnet on PATH); see https://dot.net." >&2
    exit 1
  fi
  if [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
    echo "Installing rabbitmq-server (Debian package) ..."
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    # The platform runs its own private broker node; keep the package's system service from starting.
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod +x /usr/sbin/policy-rc.d
    # Another install on the same machine may hold the dpkg lock: wait for it.
    $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq rabbitmq-server >/dev/null
    $sudo rm -f /usr/sbin/policy-rc.d
  fi
  # npm installs the web front end's packages (KERN) when it is built.
  if ! command -v npm >/dev/null 2>&1; then
    echo "Installing nodejs and npm (Debian packages) ..."
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq nodejs npm >/dev/null
  fi
}

# Debian's chromium for the browser tests (Playwright drives it; its own browser download cannot work here).
ensure_browser() {
  if [ ! -x /usr/bin/chromium ]; then
    echo "Installing chromium (Debian package) ..."
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq chromium >/dev/null
  fi
}

# Debian's chromium for the browser tests, installed when missing. Playwright never
# downloads a browser of its own here.
browser_ensure_installed() {
    if [ -x /usr/bin/chromium ]; then return 0; fi
    echo "chromium not found: installing Debian's chromium package" >&2
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
    [ -x /usr/bin/chromium ] || { echo "chromium could not be installed" >&2; return 1; }
}

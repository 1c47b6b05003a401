# Debian's chromium for the browser tests, installed when missing. Playwright never
# downloads a browser of its own here.
browser_ensure_installed() {
    # pdftoppm (poppler-utils) turns the printed PDFs into PNG artefacts to look at.
    if [ -x /usr/bin/chromium ] && command -v pdftoppm >/dev/null; then return 0; fi
    echo "chromium or pdftoppm not found: installing Debian's chromium and poppler-utils" >&2
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-noto-cjk poppler-utils >/dev/null
    [ -x /usr/bin/chromium ] || { echo "chromium could not be installed" >&2; return 1; }
    command -v pdftoppm >/dev/null || { echo "pdftoppm could not be installed" >&2; return 1; }
}

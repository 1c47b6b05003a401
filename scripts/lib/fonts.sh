# Debian's fonts-noto-cjk: the Japanese font the PDFs embed, read when Mamori is built
# (crates/print/build.rs). Installed when missing.
fonts_ensure_installed() {
    if [ -n "${MAMORI_FONT_DIR:-}" ] || [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ]; then
        return 0
    fi
    echo "fonts-noto-cjk not found: installing Debian's fonts-noto-cjk package" >&2
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq fonts-noto-cjk >/dev/null
    [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] ||
        { echo "fonts-noto-cjk could not be installed" >&2; return 1; }
}

#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (Playwright's own browser download does not work on
# these machines) with a CJK font, so pages, screenshots and PDFs show Chinese as a parent sees it.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/share/fonts/opentype/noto/NotoSansCJK-*.ttc >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
source "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh"
apt_install "browser tests" "${missing[@]}"

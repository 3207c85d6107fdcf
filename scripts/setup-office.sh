#!/usr/bin/env bash
# The spreadsheet tests need a second, independent producer of .xlsx files: LibreOffice Calc, run
# headless, re-saves the school workbook (xlsx -> xlsx, ods -> xlsx) and prints it to PDF for the
# clerk guide's screenshot. Installed from Debian's packages (no GUI needed: libreoffice-calc-nogui).
set -euo pipefail
missing=()
command -v soffice >/dev/null || missing+=(libreoffice-calc-nogui)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)  # PDF -> PNG for the screenshot
source "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh"
apt_install "spreadsheet tests" --no-install-recommends "${missing[@]}"

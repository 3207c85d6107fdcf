#!/usr/bin/env bash
# The spreadsheet tests need a second, independent producer of .xlsx files: LibreOffice Calc, run
# headless, re-saves the school workbook (xlsx -> xlsx, ods -> xlsx) and prints it to PDF for the
# clerk guide's screenshot. Installed from Debian's packages (no GUI needed: libreoffice-calc-nogui).
set -euo pipefail
missing=()
command -v soffice >/dev/null || missing+=(libreoffice-calc-nogui)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)  # PDF -> PNG for the screenshot
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "spreadsheet tests need LibreOffice Calc (Debian: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "installing ${missing[*]} for the spreadsheet tests" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

#!/usr/bin/env bash
# Install Debian's headless-capable Chromium for the browser tests (tests/test_browser.py).
#
# Uses the system package manager only (apt-get install chromium): no test tool ever
# downloads a browser. This script never fails: where Chromium cannot be installed (not
# root and no password-less sudo, no apt-get, no network), it says why and exits 0, and
# the browser tests then skip with that reason.
#
#   tools/setup_browser.sh            install chromium when it is missing
#   CHROMIUM=/path/to/chrome ...      a browser that is already there (nothing installed)
set -u

# poppler-utils (pdftotext) lets tests/test_book_pdf.py read the book's PDF (`make pdf`).
packages=(chromium fonts-liberation poppler-utils)
browser="${CHROMIUM:-}"
for candidate in "$browser" /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
        echo "setup_browser: using $candidate"
        if command -v pdftotext >/dev/null 2>&1; then
            exit 0
        fi
        packages=(poppler-utils)
        break
    fi
done

if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup_browser: no apt-get on this system; install Chromium yourself (or set CHROMIUM=...)" \
         "to run the browser tests; they will be skipped."
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "setup_browser: Chromium is missing and installing it needs root:" \
         "run 'sudo apt-get install chromium' to enable the browser tests; they will be skipped."
    exit 0
fi

echo "setup_browser: installing ${packages[*]} with apt-get (once; chromium is about 100 MB)..."
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-q -o DPkg::Lock::Timeout=600)
log="$(mktemp)"
if ! $SUDO apt-get "${apt_opts[@]}" install -y --no-install-recommends \
        "${packages[@]}" >"$log" 2>&1; then
    # The package lists may be missing or stale: refresh them once and retry.
    $SUDO apt-get "${apt_opts[@]}" update >>"$log" 2>&1
    $SUDO apt-get "${apt_opts[@]}" install -y --no-install-recommends \
        "${packages[@]}" >>"$log" 2>&1
fi
if [ -x /usr/bin/chromium ]; then
    echo "setup_browser: installed $(/usr/bin/chromium --version 2>/dev/null)"
else
    echo "setup_browser: could not install chromium (the browser tests will be skipped):"
    tail -n 5 "$log" | sed 's/^/    /'
fi
rm -f "$log"
exit 0

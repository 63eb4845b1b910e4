#!/usr/bin/env bash
# The installable app, tested as a person meets it: install the .deb that `make package`
# built with dpkg, start the installed binary (from its menu entry's Exec line) under
# Xvfb on a new vault, and check that its window appears, draws the page and creates the
# vault. Then remove the package again. Ends with "package: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

passed=0
failed=0
ok() { echo "ok: $1"; passed=$((passed + 1)); }
fail() { echo "FAILED: $1" >&2; failed=$((failed + 1)); }

deb=$(ls -t target/release/bundle/deb/*.deb 2>/dev/null | head -n 1)
if [ -z "$deb" ]; then
  echo "test-package: no .deb under target/release/bundle/deb (run make package)" >&2
  exit 1
fi
echo "test-package: installing $deb"

# A copy the person installed before this test is left installed afterwards.
was_installed=0
if dpkg -s receipt-vault 2>/dev/null | grep -q '^Status: install ok installed'; then was_installed=1; fi

work=$(mktemp -d)
xvfb_pid=""
app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  [ "$was_installed" = 1 ] || $SUDO dpkg -r receipt-vault >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

while fuser /var/lib/dpkg/lock-frontend >/dev/null 2>&1; do sleep 2; done
if $SUDO dpkg -i "$deb"; then ok "dpkg -i $(basename "$deb")"; else fail "dpkg -i $(basename "$deb")"; fi
if dpkg -s receipt-vault 2>/dev/null | grep -q '^Status: install ok installed'; then
  ok "dpkg says receipt-vault is installed"
else
  fail "dpkg does not list receipt-vault as installed"
fi

depends=$(dpkg-deb -f "$deb" Depends 2>/dev/null || true)
case "$depends" in
  *tesseract-ocr*poppler-utils*|*poppler-utils*tesseract-ocr*) ok "it depends on Tesseract and poppler-utils (OCR)" ;;
  *) fail "Depends does not name tesseract-ocr and poppler-utils: $depends" ;;
esac
for doc in LICENSE THIRD-PARTY-LICENSES.txt; do
  if [ -s "/usr/share/doc/receipt-vault/$doc" ]; then ok "ships /usr/share/doc/receipt-vault/$doc"; else fail "no /usr/share/doc/receipt-vault/$doc"; fi
done
if grep -q '^pdfjs-dist .*Apache-2.0' /usr/share/doc/receipt-vault/THIRD-PARTY-LICENSES.txt 2>/dev/null; then
  ok "the third-party licences name pdf.js"
else
  fail "the third-party licences do not list pdfjs-dist"
fi

desktop=$(dpkg -L receipt-vault 2>/dev/null | grep -m1 '\.desktop$' || true)
exec_cmd=""
if [ -n "$desktop" ] && [ -f "$desktop" ]; then
  exec_cmd=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop" | head -n 1)
  ok "menu entry $desktop (Exec=$exec_cmd)"
else
  fail "no menu entry (.desktop file) in the package"
fi
bin=$(command -v "${exec_cmd:-receipt-vault}" || true)
case "$bin" in
  /usr/*) ok "installed binary at $bin" ;;
  *) fail "the installed binary is not on PATH under /usr (found: '${bin:-nothing}')" ;;
esac

if [ -n "$bin" ]; then
  # A display of our own, on the first free number.
  num=""
  for n in $(seq 90 140); do
    [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] || { num=$n; break; }
  done
  Xvfb ":$num" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  for _ in $(seq 1 50); do [ -e "/tmp/.X11-unix/X$num" ] && break; sleep 0.2; done
  if [ ! -e "/tmp/.X11-unix/X$num" ]; then
    fail "Xvfb did not start on :$num"
  else
    export DISPLAY=":$num"
    mkdir -p "$work/home"
    HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share" \
      RECEIPT_VAULT_DIR="$work/vault" "$bin" >"$work/app.log" 2>&1 &
    app_pid=$!
    win=""
    for _ in $(seq 1 120); do
      win=$(xdotool search --onlyvisible --name '^Receipt Vault$' 2>/dev/null | head -n 1 || true)
      [ -n "$win" ] && break
      sleep 0.5
    done
    if [ -n "$win" ]; then ok "the installed app's window appeared"; else fail "no window titled 'Receipt Vault' within 60 s"; fi
    for _ in $(seq 1 60); do
      [ -f "$work/vault/vault.db" ] && break
      sleep 0.5
    done
    if [ -f "$work/vault/vault.db" ]; then ok "the installed app created and opened the vault"; else fail "no vault.db in $work/vault"; fi
    # The page is drawn: a blank window has two or three colours, the app's page many.
    colours=0
    mkdir -p target
    for _ in $(seq 1 40); do
      import -window root -display "$DISPLAY" target/package-window.png 2>/dev/null || true
      colours=$(convert target/package-window.png -format '%k' info: 2>/dev/null || echo 0)
      [ "${colours:-0}" -gt 32 ] && break
      sleep 0.5
    done
    if [ "${colours:-0}" -gt 32 ]; then
      ok "the window drew the app ($colours colours; target/package-window.png)"
    else
      fail "the window stayed blank ($colours colours; target/package-window.png)"
    fi
    if kill -0 "$app_pid" 2>/dev/null; then ok "the app is still running"; else fail "the app exited: $(tail -n 20 "$work/app.log")"; fi
  fi
fi

echo "package: $passed passed, $failed failed"
[ "$failed" = 0 ]

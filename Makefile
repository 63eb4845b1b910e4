# Receipt Vault. Two commands matter: `make run` and `make test`. Both install what is
# missing first (scripts/setup.sh: Debian packages, tauri-driver, npm packages).

CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: setup ui run test lint test-rust test-ui test-package bench eval bindings package clean-ui

setup:
	@bash scripts/setup.sh

# ui/dist must exist before any cargo build of the app (it is embedded in the binary).
ui: setup
	cd ui && npm run build

run: ui
	$(CARGO) run -p receipt-vault --bin receipt-vault

lint: ui
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

test-rust: ui
	$(CARGO) build -p receipt-vault --bin receipt-vault
	$(CARGO) test --workspace --no-fail-fast

test-ui: setup
	cd ui && npm run check && npm test

# fmt, clippy, UI checks and tests, then every cargo test (the E2E tests drive the real
# app through WebKitWebDriver under their own Xvfb, and its real file dialogs with
# xdotool), then the .deb: built, installed with dpkg, started under Xvfb, removed.
test: lint test-ui test-rust test-package

bench: setup
	$(CARGO) build --release -p vault-cli -p vault-bench
	./target/release/vault-bench $(BENCH_ARGS)

# Extraction quality: generated emails and receipt images with known values, and the real
# receipt scans in ../shared/corpora when present (skipped otherwise). EVAL_ARGS=--markdown
# prints the table for BENCHMARKS.md.
eval: setup
	$(CARGO) run --release -p vault-eval -- $(EVAL_ARGS)

# Regenerate ui/src/lib/bindings/ (TypeScript types of the IPC DTOs, from Rust via ts-rs);
# `make test` fails while the committed files are stale.
bindings: ui
	UPDATE_BINDINGS=1 $(CARGO) test -p receipt-vault --lib bindings

# The installable app: target/release/bundle/deb/Receipt Vault_<version>_<arch>.deb
# It depends on Tesseract and poppler-utils (OCR) and carries the licences of everything
# it is built from (/usr/share/doc/receipt-vault/).
package: ui
	python3 scripts/third-party-licenses.py
	ui/node_modules/.bin/tauri build --bundles deb

# Install the .deb with dpkg, start the installed app under Xvfb, remove it again.
test-package: package
	bash scripts/test-package.sh

// Package e2e holds twofold's black-box tests: they build the real binary
// (cmd/twofold), start it on a free loopback port with its own data directory
// (or a fresh PostgreSQL database), drive it with the CLI and with headless
// Chromium, and look at what a member sees.
//
// The package has no code outside its tests. Run it with the rest of the
// module (`go test -race -count=1 -timeout 60m ./...`, the README's test command); .ci/run
// installs what it needs (Chromium, axe-core, zbar-tools) and makes their
// absence a failure rather than a skip. Under -race the binary is built with
// -race as well, so a data race in the server fails the test that provoked
// it; only argon2, a pure function hashing into its own buffers, is left
// uninstrumented, which makes each password hash three times faster.
//
// Screenshots of every page a test passes through land in e2e/screenshots/
// (git-ignored), one folder per test, at desktop and phone widths.
//
// Environment:
//
//	CHROMIUM                   path of the browser (default /usr/bin/chromium)
//	TWOFOLD_REQUIRE_CHROMIUM=1 a missing browser fails instead of skipping
//	TWOFOLD_AXE                path of axe.min.js from the npm package axe-core
//	TWOFOLD_REQUIRE_AXE=1      a missing axe-core fails instead of skipping the check
//	TWOFOLD_REQUIRE_ZBAR=1     a missing zbarimg fails instead of skipping the QR check
//	TWOFOLD_TEST_POSTGRES      PostgreSQL URL; tests then also run on a fresh database
//	TWOFOLD_E2E_BINARY         a prebuilt binary to test, or "-" for none (harness work only)
package e2e

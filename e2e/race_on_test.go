//go:build race

package e2e

// raceEnabled reports whether the tests run under the race detector; the
// server is then built with -race as well.
const raceEnabled = true

package pow_test

import (
	"testing"
	"time"

	altcha "github.com/altcha-org/altcha-lib-go"

	"github.com/twofold-id/twofold/internal/pow"
)

// BenchmarkSolve solves challenges of the default difficulty the way a client
// does, trying numbers from 0 up, and reports solves and hashes per second.
// Go's SHA-256 is several times faster per hash than a browser's
// crypto.subtle.digest, whose every call is a promise; the browser test logs
// what a browser takes.
func BenchmarkSolve(b *testing.B) {
	s := &pow.Service{Key: pow.DeriveKey([]byte("bench")), Now: time.Now}
	hashes := 0
	for b.Loop() {
		c, err := s.Challenge("reset")
		if err != nil {
			b.Fatal(err)
		}
		sol, err := altcha.SolveChallenge(c.Challenge, c.Salt, altcha.SHA256, int(c.MaxNumber), 0, nil)
		if err != nil || sol == nil {
			b.Fatalf("no solution: %v", err)
		}
		hashes += sol.Number + 1
	}
	secs := b.Elapsed().Seconds()
	b.ReportMetric(float64(b.N)/secs, "solves/s")
	b.ReportMetric(float64(hashes)/secs, "hashes/s")
	b.ReportMetric(float64(hashes)/float64(b.N), "hashes/solve")
}

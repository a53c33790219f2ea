package httpx

import (
	"strings"
	"testing"
)

// Workers are allowed from our own origin by name: browsers that predate
// worker-src fall back to child-src and then default-src 'none', which would
// block the proof-of-work worker.
func TestCSPAllowsOwnWorkers(t *testing.T) {
	if !strings.Contains(CSP, "worker-src 'self';") {
		t.Errorf("CSP %q does not name worker-src 'self'", CSP)
	}
}

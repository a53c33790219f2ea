package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/pow"
	"github.com/twofold-id/twofold/internal/testkit"
)

// memOnce is a OnceStore in memory, enough for one request at a time.
type memOnce map[string]bool

func (m memOnce) ConsumeOnce(_ context.Context, key string, _ time.Time) (bool, error) {
	if m[key] {
		return false, nil
	}
	m[key] = true
	return true, nil
}

func (m memOnce) DeleteOnceBefore(context.Context, time.Time) (int, error) { return 0, nil }

var _ twofold.OnceStore = memOnce(nil)

func TestResetChallengeIsFreshSolvableAndUncached(t *testing.T) {
	now := time.Date(2030, 1, 7, 9, 0, 0, 0, time.UTC)
	svc := &pow.Service{Key: []byte("k"), Now: func() time.Time { return now }, Once: memOnce{}, MaxNumber: 1000}
	h := New(Deps{PoW: svc})
	get := func() *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/reset/challenge", nil))
		return w
	}
	w := get()
	if w.Code != http.StatusOK || w.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("GET challenge = %d, Cache-Control %q: %s", w.Code, w.Header().Get("Cache-Control"), w.Body)
	}
	var c pow.Challenge
	if err := json.Unmarshal(w.Body.Bytes(), &c); err != nil || c.Algorithm != "SHA-256" || c.MaxNumber != 1000 {
		t.Fatalf("challenge %s: %v", w.Body, err)
	}
	if again := get(); again.Body.String() == w.Body.String() {
		t.Error("two requests got the same challenge")
	}
	payload := testkit.SolvePoW(t, w.Body.Bytes())
	if err := svc.Verify(t.Context(), "reset", payload); err != nil {
		t.Errorf("the solved challenge is refused for reset: %v", err)
	}
}

func TestResetChallengeWithoutPoWIsNotFound(t *testing.T) {
	w := httptest.NewRecorder()
	New(Deps{}).ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/reset/challenge", nil))
	if w.Code != http.StatusNotFound {
		t.Errorf("GET challenge without PoW = %d, want 404", w.Code)
	}
}

package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/pow"
)

// noOnce accepts every key: these tests never verify a solution.
type noOnce struct{}

func (noOnce) ConsumeOnce(context.Context, string, time.Time) (bool, error) { return true, nil }
func (noOnce) DeleteOnceBefore(context.Context, time.Time) (int, error)     { return 0, nil }

func powHandler(t *testing.T, c Challenger) http.Handler {
	t.Helper()
	rec := &recorder{}
	h, err := New(Deps{Signin: newFakeSignin(rec), Sessions: fakeSessions{rec}, SecurityInfo: &fakeSecurityInfo{recorder: rec}, PoW: c})
	if err != nil {
		t.Fatal(err)
	}
	return httpx.RequestContext(nil, h)
}

func TestResetChallengeIsJSONAndUncached(t *testing.T) {
	svc := &pow.Service{Key: []byte("k"), Now: func() time.Time { return testNow }, Once: noOnce{}, MaxNumber: 1000}
	h := powHandler(t, svc)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/reset/challenge", nil))
	if w.Code != http.StatusOK || w.Header().Get("Cache-Control") != "no-store" ||
		!strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("GET /reset/challenge = %d %q %q", w.Code, w.Header().Get("Cache-Control"), w.Header().Get("Content-Type"))
	}
	var c pow.Challenge
	if err := json.Unmarshal(w.Body.Bytes(), &c); err != nil || c.Signature == "" || !strings.Contains(c.Salt, "purpose=reset") {
		t.Fatalf("challenge %s: %v", w.Body, err)
	}

	w = httptest.NewRecorder()
	powHandler(t, nil).ServeHTTP(w, httptest.NewRequest("GET", "/reset/challenge", nil))
	if w.Code != http.StatusNotFound {
		t.Errorf("without PoW: %d, want 404", w.Code)
	}
}

// The "pow" template gives a form what pow.js needs, and the scripts it names
// are served as JavaScript.
func TestPoWTemplate(t *testing.T) {
	a, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	p, err := parsePages(a)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := p.byName["signin"].ExecuteTemplate(&buf, "pow", nil); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		`<input type="hidden" name="proofOfWork" value="">`,
		`data-pow-status aria-live="polite"`,
		"<noscript>", "needs JavaScript", "help desk",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("pow template lacks %q:\n%s", want, out)
		}
	}
	m := regexp.MustCompile(`<script src="(/static/pow\.[0-9a-f]+\.js)" data-pow-worker="(/static/pow-worker\.[0-9a-f]+\.js)" defer>`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("pow template's script tag:\n%s", out)
	}
	h := powHandler(t, nil)
	for _, u := range m[1:] {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", u, nil))
		if w.Code != http.StatusOK || !strings.Contains(w.Header().Get("Content-Type"), "javascript") {
			t.Errorf("GET %s = %d %q", u, w.Code, w.Header().Get("Content-Type"))
		}
	}
}

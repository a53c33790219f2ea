package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twofold-id/twofold/internal/notify"
	"github.com/twofold-id/twofold/internal/notify/webhook"
)

var (
	secret = []byte("0123456789abcdef0123456789abcdef-gateway-secret")
	now    = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
)

const publicBase = "https://id.example.com"

// hmacHex is the test's own reading of the documented scheme.
func hmacHex(key []byte, t string, body []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(t + "." + string(body)))
	return hex.EncodeToString(m.Sum(nil))
}

// gateway is an operator gateway that verifies what twofold sends the way
// doc.go tells operators to, and answers as it is told.
type gateway struct {
	t   *testing.T
	srv *httptest.Server

	mu     sync.Mutex
	bodies []map[string]any
	status int    // 0 means 202
	answer string // response body
}

func newGateway(t *testing.T) *gateway {
	g := &gateway{t: t}
	g.srv = httptest.NewServer(http.HandlerFunc(g.serve))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *gateway) serve(w http.ResponseWriter, r *http.Request) {
	t := g.t
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("%s with Content-Type %q, want a JSON POST", r.Method, r.Header.Get("Content-Type"))
	}
	raw, _ := io.ReadAll(r.Body)
	header := r.Header.Get("Twofold-Signature")
	ts, v1, ok := strings.Cut(header, ",")
	ts, okT := strings.CutPrefix(ts, "t=")
	v1, okV := strings.CutPrefix(v1, "v1=")
	if !ok || !okT || !okV {
		t.Errorf("signature header %q", header)
	}
	if ts != strconv.FormatInt(now.Unix(), 10) {
		t.Errorf("signature time %s, want the injected clock %d", ts, now.Unix())
	}
	if want := hmacHex(secret, ts, raw); !hmac.Equal([]byte(v1), []byte(want)) {
		t.Errorf("signature %s does not verify (want %s)", v1, want)
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Errorf("body is not a JSON object: %v", err)
	}
	g.mu.Lock()
	g.bodies = append(g.bodies, body)
	status, answer := g.status, g.answer
	g.mu.Unlock()
	if status == 0 {
		status = http.StatusAccepted
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, answer)
}

func (g *gateway) only(t *testing.T) map[string]any {
	t.Helper()
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.bodies) != 1 {
		t.Fatalf("%d requests to the gateway, want 1", len(g.bodies))
	}
	return g.bodies[0]
}

func newClient(t *testing.T, gatewayURL string) *webhook.Client {
	t.Helper()
	c, err := webhook.New(webhook.Config{URL: gatewayURL, Secret: secret, PublicBaseURL: publicBase + "/",
		Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSendText(t *testing.T) {
	g := newGateway(t)
	g.answer = `{"ref":"gw-text-1"}`
	ref, err := newClient(t, g.srv.URL).SendText(context.Background(),
		notify.Text{OrgID: "o1", UserID: "u1", To: "+14255551234", Body: "Your code is 123456"})
	if err != nil {
		t.Fatal(err)
	}
	if ref != "gw-text-1" {
		t.Errorf("ref = %q, want the gateway's", ref)
	}
	body := g.only(t)
	if id, _ := body["id"].(string); len(id) != 32 {
		t.Errorf("id %v, want a fresh 128-bit hex ID", body["id"])
	}
	delete(body, "id")
	want := map[string]any{"type": "text", "to": "+14255551234", "body": "Your code is 123456", "orgId": "o1", "userId": "u1"}
	if !reflect.DeepEqual(body, want) {
		t.Errorf("body %v\nwant %v", body, want)
	}
}

func TestPlaceCall(t *testing.T) {
	g := newGateway(t)
	ref, err := newClient(t, g.srv.URL).PlaceCall(context.Background(), notify.Call{ChallengeID: "ch42", OrgID: "o1", UserID: "u1",
		To: "+14255551234", Prompt: "Please press the pound key to finish your verification.", Timeout: 44500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	body := g.only(t)
	if ref != body["id"] {
		t.Errorf("ref = %q, want the request id %v when the gateway gives no ref", ref, body["id"])
	}
	delete(body, "id")
	want := map[string]any{"type": "call", "to": "+14255551234",
		"prompt": "Please press the pound key to finish your verification.", "timeoutSeconds": 45.0,
		"callbackUrl": publicBase + "/hooks/webhook/calls/ch42", "challengeId": "ch42", "orgId": "o1", "userId": "u1"}
	if !reflect.DeepEqual(body, want) {
		t.Errorf("body %v\nwant %v", body, want)
	}
	if slices.Contains(slices.Collect(maps.Keys(body)), "body") {
		t.Error("a call carries a text body")
	}
}

func TestGatewayRefs(t *testing.T) {
	for _, tt := range []struct {
		answer  string
		fromGW  bool
		wantRef string
	}{
		{`{"ref":"abc-123"}`, true, "abc-123"},
		{``, false, ""},
		{`not json`, false, ""},
		{`{"ref":""}`, false, ""},
		{`{"ref":"` + strings.Repeat("x", 201) + `"}`, false, ""},
		{`{"ref":"a\nb"}`, false, ""},
	} {
		g := newGateway(t)
		g.answer = tt.answer
		ref, err := newClient(t, g.srv.URL).SendText(context.Background(), notify.Text{To: "+14255551234", Body: "1"})
		if err != nil {
			t.Fatal(err)
		}
		want := tt.wantRef
		if !tt.fromGW {
			want = g.only(t)["id"].(string)
		}
		if ref != want {
			t.Errorf("answer %q: ref %q, want %q", tt.answer, ref, want)
		}
	}
}

func TestGatewayFailures(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusBadGateway, http.StatusFound} {
		g := newGateway(t)
		g.status, g.answer = status, `{"error":"db password=hunter2"}`
		_, err := newClient(t, g.srv.URL).PlaceCall(context.Background(), notify.Call{ChallengeID: "c", To: "+1", Prompt: "p"})
		if err == nil || !strings.Contains(err.Error(), strconv.Itoa(status)) {
			t.Errorf("status %d: err = %v, want one naming the status", status, err)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("status %d: the gateway's body leaked into the error: %v", status, err)
		}
	}
}

func TestSignMatchesDocumentedScheme(t *testing.T) {
	body := []byte(`{"event":"keys","digits":"#"}`)
	at := time.Unix(1767225600, 0)
	want := "t=1767225600,v1=" + hmacHex(secret, "1767225600", body)
	if got := webhook.Sign(secret, at, body); got != want {
		t.Fatalf("Sign = %q, want %q", got, want)
	}
}

func TestNewValidates(t *testing.T) {
	_, err := webhook.New(webhook.Config{URL: "gateway.local/send", Secret: []byte("short"), PublicBaseURL: "https://id.example.com/?x=1"})
	if err == nil {
		t.Fatal("bad config accepted")
	}
	for _, w := range []string{"URL", "Secret", "PublicBaseURL"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not mention %s", err, w)
		}
	}
	c := newClient(t, "https://gw.example.com/send")
	var b strings.Builder
	slog.New(slog.NewJSONHandler(&b, nil)).Info("x", "cfg", webhook.Config{Secret: secret})
	if s := fmt.Sprintf("%v %+v", c, c) + b.String(); strings.Contains(s, string(secret)) {
		t.Errorf("secret printed or logged: %s", s)
	}
}

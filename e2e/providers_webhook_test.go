package e2e

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestWebhookProvider runs the real binary with TWOFOLD_DELIVERY=webhook
// against a local gateway that checks twofold's signature on every text and
// call (internal/notify/webhook/doc.go is the contract). The test plays the
// gateway's signed call report: "#" finishes the sign-in; a forged, stale or
// missing signature is refused and changes nothing.
func TestWebhookProvider(t *testing.T) {
	t.Parallel()
	secret := randomHex(20) // 40 characters
	gw := newFakeGateway(t, secret)
	s := startServer(t, serverOptions{Env: []string{
		"TWOFOLD_DELIVERY=webhook", "TWOFOLD_WEBHOOK_URL=" + gw.URL + "/send", "TWOFOLD_WEBHOOK_SECRET=" + secret,
	}})
	seedOrg(t, s)
	c := newAPIClient(t, s)
	const number = "+1 4255550150"
	m, _ := phoneMemberVia(t, s, c, "gabe", number, func(to string) string {
		text := gw.last(t, "text")
		if text.To != to || text.OrgID == "" || text.UserID == "" || text.ID == "" {
			t.Errorf("the gateway got the text %+v, want one to %s with id, orgId and userId", text, to)
		}
		return sixDigitCode.FindString(text.Body)
	})

	a := c.signIn(t, m)
	if a.Challenge == nil || a.Challenge.Channel != "voice" || a.SendError != nil {
		t.Fatalf("sign-in: %+v, want the call placed", a)
	}
	call := gw.last(t, "call")
	if call.To != e164(number) || call.ChallengeID == "" || call.CallbackURL != s.URL+"/hooks/webhook/calls/"+call.ChallengeID ||
		call.TimeoutSeconds <= 0 || !strings.Contains(call.Prompt, "press the pound key") {
		t.Fatalf("the gateway got the call %+v, want one to %s with a callback under %s/hooks/webhook/calls/", call, e164(number), s.URL)
	}

	// Refused reports change nothing.
	keys := []byte(`{"event":"keys","digits":"#","challengeId":"` + call.ChallengeID + `"}`)
	now := time.Now()
	for name, sig := range map[string]string{
		"forged":  webhookSignature("another-secret-of-forty-characters-long!", now, keys),
		"stale":   webhookSignature(secret, now.Add(-10*time.Minute), keys),
		"future":  webhookSignature(secret, now.Add(10*time.Minute), keys),
		"missing": "",
		"garbled": "t=" + strconv.FormatInt(now.Unix(), 10) + ",v1=zz",
	} {
		if r := gw.report(t, call.CallbackURL, keys, sig); r.Status != http.StatusUnauthorized && r.Status != http.StatusForbidden {
			t.Errorf("a report with a %s signature: %s, want 401 or 403", name, r)
		}
	}
	// A body signed right for another call's callback is refused too.
	if r := gw.report(t, s.URL+"/hooks/webhook/calls/"+randomHex(16), keys, webhookSignature(secret, now, keys)); r.Status != http.StatusBadRequest {
		t.Errorf("a report moved to another call: %s, want 400", r)
	}
	// So is a signed report that names no call: it could be replayed onto any call.
	anon := []byte(`{"event":"keys","digits":"#"}`)
	if r := gw.report(t, call.CallbackURL, anon, webhookSignature(secret, now, anon)); r.Status != http.StatusBadRequest {
		t.Errorf("a report without challengeId: %s, want 400", r)
	}
	if ch := c.challengeOf(t, a.FlowID); ch.State != "sent" {
		t.Errorf("after refused reports the challenge is %+v, want still sent", ch)
	}
	c.do("POST", "/signin/"+a.FlowID+"/call/complete", nil).apiErr(t, http.StatusConflict, "conflict", "")

	// The gateway's signed reports: answered, then #.
	answered := []byte(`{"event":"answered","challengeId":"` + call.ChallengeID + `"}`)
	for _, body := range [][]byte{answered, keys} {
		if r := gw.report(t, call.CallbackURL, body, webhookSignature(secret, time.Now(), body)); r.Status != http.StatusNoContent {
			t.Errorf("report %s: %s, want 204", body, r)
		}
	}
	if ch := c.challengeOf(t, a.FlowID); ch.State != "verified" {
		t.Errorf("after the signed # the challenge is %+v, want verified", ch)
	}
	tok := c.completeCall(t, a.FlowID)
	c.do("GET", "/me", nil, bearerToken(tok)).want(t, http.StatusOK)

	// A gateway that fails: the sign-in says why, and the flow is fine.
	gw.failNext()
	b := c.signIn(t, m)
	if b.Status != "mfa_required" || b.Challenge != nil || b.SendError == nil || b.SendError.Code != "unavailable" {
		t.Errorf("sign-in while the gateway fails: %+v (sendError %+v), want sendError unavailable", b, b.SendError)
	}
	tok = c.verify(t, b.FlowID, m.methodID, aheadCode(t, m.app))
	c.do("GET", "/me", nil, bearerToken(tok)).want(t, http.StatusOK)
	if strings.Contains(s.Logs(), secret) {
		t.Errorf("the server's logs contain the webhook secret")
	}
}

// webhookSignature is the Twofold-Signature header, written here from the
// contract: t=<unix seconds>,v1=hex(HMAC-SHA256(secret, "<t>.<body>")).
func webhookSignature(secret string, at time.Time, body []byte) string {
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// gatewayRequest is a text or call twofold posted to the gateway.
type gatewayRequest struct {
	ID             string `json:"id"`
	Type           string `json:"type"`
	To             string `json:"to"`
	Body           string `json:"body,omitempty"`
	Prompt         string `json:"prompt,omitempty"`
	TimeoutSeconds int    `json:"timeoutSeconds,omitempty"`
	CallbackURL    string `json:"callbackUrl,omitempty"`
	ChallengeID    string `json:"challengeId,omitempty"`
	OrgID          string `json:"orgId"`
	UserID         string `json:"userId"`
}

// fakeGateway is the operator's gateway: it checks each request's signature
// as the contract says (refusing bad ones with 401), and records it.
type fakeGateway struct {
	*httptest.Server
	secret string

	mu    sync.Mutex
	reqs  []gatewayRequest
	fails int
}

func newFakeGateway(t *testing.T, secret string) *fakeGateway {
	g := &fakeGateway{secret: secret}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		if !g.signed(r.Header.Get("Twofold-Signature"), body) {
			t.Errorf("fake gateway: a request with a bad signature %q", r.Header.Get("Twofold-Signature"))
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var req gatewayRequest
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if r.Method != "POST" || r.URL.Path != "/send" || r.Header.Get("Content-Type") != "application/json" || dec.Decode(&req) != nil {
			t.Errorf("fake gateway: not the contract's request: %s %s %s", r.Method, r.URL, body)
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		g.mu.Lock()
		defer g.mu.Unlock()
		if g.fails > 0 {
			g.fails--
			http.Error(w, "gateway down", http.StatusBadGateway)
			return
		}
		g.reqs = append(g.reqs, req)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"ref": "gw-" + req.ID})
	}))
	t.Cleanup(g.Close)
	return g
}

// signed checks a Twofold-Signature header against body.
func (g *fakeGateway) signed(header string, body []byte) bool {
	var ts string
	var sigs []string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || time.Since(time.Unix(sec, 0)).Abs() > 5*time.Minute {
		return false
	}
	mac := hmac.New(sha256.New, []byte(g.secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	want := mac.Sum(nil)
	for _, s := range sigs {
		if got, err := hex.DecodeString(s); err == nil && hmac.Equal(got, want) {
			return true
		}
	}
	return false
}

// last returns the newest request of type typ ("text" or "call").
func (g *fakeGateway) last(t *testing.T, typ string) gatewayRequest {
	t.Helper()
	g.mu.Lock()
	defer g.mu.Unlock()
	for i := len(g.reqs) - 1; i >= 0; i-- {
		if g.reqs[i].Type == typ {
			return g.reqs[i]
		}
	}
	t.Fatalf("the gateway got no %s", typ)
	return gatewayRequest{}
}

// failNext makes the gateway answer the next request with 502.
func (g *fakeGateway) failNext() {
	g.mu.Lock()
	g.fails++
	g.mu.Unlock()
}

// report posts a call report to twofold as the gateway.
func (g *fakeGateway) report(t *testing.T, callbackURL string, body []byte, signature string) *apiResp {
	t.Helper()
	req, err := http.NewRequest("POST", callbackURL, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if signature != "" {
		req.Header.Set("Twofold-Signature", signature)
	}
	return doRaw(t, req)
}

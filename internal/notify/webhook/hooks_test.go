package webhook_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
	"github.com/twofold-id/twofold/internal/notify/notifytest"
)

// signAt is the gateway's signature at time at, computed independently.
func signAt(key []byte, at time.Time, body string) string {
	t := strconv.FormatInt(at.Unix(), 10)
	return "t=" + t + ",v1=" + hmacHex(key, t, []byte(body))
}

func callback(t *testing.T, ev *notifytest.CallEvents, path, body, sig string) *httptest.ResponseRecorder {
	t.Helper()
	h := newClient(t, "https://gw.example.com/send").Handler(ev)
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if sig != "" {
		req.Header.Set("Twofold-Signature", sig)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

const cbPath = "/hooks/webhook/calls/ch42"

func TestCallbackEvents(t *testing.T) {
	tests := []struct {
		body string
		want notify.CallEvent
	}{
		{`{"challengeId":"ch42","event":"answered"}`, notify.CallEvent{Kind: notify.CallAnswered}},
		{`{"challengeId":"ch42","event":"keys","digits":"#"}`, notify.CallEvent{Kind: notify.CallKeys, Digits: "#"}},
		{`{"challengeId":"ch42","event":"keys","digits":"0#"}`, notify.CallEvent{Kind: notify.CallKeys, Digits: "0#"}},
		{`{"challengeId":"ch42","event":"keys","digits":"5"}`, notify.CallEvent{Kind: notify.CallKeys, Digits: "5"}},
		{`{"event":"keys","digits":"*1234#0","challengeId":"ch42"}`, notify.CallEvent{Kind: notify.CallKeys, Digits: "*1234#0"}},
		{`{"challengeId":"ch42","event":"no-answer"}`, notify.CallEvent{Kind: notify.CallNoAnswer}},
		{`{"challengeId":"ch42","event":"busy","digits":""}`, notify.CallEvent{Kind: notify.CallBusy}},
		{`{"challengeId":"ch42","event":"hung-up"}`, notify.CallEvent{Kind: notify.CallHungUp}},
		{`{"challengeId":"ch42","event":"failed"}`, notify.CallEvent{Kind: notify.CallFailed}},
		{` {"challengeId":"ch42","event":"completed"}` + "\n", notify.CallEvent{Kind: notify.CallCompleted}},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			ev := &notifytest.CallEvents{}
			rec := callback(t, ev, cbPath, tt.body, signAt(secret, now, tt.body))
			if rec.Code != http.StatusNoContent {
				t.Fatalf("status %d (%s), want 204", rec.Code, rec.Body)
			}
			tt.want.ChallengeID = "ch42"
			if got := ev.Events(); !reflect.DeepEqual(got, []notify.CallEvent{tt.want}) {
				t.Errorf("events %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestCallbackSignatureRefused(t *testing.T) {
	body := `{"event":"keys","digits":"#","challengeId":"ch42"}`
	v1 := hmacHex(secret, strconv.FormatInt(now.Unix(), 10), []byte(body))
	tests := []struct{ name, body, sig string }{
		{"missing", body, ""},
		{"forged", body, "t=" + strconv.FormatInt(now.Unix(), 10) + ",v1=" + strings.Repeat("ab", 32)},
		{"wrong secret", body, signAt([]byte("another-secret-that-is-32-bytes-long!!"), now, body)},
		{"stale", body, signAt(secret, now.Add(-6*time.Minute), body)},
		{"from the future", body, signAt(secret, now.Add(6*time.Minute), body)},
		{"tampered body", `{"event":"keys","digits":"0#"}`, signAt(secret, now, body)},
		{"timestamp changed", body, "t=" + strconv.FormatInt(now.Unix()+1, 10) + ",v1=" + v1},
		{"no timestamp", body, "v1=" + v1},
		{"no v1", body, "t=" + strconv.FormatInt(now.Unix(), 10)},
		{"two timestamps", body, "t=1,t=" + strconv.FormatInt(now.Unix(), 10) + ",v1=" + v1},
		{"timestamp not a number", body, "t=now,v1=" + v1},
		{"v1 not hex", body, "t=" + strconv.FormatInt(now.Unix(), 10) + ",v1=zz"},
		{"other scheme", body, "t=" + strconv.FormatInt(now.Unix(), 10) + ",v0=" + v1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := &notifytest.CallEvents{}
			if rec := callback(t, ev, cbPath, tt.body, tt.sig); rec.Code != http.StatusUnauthorized {
				t.Errorf("status %d, want 401", rec.Code)
			}
			if got := ev.Events(); len(got) != 0 {
				t.Errorf("refused callback reported %+v", got)
			}
		})
	}
}

func TestCallbackSignatureAccepted(t *testing.T) {
	body := `{"event":"answered","challengeId":"ch42"}`
	for name, sig := range map[string]string{
		"4 minutes old":    signAt(secret, now.Add(-4*time.Minute), body),
		"4 minutes ahead":  signAt(secret, now.Add(4*time.Minute), body),
		"rotating secrets": signAt(secret, now, body) + ",v1=" + hmacHex([]byte("old-secret"), strconv.FormatInt(now.Unix(), 10), []byte(body)),
		"old secret first": "t=" + strconv.FormatInt(now.Unix(), 10) + ",v1=" + strings.Repeat("00", 32) + ",v1=" + hmacHex(secret, strconv.FormatInt(now.Unix(), 10), []byte(body)),
	} {
		if rec := callback(t, &notifytest.CallEvents{}, cbPath, body, sig); rec.Code != http.StatusNoContent {
			t.Errorf("%s: status %d, want 204", name, rec.Code)
		}
	}
}

func TestCallbackMalformed(t *testing.T) {
	for _, body := range []string{
		``,
		`not json`,
		`null`,
		`[]`,
		`"answered"`,
		`{"event":"answered"`,
		`{"event":"answered","extra":1}`,
		`{"event":"answered"}{"event":"keys","digits":"#"}`,
		`{"event":"ringing"}`,
		`{"event":""}`,
		`{}`,
		`{"event":"keys"}`,
		`{"event":"keys","digits":""}`,
		`{"event":"keys","digits":"123456789"}`,
		`{"event":"keys","digits":"a"}`,
		`{"event":"keys","digits":"1 2"}`,
		`{"event":"keys","digits":5}`,
		`{"event":"answered","digits":"#"}`,
		`{"event":"keys","digits":"#","challengeId":"ch43"}`,
		`{"event":"keys","digits":"#"}`, // no challengeId: a report must name its call
		`{"event":"keys","digits":"#","challengeId":""}`,
		`{"event":"answered","challengeId":"ch42","challengeId":"ch43"}`,
	} {
		ev := &notifytest.CallEvents{}
		rec := callback(t, ev, cbPath, body, signAt(secret, now, body))
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", body, rec.Code)
		}
		if got := ev.Events(); len(got) != 0 {
			t.Errorf("%s: reported %+v", body, got)
		}
	}
}

func TestCallbackReplayedOnAnotherCall(t *testing.T) {
	// A signed report naming ch42, replayed within the time window to ch43's URL.
	body := `{"event":"keys","digits":"#","challengeId":"ch42"}`
	ev := &notifytest.CallEvents{}
	if rec := callback(t, ev, "/hooks/webhook/calls/ch43", body, signAt(secret, now, body)); rec.Code != http.StatusBadRequest {
		t.Errorf("status %d, want 400", rec.Code)
	}
	if len(ev.Events()) != 0 {
		t.Errorf("reported %+v", ev.Events())
	}
}

func TestCallbackEventErrors(t *testing.T) {
	body := `{"event":"keys","digits":"#","challengeId":"ch42"}`
	for _, tt := range []struct {
		err  error
		code int
	}{
		{twofold.Errorf(twofold.ENOTFOUND, "no such challenge"), http.StatusNotFound},
		{errors.New("store: db password=hunter2 unreachable"), http.StatusInternalServerError},
	} {
		rec := callback(t, &notifytest.CallEvents{Err: tt.err}, cbPath, body, signAt(secret, now, body))
		if rec.Code != tt.code {
			t.Errorf("%v: status %d, want %d", tt.err, rec.Code, tt.code)
		}
		if strings.Contains(rec.Body.String(), "hunter2") || strings.Contains(rec.Body.String(), "no such challenge") {
			t.Errorf("error text in the response: %q", rec.Body)
		}
	}
}

func TestCallbackLimits(t *testing.T) {
	ev := &notifytest.CallEvents{}
	big := `{"event":"answered","pad":"` + strings.Repeat("x", 70<<10) + `"}`
	if rec := callback(t, ev, cbPath, big, signAt(secret, now, big)); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: status %d, want 413", rec.Code)
	}
	h := newClient(t, "https://gw.example.com/send").Handler(ev)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, cbPath, nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d, want 405", rec.Code)
	}
	if len(ev.Events()) != 0 {
		t.Errorf("reported %+v", ev.Events())
	}
}

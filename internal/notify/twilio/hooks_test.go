package twilio_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
	"github.com/twofold-id/twofold/internal/notify/notifytest"
)

// sign is the test's own implementation of Twilio's documented scheme, checked
// against Twilio's published example below, so the handler is not only tested
// against itself.
func sign(token, fullURL string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := fullURL
	for _, k := range keys {
		for _, v := range form[k] {
			s += k + v
		}
	}
	mac := hmac.New(sha1.New, []byte(token))
	mac.Write([]byte(s))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func TestTestSignerMatchesTwilioExample(t *testing.T) {
	form := url.Values{"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+14158675309"}, "Digits": {"1234"},
		"From": {"+14158675309"}, "To": {"+18005551212"}}
	if got := sign("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", form); got != "RSOYDt4T1cUTdK1PDd93/VVr8B8=" {
		t.Fatalf("test signer gives %q", got)
	}
}

// callbackForm is what Twilio posts to a Gather action or status callback.
func callbackForm(extra ...string) url.Values {
	f := url.Values{"AccountSid": {testSID}, "CallSid": {"CAabcdef0123456789abcdef0123456789"},
		"From": {testFrom}, "To": {"+14255551234"}, "Direction": {"outbound-api"}, "ApiVersion": {"2010-04-01"}}
	for i := 0; i+1 < len(extra); i += 2 {
		f.Set(extra[i], extra[i+1])
	}
	return f
}

// post sends form to pathQuery on h as Twilio would, with signature sig; host is
// the Host header, which must not matter.
func post(h http.Handler, pathQuery string, form url.Values, sig, host string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, pathQuery, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
	req.Host = host
	if sig != "" {
		req.Header.Set("X-Twilio-Signature", sig)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// postSigned posts form signed correctly for the public URL of pathQuery, arriving
// on an internal host as it would behind a proxy.
func postSigned(h http.Handler, pathQuery string, form url.Values) *httptest.ResponseRecorder {
	return post(h, pathQuery, form, sign(testToken, publicBase+pathQuery, form), "10.0.0.7:8080")
}

func newHandler(t *testing.T) (http.Handler, *notifytest.CallEvents) {
	ev := &notifytest.CallEvents{}
	return newClient(t, "https://api.twilio.invalid", nil).Handler(ev), ev
}

func twimlAnswer(t *testing.T, rec *httptest.ResponseRecorder) twimlDoc {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, body %q", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/xml") {
		t.Fatalf("Content-Type %q, want text/xml", ct)
	}
	return parseTwiml(t, rec.Body.String())
}

func TestKeys(t *testing.T) {
	const keysPath = "/hooks/twilio/calls/ch42/keys"
	tests := []struct {
		name   string
		path   string
		digits string
		event  *notify.CallEvent
		says   string // part of what the answer says before hanging up
	}{
		{"pound verifies", keysPath, "#", &notify.CallEvent{ChallengeID: "ch42", Kind: notify.CallKeys, Digits: "#"}, "verification is complete"},
		{"wrong key", keysPath, "5", &notify.CallEvent{ChallengeID: "ch42", Kind: notify.CallKeys, Digits: "5"}, "That wasn't the pound key"},
		{"star is a wrong key", keysPath, "*", &notify.CallEvent{ChallengeID: "ch42", Kind: notify.CallKeys, Digits: "*"}, "That wasn't the pound key"},
		{"zero then pound reports fraud", keysPath + "?first=0", "#", &notify.CallEvent{ChallengeID: "ch42", Kind: notify.CallKeys, Digits: "0#"}, "reported this call as fraud"},
		{"zero then another key", keysPath + "?first=0", "7", &notify.CallEvent{ChallengeID: "ch42", Kind: notify.CallKeys, Digits: "07"}, "That wasn't the pound key"},
		{"zero then zero", keysPath + "?first=0", "0", &notify.CallEvent{ChallengeID: "ch42", Kind: notify.CallKeys, Digits: "00"}, "That wasn't the pound key"},
		{"no key", keysPath, "", nil, ""},
		{"more than one key", keysPath, "12", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, ev := newHandler(t)
			doc := twimlAnswer(t, postSigned(h, tt.path, callbackForm("Digits", tt.digits)))
			var want []notify.CallEvent
			if tt.event != nil {
				want = []notify.CallEvent{*tt.event}
			}
			if got := ev.Events(); !reflect.DeepEqual(got, want) {
				t.Errorf("events %+v, want %+v", got, want)
			}
			if !doc.HangsUp || doc.Gather != nil {
				t.Errorf("answer does not simply hang up: %+v", doc)
			}
			if tt.says != "" && (len(doc.Says) != 1 || !strings.Contains(doc.Says[0], tt.says)) {
				t.Errorf("answer says %q, want %q", doc.Says, tt.says)
			}
		})
	}
}

func TestKeysZeroAsksForSecondKey(t *testing.T) {
	h, ev := newHandler(t)
	doc := twimlAnswer(t, postSigned(h, "/hooks/twilio/calls/ch42/keys", callbackForm("Digits", "0")))
	if len(ev.Events()) != 0 {
		t.Fatalf("a first 0 was reported: %+v", ev.Events())
	}
	if doc.Gather == nil {
		t.Fatal("no second Gather after 0")
	}
	action := doc.Gather.attrs["action"]
	if action != publicBase+"/hooks/twilio/calls/ch42/keys?first=0" {
		t.Fatalf("second Gather action %q", action)
	}
	if doc.Gather.attrs["numDigits"] != "1" || doc.Gather.attrs["finishOnKey"] != "" {
		t.Errorf("second Gather %v, want one key and no finish key", doc.Gather.attrs)
	}
	if _, ok := doc.Gather.attrs["finishOnKey"]; !ok {
		t.Error(`second Gather lacks finishOnKey="" and would swallow "#"`)
	}
	// Twilio now posts the second key to that action, signed for that URL.
	pathQuery := strings.TrimPrefix(action, publicBase)
	twimlAnswer(t, postSigned(h, pathQuery, callbackForm("Digits", "#")))
	want := []notify.CallEvent{{ChallengeID: "ch42", Kind: notify.CallKeys, Digits: "0#"}}
	if got := ev.Events(); !reflect.DeepEqual(got, want) {
		t.Errorf("events %+v, want %+v", got, want)
	}
}

func TestStatus(t *testing.T) {
	tests := []struct {
		status string
		kind   notify.CallEventKind // "" for none
	}{
		{"in-progress", notify.CallAnswered},
		{"completed", notify.CallCompleted},
		{"busy", notify.CallBusy},
		{"no-answer", notify.CallNoAnswer},
		{"failed", notify.CallFailed},
		{"canceled", notify.CallFailed},
		{"queued", ""},
		{"initiated", ""},
		{"ringing", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.status, func(t *testing.T) {
			h, ev := newHandler(t)
			form := callbackForm("CallStatus", tt.status, "CallbackSource", "call-progress-events", "SequenceNumber", "1")
			rec := postSigned(h, "/hooks/twilio/calls/ch42/status", form)
			if rec.Code != http.StatusNoContent {
				t.Fatalf("status %d, want 204", rec.Code)
			}
			var want []notify.CallEvent
			if tt.kind != "" {
				want = []notify.CallEvent{{ChallengeID: "ch42", Kind: tt.kind}}
			}
			if got := ev.Events(); !reflect.DeepEqual(got, want) {
				t.Errorf("events %+v, want %+v", got, want)
			}
		})
	}
}

func TestForgedCallbacksRefused(t *testing.T) {
	const keys = "/hooks/twilio/calls/ch42/keys"
	const status = "/hooks/twilio/calls/ch42/status"
	pound := callbackForm("Digits", "#")
	tests := []struct {
		name, path string
		form       url.Values
		sig, host  string
	}{
		{"missing signature", keys, pound, "", "id.example.com"},
		{"forged signature", keys, pound, "bm90IGEgc2lnbmF0dXJlIGF0IGFsbA==", "id.example.com"},
		{"wrong token", keys, pound, sign("another-token", publicBase+keys, pound), "id.example.com"},
		// An attacker pointing Host at their own name signs for that name; the
		// handler checks against PublicBaseURL, so the spoofed Host does not help.
		{"signed for the Host header", keys, pound, sign(testToken, "https://evil.example"+keys, pound), "evil.example"},
		{"signed for plain http", keys, pound, sign(testToken, "http://id.example.com"+keys, pound), "id.example.com"},
		{"tampered digit", keys, pound, sign(testToken, publicBase+keys, callbackForm("Digits", "5")), "id.example.com"},
		{"tampered query", keys + "?first=0", pound, sign(testToken, publicBase+keys, pound), "id.example.com"},
		{"other challenge", "/hooks/twilio/calls/ch43/keys", pound, sign(testToken, publicBase+keys, pound), "id.example.com"},
		{"tampered status", status, callbackForm("CallStatus", "in-progress"),
			sign(testToken, publicBase+status, callbackForm("CallStatus", "ringing")), "id.example.com"},
		{"status without signature", status, callbackForm("CallStatus", "completed"), "", "id.example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, ev := newHandler(t)
			rec := post(h, tt.path, tt.form, tt.sig, tt.host)
			if rec.Code != http.StatusForbidden {
				t.Errorf("status %d, want 403", rec.Code)
			}
			if got := ev.Events(); len(got) != 0 {
				t.Errorf("forged callback reported %+v", got)
			}
		})
	}
}

func TestCallbackEventErrors(t *testing.T) {
	secret := errors.New("store: db password=hunter2 unreachable")
	for _, tt := range []struct {
		name string
		err  error
		code int
	}{
		{"unknown challenge", twofold.Errorf(twofold.ENOTFOUND, "no such challenge"), http.StatusNotFound},
		{"internal failure", secret, http.StatusInternalServerError},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h, ev := newHandler(t)
			ev.Err = tt.err
			for _, rec := range []*httptest.ResponseRecorder{
				postSigned(h, "/hooks/twilio/calls/ch42/keys", callbackForm("Digits", "#")),
				postSigned(h, "/hooks/twilio/calls/ch42/status", callbackForm("CallStatus", "completed")),
			} {
				if rec.Code != tt.code {
					t.Errorf("status %d, want %d", rec.Code, tt.code)
				}
				if strings.Contains(rec.Body.String(), "hunter2") || strings.Contains(rec.Body.String(), "no such challenge") {
					t.Errorf("internal error text in the response: %q", rec.Body)
				}
			}
		})
	}
}

func TestCallbackLimits(t *testing.T) {
	h, ev := newHandler(t)
	big := callbackForm("Digits", "#", "Padding", strings.Repeat("x", 70<<10))
	if rec := postSigned(h, "/hooks/twilio/calls/ch42/keys", big); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: status %d, want 413", rec.Code)
	}
	req := httptest.NewRequest(http.MethodGet, "/hooks/twilio/calls/ch42/keys?Digits=%23", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d, want 405", rec.Code)
	}
	if len(ev.Events()) != 0 {
		t.Errorf("events %+v", ev.Events())
	}
}

package twilio_test

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twofold-id/twofold/internal/notify"
	"github.com/twofold-id/twofold/internal/notify/twilio"
)

const (
	testSID    = "AC0123456789abcdef0123456789abcdef"
	testToken  = "tok-9f8e7d6c5b4a39281706f5e4d3c2b1a0"
	testMGSID  = "MG0123456789abcdef0123456789abcdef"
	testFrom   = "+14255550100"
	publicBase = "https://id.example.com"
)

// fakeTwilio plays Twilio's REST API: it checks each request the way Twilio
// documents it and answers like Twilio, or with the error it is told to give.
type fakeTwilio struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	requests []fakeRequest
	status   int    // answer status; 0 means 201
	answer   string // answer body; "" means a created resource
}

type fakeRequest struct {
	resource string // "Messages.json" or "Calls.json"
	form     url.Values
}

// callUpdate is the resource of one call, which an update (a hang-up) POSTs to.
var callUpdate = regexp.MustCompile(`^Calls/CA[0-9a-f]{32}\.json$`)

func newFakeTwilio(t *testing.T) *fakeTwilio {
	f := &fakeTwilio{t: t}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeTwilio) serve(w http.ResponseWriter, r *http.Request) {
	t := f.t
	prefix := "/2010-04-01/Accounts/" + testSID + "/"
	resource, ok := strings.CutPrefix(r.URL.Path, prefix)
	switch {
	case r.Method != http.MethodPost:
		t.Errorf("method %s, want POST", r.Method)
	case !ok || (resource != "Messages.json" && resource != "Calls.json" && !callUpdate.MatchString(resource)):
		t.Errorf("path %s, want %s{Messages,Calls,Calls/<sid>}.json", r.URL.Path, prefix)
	case r.Header.Get("Content-Type") != "application/x-www-form-urlencoded":
		t.Errorf("Content-Type %q", r.Header.Get("Content-Type"))
	}
	if user, pass, ok := r.BasicAuth(); !ok || user != testSID || pass != testToken {
		t.Errorf("basic auth %q:%q (%v), want the account SID and token", user, pass, ok)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if err := r.ParseForm(); err != nil {
		t.Errorf("form: %v", err)
	}
	f.mu.Lock()
	f.requests = append(f.requests, fakeRequest{resource: resource, form: r.PostForm})
	status, answer := f.status, f.answer
	f.mu.Unlock()
	if status == 0 {
		status = http.StatusCreated
		prefix := "SM"
		if strings.HasPrefix(resource, "Calls") {
			prefix = "CA"
		}
		answer = fmt.Sprintf(`{"account_sid":%q,"sid":"%sabcdef0123456789abcdef0123456789","status":"queued","to":%q}`,
			testSID, prefix, r.PostForm.Get("To"))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, answer)
}

func (f *fakeTwilio) only(t *testing.T) fakeRequest {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.requests) != 1 {
		t.Fatalf("%d requests to Twilio, want 1", len(f.requests))
	}
	return f.requests[0]
}

func newClient(t *testing.T, apiBase string, edit func(*twilio.Config)) *twilio.Client {
	t.Helper()
	cfg := twilio.Config{AccountSID: testSID, AuthToken: testToken, From: testFrom,
		APIBase: apiBase, PublicBaseURL: publicBase}
	if edit != nil {
		edit(&cfg)
	}
	c, err := twilio.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSendText(t *testing.T) {
	f := newFakeTwilio(t)
	c := newClient(t, f.srv.URL, nil)
	ref, err := c.SendText(context.Background(), notify.Text{To: "+14255551234", Body: "Your code is 123456"})
	if err != nil {
		t.Fatal(err)
	}
	if ref != "SMabcdef0123456789abcdef0123456789" {
		t.Errorf("ref = %q, want the message sid", ref)
	}
	req := f.only(t)
	if req.resource != "Messages.json" {
		t.Fatalf("resource %s", req.resource)
	}
	want := url.Values{"To": {"+14255551234"}, "Body": {"Your code is 123456"}, "From": {testFrom}}
	if !equalForms(req.form, want) {
		t.Errorf("form %v, want %v", req.form, want)
	}
}

func TestSendTextWithMessagingService(t *testing.T) {
	f := newFakeTwilio(t)
	c := newClient(t, f.srv.URL, func(c *twilio.Config) { c.MessagingServiceSID = testMGSID })
	if _, err := c.SendText(context.Background(), notify.Text{To: "+14255551234", Body: "123456"}); err != nil {
		t.Fatal(err)
	}
	want := url.Values{"To": {"+14255551234"}, "Body": {"123456"}, "MessagingServiceSid": {testMGSID}}
	if got := f.only(t).form; !equalForms(got, want) {
		t.Errorf("form %v, want %v (From must give way to the service)", got, want)
	}
}

func TestPlaceCall(t *testing.T) {
	f := newFakeTwilio(t)
	c := newClient(t, f.srv.URL+"/", nil) // a trailing slash in the base is tolerated
	prompt := `Please press the pound key to finish your verification. <Say>&"'`
	ref, err := c.PlaceCall(context.Background(), notify.Call{ChallengeID: "ch42", To: "+14255551234",
		Prompt: prompt, Timeout: 45 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if ref != "CAabcdef0123456789abcdef0123456789" {
		t.Errorf("ref = %q, want the call sid", ref)
	}
	req := f.only(t)
	if req.resource != "Calls.json" {
		t.Fatalf("resource %s", req.resource)
	}
	form := req.form
	for k, want := range map[string]string{
		"To": "+14255551234", "From": testFrom, "Timeout": "45",
		"StatusCallback":       publicBase + "/hooks/twilio/calls/ch42/status",
		"StatusCallbackMethod": "POST",
	} {
		if got := form[k]; len(got) != 1 || got[0] != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if got := form["StatusCallbackEvent"]; !slices.Equal(sorted(got), []string{"answered", "completed"}) {
		t.Errorf("StatusCallbackEvent = %q, want answered and completed", got)
	}
	doc := parseTwiml(t, form.Get("Twiml"))
	g := doc.Gather
	if g == nil {
		t.Fatalf("Twiml has no Gather: %s", form.Get("Twiml"))
	}
	for attr, want := range map[string]string{
		"input": "dtmf", "numDigits": "1", "finishOnKey": "", "timeout": "10", "method": "POST",
		"action": publicBase + "/hooks/twilio/calls/ch42/keys",
	} {
		got, present := g.attrs[attr]
		if !present || got != want {
			t.Errorf("Gather %s = %q (present %v), want %q", attr, got, present, want)
		}
	}
	if g.say != prompt {
		t.Errorf("Gather says %q, want the prompt %q", g.say, prompt)
	}
	if !doc.HangsUp || doc.After == "" {
		t.Errorf("no goodbye and hang-up after the Gather: %s", form.Get("Twiml"))
	}
}

func TestPlaceCallRingTime(t *testing.T) {
	for _, tt := range []struct {
		timeout time.Duration
		want    string
	}{{0, "60"}, {2 * time.Second, "5"}, {90 * time.Second, "90"}, {30 * time.Minute, "600"}} {
		f := newFakeTwilio(t)
		c := newClient(t, f.srv.URL, nil)
		if _, err := c.PlaceCall(context.Background(), notify.Call{ChallengeID: "c", To: "+14255551234", Prompt: "Press #.", Timeout: tt.timeout}); err != nil {
			t.Fatal(err)
		}
		if got := f.only(t).form.Get("Timeout"); got != tt.want {
			t.Errorf("Timeout for %v = %s, want %s", tt.timeout, got, tt.want)
		}
	}
}

func TestTwilioErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		answer string
		code   int
		want   []string
	}{
		{"invalid To", http.StatusBadRequest,
			`{"code": 21211, "message": "Invalid 'To' Phone Number: +1555", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}`,
			21211, []string{"21211", "Invalid 'To' Phone Number", "400"}},
		{"auth failed", http.StatusUnauthorized,
			`{"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}`,
			20003, []string{"20003", "401"}},
		{"not JSON", http.StatusBadGateway, "<html>bad gateway</html>", 0, []string{"502"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeTwilio(t)
			f.status, f.answer = tt.status, tt.answer
			c := newClient(t, f.srv.URL, nil)
			for name, send := range map[string]func() error{
				"text": func() error {
					_, err := c.SendText(context.Background(), notify.Text{To: "+1555", Body: "123456"})
					return err
				},
				"call": func() error {
					_, err := c.PlaceCall(context.Background(), notify.Call{ChallengeID: "c", To: "+1555", Prompt: "Press #."})
					return err
				},
			} {
				err := send()
				if err == nil {
					t.Fatalf("%s: no error", name)
				}
				for _, w := range tt.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("%s: error %q lacks %q", name, err, w)
					}
				}
				if strings.Contains(err.Error(), testToken) {
					t.Errorf("%s: error reveals the auth token: %q", name, err)
				}
				var apiErr *twilio.APIError
				if !errors.As(err, &apiErr) || apiErr.Code != tt.code || apiErr.Status != tt.status {
					t.Errorf("%s: error %#v, want *APIError code %d status %d", name, apiErr, tt.code, tt.status)
				}
			}
		})
	}
}

func TestUnreachableTwilio(t *testing.T) {
	f := newFakeTwilio(t)
	f.srv.Close()
	c := newClient(t, f.srv.URL, nil)
	_, err := c.SendText(context.Background(), notify.Text{To: "+14255551234", Body: "1"})
	if err == nil || strings.Contains(err.Error(), testToken) {
		t.Fatalf("err = %v, want an error without the token", err)
	}
}

func TestNewValidates(t *testing.T) {
	_, err := twilio.New(twilio.Config{AccountSID: "SK123", AuthToken: "", From: "4255550100",
		MessagingServiceSID: "XX", APIBase: "ftp://x", PublicBaseURL: "id.example.com"})
	if err == nil {
		t.Fatal("bad config accepted")
	}
	for _, w := range []string{"AccountSID", "AuthToken", "From", "MessagingServiceSID", "APIBase", "PublicBaseURL"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not mention %s", err, w)
		}
	}
	c, err := twilio.New(twilio.Config{AccountSID: testSID, AuthToken: testToken, From: testFrom, PublicBaseURL: publicBase + "/"})
	if err != nil {
		t.Fatalf("minimal config refused: %v", err)
	}
	if strings.Contains(fmt.Sprintf("%v %+v", c, c), testToken) {
		t.Error("printing a Client reveals the token")
	}
}

func TestConfigLogsRedacted(t *testing.T) {
	var b strings.Builder
	log := slog.New(slog.NewJSONHandler(&b, nil))
	log.Info("config", "twilio", twilio.Config{AccountSID: testSID, AuthToken: testToken})
	if strings.Contains(b.String(), testToken) || !strings.Contains(b.String(), "REDACTED") {
		t.Errorf("logged %s", b.String())
	}
}

func equalForms(a, b url.Values) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// twimlDoc is what the tests need to know of a TwiML document, read with the
// XML tokenizer so that an attribute's absence differs from its emptiness.
type twimlDoc struct {
	Gather  *gatherElem
	Says    []string // <Say> texts outside any Gather, in order
	After   string   // the first of them after the Gather
	HangsUp bool
}

type gatherElem struct {
	attrs map[string]string
	say   string
}

func parseTwiml(t *testing.T, s string) twimlDoc {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(s))
	var doc twimlDoc
	var stack []string
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("TwiML does not parse: %v\n%s", err, s)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 && tok.Name.Local != "Response" {
				t.Fatalf("root element %s, want Response", tok.Name.Local)
			}
			stack = append(stack, tok.Name.Local)
			text.Reset()
			switch tok.Name.Local {
			case "Gather":
				doc.Gather = &gatherElem{attrs: map[string]string{}}
				for _, a := range tok.Attr {
					doc.Gather.attrs[a.Name.Local] = a.Value
				}
			case "Hangup":
				doc.HangsUp = true
			}
		case xml.CharData:
			text.Write(tok)
		case xml.EndElement:
			if tok.Name.Local == "Say" {
				if len(stack) >= 2 && stack[len(stack)-2] == "Gather" {
					doc.Gather.say = text.String()
				} else {
					doc.Says = append(doc.Says, text.String())
					if doc.Gather != nil && doc.After == "" {
						doc.After = text.String()
					}
				}
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) != 0 {
		t.Fatalf("unbalanced TwiML: %s", s)
	}
	return doc
}

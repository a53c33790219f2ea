package e2e

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
)

// TestTwilioProvider runs the real binary with TWOFOLD_DELIVERY=twilio against
// a local stand-in for Twilio's REST API: texts go out through the
// Messages API, calls through the Calls API with a <Gather> for the # key, and
// the test then plays Twilio's signed webhooks. A forged signature changes
// nothing; a no-answer status fails the call.
func TestTwilioProvider(t *testing.T) {
	t.Parallel()
	sid, token := "AC"+randomHex(16), randomHex(16)
	fake := newFakeTwilio(t, sid, token)
	const from = "+14255550100"
	s := startServer(t, serverOptions{Env: []string{
		"TWOFOLD_DELIVERY=twilio", "TWOFOLD_TWILIO_ACCOUNT_SID=" + sid, "TWOFOLD_TWILIO_AUTH_TOKEN=" + token,
		"TWOFOLD_TWILIO_FROM=" + from, "TWOFOLD_TWILIO_API_URL=" + fake.URL,
	}})
	seedOrg(t, s)
	c := newAPIClient(t, s)
	req, _ := http.NewRequest("GET", s.URL+"/dev/outbox/messages", nil)
	if r := doRaw(t, req); r.Status != http.StatusNotFound {
		t.Errorf("with twilio the dev outbox answers %s, want 404", r)
	}

	// A mobile added by text: the code arrives in the Messages API request.
	const number = "+1 4255550140"
	m, _ := phoneMemberVia(t, s, c, "tia", number, func(to string) string { return fake.textCode(t, to) })
	msg := fake.last(t, "Messages.json")
	if msg.Form.Get("From") != from || msg.Form.Get("To") != e164(number) {
		t.Errorf("the text was sent From %q To %q, want %s and %s", msg.Form.Get("From"), msg.Form.Get("To"), from, e164(number))
	}

	// Sign-in with the call default: the Calls API request.
	a := c.signIn(t, m)
	if a.Challenge == nil || a.Challenge.Channel != "voice" || a.SendError != nil {
		t.Fatalf("sign-in: %+v, want the call placed", a)
	}
	call := fake.last(t, "Calls.json")
	keysURL, statusURL := fake.checkCall(t, call, s.URL, e164(number), from)

	// Forged or missing signatures: 403, and nothing changes.
	forms := url.Values{"CallSid": {call.SID}, "AccountSid": {sid}, "From": {from}, "To": {e164(number)},
		"CallStatus": {"in-progress"}, "Direction": {"outbound-api"}, "Digits": {"#"}}
	for name, sig := range map[string]string{
		"forged":  twilioSignature("not-the-token", keysURL, forms),
		"missing": "",
		"other":   twilioSignature(token, keysURL+"?first=0", forms),
	} {
		if r := postForm(t, keysURL, forms, sig); r.Status != http.StatusForbidden {
			t.Errorf("keys with a %s signature: %s, want 403", name, r)
		}
	}
	if ch := c.challengeOf(t, a.FlowID); ch.State != "sent" {
		t.Errorf("after forged webhooks the challenge is %+v, want still sent", ch)
	}

	// Twilio reports the answer, then the # key.
	status := url.Values{"CallSid": {call.SID}, "AccountSid": {sid}, "CallStatus": {"in-progress"}, "To": {e164(number)}}
	if r := postForm(t, statusURL, status, twilioSignature(token, statusURL, status)); r.Status != http.StatusNoContent {
		t.Errorf("status in-progress: %s, want 204", r)
	}
	if ch := c.challengeOf(t, a.FlowID); ch.State != "answered" {
		t.Errorf("after in-progress: %+v, want answered", ch)
	}
	r := postForm(t, keysURL, forms, twilioSignature(token, keysURL, forms))
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/xml") || !strings.Contains(string(r.Body), "<Hangup") {
		t.Errorf("keys #: %s, want 200 TwiML that hangs up", r)
	}
	status.Set("CallStatus", "completed")
	if r := postForm(t, statusURL, status, twilioSignature(token, statusURL, status)); r.Status != http.StatusNoContent {
		t.Errorf("status completed: %s, want 204", r)
	}
	if ch := c.challengeOf(t, a.FlowID); ch.State != "verified" {
		t.Errorf("after # and completed: %+v, want verified", ch)
	}
	tok := c.completeCall(t, a.FlowID)
	c.do("GET", "/me", nil, bearerToken(tok)).want(t, http.StatusOK)

	// Another sign-in: Twilio reports no answer.
	a = c.signIn(t, m)
	call = fake.last(t, "Calls.json")
	_, statusURL = fake.checkCall(t, call, s.URL, e164(number), from)
	status = url.Values{"CallSid": {call.SID}, "AccountSid": {sid}, "CallStatus": {"no-answer"}, "To": {e164(number)}}
	if r := postForm(t, statusURL, status, twilioSignature(token, statusURL, status)); r.Status != http.StatusNoContent {
		t.Errorf("status no-answer: %s, want 204", r)
	}
	if ch := c.challengeOf(t, a.FlowID); ch.State != "failed" || ch.Reason != "You didn't answer the call." {
		t.Errorf("after no-answer: %+v, want failed", ch)
	}
	c.do("POST", "/signin/"+a.FlowID+"/call/complete", nil).apiErr(t, http.StatusGone, "expired", "")
	wantAudit(t, auditLog(t, s), m.Username, "Phone verification", "failure", "You didn't answer the call.", 1)
	if strings.Contains(s.Logs(), token) {
		t.Errorf("the server's logs contain the Twilio auth token")
	}
}

// phoneMemberVia is phoneMember with texts read from a provider's fake; the
// default sign-in method is a call to the mobile.
func phoneMemberVia(t *testing.T, s *server, c *apiClient, local, number string, read func(string) string) (*apiMember, phoneMethod) {
	t.Helper()
	m := seedMember(t, s, local, strings.ToUpper(local[:1])+local[1:]+" Provider")
	c.registerByInterrupt(t, m, "")
	mobile := c.addMobileByText(t, m.token, number, read)
	c.setPreferred(t, m.token, "voiceMobile")
	return m, mobile
}

// twilioSignature is Twilio's documented X-Twilio-Signature, written here
// from the documentation: base64(HMAC-SHA1(auth token, the full URL followed
// by each POST parameter's name and value, sorted by name)).
func twilioSignature(authToken, fullURL string, form url.Values) string {
	names := make([]string, 0, len(form))
	for k := range form {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(fullURL)
	for _, k := range names {
		vs := slices.Clone(form[k])
		sort.Strings(vs)
		for _, v := range vs {
			b.WriteString(k + v)
		}
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// postForm posts a webhook as Twilio does.
func postForm(t *testing.T, u string, form url.Values, signature string) *apiResp {
	t.Helper()
	req, err := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "TwilioProxy/1.1")
	if signature != "" {
		req.Header.Set("X-Twilio-Signature", signature)
	}
	return doRaw(t, req)
}

// twilioRequest is one request the fake received.
type twilioRequest struct {
	Resource   string // Messages.json or Calls.json
	User, Pass string // basic auth
	Form       url.Values
	SID        string // what the fake answered
}

// fakeTwilio records Messages and Calls requests and answers 201 with a sid.
type fakeTwilio struct {
	*httptest.Server
	sid, token string

	mu   sync.Mutex
	reqs []twilioRequest
}

func newFakeTwilio(t *testing.T, sid, token string) *fakeTwilio {
	f := &fakeTwilio{sid: sid, token: token}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		resource := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
		if r.Method != "POST" || r.URL.Path != "/2010-04-01/Accounts/"+f.sid+"/"+resource ||
			(resource != "Messages.json" && resource != "Calls.json") || r.ParseForm() != nil {
			t.Errorf("fake Twilio: unexpected %s %s", r.Method, r.URL)
			http.Error(w, `{"code":20404,"message":"not found"}`, http.StatusNotFound)
			return
		}
		user, pass, _ := r.BasicAuth()
		prefix := "SM"
		if resource == "Calls.json" {
			prefix = "CA"
		}
		req := twilioRequest{Resource: resource, User: user, Pass: pass, Form: r.PostForm, SID: prefix + randomHex(16)}
		f.mu.Lock()
		f.reqs = append(f.reqs, req)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]string{"sid": req.SID, "status": "queued"})
	}))
	t.Cleanup(f.Close)
	return f
}

// last returns the newest request to resource and checks its credentials.
func (f *fakeTwilio) last(t *testing.T, resource string) twilioRequest {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.reqs) - 1; i >= 0; i-- {
		if r := f.reqs[i]; r.Resource == resource {
			if r.User != f.sid || r.Pass != f.token {
				t.Errorf("fake Twilio: a %s request without the account's basic auth (user %q)", resource, r.User)
			}
			return r
		}
	}
	t.Fatalf("fake Twilio: no %s request", resource)
	return twilioRequest{}
}

// textCode returns the code of the newest text to number.
func (f *fakeTwilio) textCode(t *testing.T, number string) string {
	t.Helper()
	r := f.last(t, "Messages.json")
	if r.Form.Get("To") != number || !strings.Contains(r.Form.Get("Body"), " is your ") {
		t.Fatalf("fake Twilio: the newest text is %v, want a code to %s", r.Form, number)
	}
	return sixDigitCode.FindString(r.Form.Get("Body"))
}

// checkCall checks a Calls API request and returns the <Gather>'s action URL
// and the status callback URL.
func (f *fakeTwilio) checkCall(t *testing.T, r twilioRequest, base, to, from string) (keysURL, statusURL string) {
	t.Helper()
	if r.Form.Get("To") != to || r.Form.Get("From") != from {
		t.Errorf("the call went From %q To %q, want %s and %s", r.Form.Get("From"), r.Form.Get("To"), from, to)
	}
	var twiml struct {
		Gather struct {
			Input  string `xml:"input,attr"`
			Action string `xml:"action,attr"`
			Method string `xml:"method,attr"`
			Say    string `xml:"Say"`
		} `xml:"Gather"`
	}
	if err := xml.Unmarshal([]byte(r.Form.Get("Twiml")), &twiml); err != nil || twiml.Gather.Input != "dtmf" || twiml.Gather.Method != "POST" ||
		!strings.Contains(twiml.Gather.Say, "press the pound key") {
		t.Fatalf("the call's Twiml %q has no <Gather input=dtmf method=POST> asking for the pound key (%v)", r.Form.Get("Twiml"), err)
	}
	keysURL, statusURL = twiml.Gather.Action, r.Form.Get("StatusCallback")
	id := strings.TrimSuffix(strings.TrimPrefix(keysURL, base+"/hooks/twilio/calls/"), "/keys")
	if id == "" || strings.Contains(id, "/") || keysURL != base+"/hooks/twilio/calls/"+id+"/keys" || statusURL != base+"/hooks/twilio/calls/"+id+"/status" {
		t.Errorf("action %q and StatusCallback %q are not under %s/hooks/twilio/calls/{id}/", keysURL, statusURL, base)
	}
	if r.Form.Get("StatusCallbackMethod") != "POST" || !slices.Equal(r.Form["StatusCallbackEvent"], []string{"answered", "completed"}) {
		t.Errorf("the call asks for status callbacks %v by %s", r.Form["StatusCallbackEvent"], r.Form.Get("StatusCallbackMethod"))
	}
	return keysURL, statusURL
}

// doRaw sends req and reads the whole answer.
func doRaw(t *testing.T, req *http.Request) *apiResp {
	t.Helper()
	c := &http.Client{Timeout: apiTimeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	hr, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer hr.Body.Close()
	body, err := io.ReadAll(io.LimitReader(hr.Body, 1<<20))
	if err != nil {
		t.Fatalf("%s %s: read answer: %v", req.Method, req.URL, err)
	}
	return &apiResp{Method: req.Method, Path: req.URL.Path, Status: hr.StatusCode, Header: hr.Header, Body: body}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

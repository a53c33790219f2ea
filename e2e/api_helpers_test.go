package e2e

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The JSON API's black-box helpers: a small HTTP client that speaks
// docs/openapi.yaml, strict decoding of its answers, and the steps a native
// client takes (sign in, set up an authenticator app, verify a code). The
// authenticator is totp_test.go's own RFC 6238 implementation.

const apiPrefix = "/api/v1"

// apiTimeout bounds one API request; a password hash under -race on a busy
// machine takes well under a second.
const apiTimeout = 30 * time.Second

// forEachStore runs f as parallel subtests on SQLite and on PostgreSQL (the
// latter skips without TWOFOLD_TEST_POSTGRES), like browser_test.go.
func forEachStore(t *testing.T, f func(t *testing.T, postgres bool)) {
	t.Helper()
	for _, v := range []struct {
		name     string
		postgres bool
	}{
		{"sqlite", false},
		{"postgres", true},
	} {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			f(t, v.postgres)
		})
	}
}

// apiClient calls one server's JSON API.
type apiClient struct {
	t    *testing.T
	base string
	addr string // 127.0.0.1:PORT, for raw connections
	http *http.Client

	// XFF, when set, is sent as X-Forwarded-For (the server trusts it only
	// with TWOFOLD_TRUST_PROXY=true).
	XFF string

	mu   sync.Mutex
	seen []*apiResp // every answer, when record is set
	rec  bool
}

func newAPIClient(t *testing.T, s *server) *apiClient {
	return &apiClient{t: t, base: s.URL, addr: s.Addr, http: &http.Client{
		Timeout: apiTimeout,
		Transport: &http.Transport{
			MaxIdleConns:        100,
			MaxIdleConnsPerHost: 100,
			IdleConnTimeout:     30 * time.Second,
		},
		// The API never redirects; a redirect would be a finding.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// withIP returns a client that shares c's connections and sends xff as
// X-Forwarded-For.
func (c *apiClient) withIP(xff string) *apiClient {
	return &apiClient{t: c.t, base: c.base, addr: c.addr, http: c.http, XFF: xff}
}

// rawBody is a request body sent as it is (not JSON-encoded).
type rawBody []byte

// apiResp is one answer, fully read.
type apiResp struct {
	Method, Path string
	Status       int
	Header       http.Header
	Body         []byte
	Took         time.Duration
}

func (r *apiResp) String() string {
	body := string(r.Body)
	if len(body) > 600 {
		body = body[:600] + "…"
	}
	return fmt.Sprintf("%s %s → %d %s", r.Method, shortPath(r.Path), r.Status, body)
}

// shortPath keeps log lines readable when a path holds a 500-character ID.
func shortPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if len(s) > 50 {
			parts[i] = fmt.Sprintf("%s…(%d chars)", s[:10], len(s))
		}
	}
	return strings.Join(parts, "/")
}

// reqOpt changes one request.
type reqOpt func(*http.Request)

func bearerToken(token string) reqOpt {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}

func header(name, value string) reqOpt {
	return func(r *http.Request) { r.Header.Set(name, value) }
}

// do sends one request to the API (path is under /api/v1 unless it starts
// with "/" followed by something other than "api": "/healthz" is the root's).
// body is nil (none), rawBody (as is) or anything else (JSON-encoded).
func (c *apiClient) do(method, path string, body any, opts ...reqOpt) *apiResp {
	c.t.Helper()
	resp, err := c.try(method, path, body, opts...)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, shortPath(path), err)
	}
	return resp
}

// try is do that returns the transport error instead of failing the test,
// for goroutines.
func (c *apiClient) try(method, path string, body any, opts ...reqOpt) (*apiResp, error) {
	full := path
	if !strings.HasPrefix(path, "/healthz") && !strings.HasPrefix(path, "/readyz") && !strings.HasPrefix(path, apiPrefix) {
		full = apiPrefix + path
	}
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case rawBody:
		rd = bytes.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			return nil, fmt.Errorf("encode body: %w", err)
		}
		rd = bytes.NewReader(enc)
	}
	req, err := http.NewRequest(method, c.base+full, rd)
	if err != nil {
		return nil, err
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "twofold-e2e-api")
	if c.XFF != "" {
		req.Header.Set("X-Forwarded-For", c.XFF)
	}
	for _, o := range opts {
		o(req)
	}
	start := time.Now()
	hr, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(hr.Body, 1<<20))
	hr.Body.Close()
	took := time.Since(start)
	if err != nil {
		return nil, fmt.Errorf("read answer: %w", err)
	}
	r := &apiResp{Method: method, Path: full, Status: hr.StatusCode, Header: hr.Header, Body: data, Took: took}
	c.mu.Lock()
	if c.rec {
		c.seen = append(c.seen, r)
	}
	c.mu.Unlock()
	return r, nil
}

// decode parses the answer strictly into v: one JSON value, no unknown
// fields (v's fields are the contract's).
func (r *apiResp) decode(t *testing.T, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: the answer does not match the contract: %v", r, err)
	}
	if dec.More() {
		t.Fatalf("%s: more than one JSON value in the answer", r)
	}
}

// want fails the test unless the answer has status.
func (r *apiResp) want(t *testing.T, status int) *apiResp {
	t.Helper()
	if r.Status != status {
		t.Fatalf("%s: status %d, want %d", r, r.Status, status)
	}
	return r
}

// The API's shapes (docs/openapi.yaml, components/schemas).

type apiErrorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Target  string `json:"target,omitempty"`
	} `json:"error"`
}

type signInMethod struct {
	ID          string `json:"id"`
	MethodType  string `json:"methodType"`
	DisplayName string `json:"displayName"`
	IsDefault   bool   `json:"isDefault"`
}

// signInAnswer is SignInFlow or SignedIn: whichever status says.
type signInAnswer struct {
	Status          string         `json:"status"`
	FlowID          string         `json:"flowId,omitempty"`
	Methods         []signInMethod `json:"methods,omitempty"`
	DefaultMethod   string         `json:"defaultMethod,omitempty"`
	SessionToken    string         `json:"sessionToken,omitempty"`
	ExpiresDateTime string         `json:"expiresDateTime,omitempty"`
}

type oathSetup struct {
	ID         string `json:"id"`
	SecretKey  string `json:"secretKey"`
	OtpauthURI string `json:"otpauthUri"`
}

type apiMethod struct {
	ID              string `json:"id"`
	ODataType       string `json:"@odata.type"`
	DisplayName     string `json:"displayName"`
	CreatedDateTime string `json:"createdDateTime"`
}

type methodList struct {
	Value []apiMethod `json:"value"`
}

type signInPrefs struct {
	Preferred    string `json:"userPreferredMethodForSecondaryAuthentication"`
	SystemPrefOn bool   `json:"isSystemPreferredAuthenticationMethodEnabled"`
}

type apiSession struct {
	ID                   string `json:"id"`
	CreatedDateTime      string `json:"createdDateTime"`
	LastActivityDateTime string `json:"lastActivityDateTime"`
	ExpiresDateTime      string `json:"expiresDateTime"`
	MFADateTime          string `json:"mfaDateTime,omitempty"`
	IPAddress            string `json:"ipAddress"`
	UserAgent            string `json:"userAgent"`
	IsCurrent            bool   `json:"isCurrent"`
}

type sessionList struct {
	Value []apiSession `json:"value"`
}

// apiErr decodes an error answer and checks everything every error must be:
// the status, the code, the target (when want.target is not "-"), exactly the
// documented shape, JSON content, and a message written for people.
func (r *apiResp) apiErr(t *testing.T, status int, code, target string) apiErrorBody {
	t.Helper()
	if r.Status != status {
		t.Errorf("%s: status %d, want %d (%s)", r, r.Status, status, code)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q, want application/json", r, ct)
	}
	var e apiErrorBody
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil || dec.More() {
		t.Errorf("%s: not the documented error body {\"error\":{\"code\",\"message\",\"target\"?}}: %v", r, err)
		return e
	}
	if e.Error.Code != code {
		t.Errorf("%s: code %q, want %q", r, e.Error.Code, code)
	}
	if target != "-" && e.Error.Target != target {
		t.Errorf("%s: target %q, want %q", r, e.Error.Target, target)
	}
	if problem := inhumanMessage(e.Error.Message); problem != "" {
		t.Errorf("%s: the message is not for people: %s", r, problem)
	}
	return e
}

// internalDetail matches what must never reach a person: Go and encoding/json
// internals, type names, stack traces, SQL and driver words.
var internalDetail = regexp.MustCompile(`(?i)json:|encoding/|unmarshal|\bstruct\b|\bint(8|16|32|64)\b|\buint|float(32|64)|interface ?\{|map\[|\[\]|\*[a-z]+\.|\bgoroutine\b|\bpanic\b|runtime\.|\.go:\d|\bsql|sqlite|postgres|\bpgx?\b|\bpq:|sqlstate|constraint|\bselect\b.*\bfrom\b|\binsert into\b|twofold\.|httpx|\bapi\.|http: |unexpected eof|invalid character|looking for beginning|<nil>|%!|0x[0-9a-f]+|\bnil\b|\berr(or)?:`)

// inhumanMessage says what is wrong with an error message shown to a person,
// or "" when nothing is.
func inhumanMessage(msg string) string {
	switch {
	case strings.TrimSpace(msg) == "":
		return "it is empty"
	case len(msg) > 400:
		return fmt.Sprintf("it is %d bytes long", len(msg))
	case strings.ContainsAny(msg, "\n\t"):
		return fmt.Sprintf("%q spans lines", msg)
	case !strings.ContainsAny(msg[:1], "ABCDEFGHIJKLMNOPQRSTUVWXYZ"):
		return fmt.Sprintf("%q does not start with a capital letter", msg)
	case !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, "?") && !strings.HasSuffix(msg, "!"):
		return fmt.Sprintf("%q is not a sentence", msg)
	}
	if m := internalDetail.FindString(msg); m != "" {
		return fmt.Sprintf("%q holds internal detail (%q)", msg, m)
	}
	return ""
}

// apiMember is a member the test created with the CLI, with what the test
// learned about them along the way.
type apiMember struct {
	Username, Password, Name string

	app      *authApp // their first authenticator app, once registered
	methodID string   // its ID
	token    string   // the last session token
}

var apiOrg = struct{ Name, Domain string }{"Contoso", "contoso.test"}

// cli is server.runInput without the race detector's one-second pause at
// exit (GORACE atexit_sleep_ms), which otherwise dominates every CLI call of
// a -race build; any other GORACE options are kept.
func cli(t *testing.T, s *server, stdin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), cliTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.bin, s.withStore(args)...)
	cmd.Env = append(slices.Clone(s.env), strings.TrimSpace("GORACE="+os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("twofold %s: %v\n--- stdout ---\n%s\n--- stderr ---\n%s", strings.Join(args, " "), err, &out, &errOut)
	}
	return out.String()
}

// seedOrg creates the organization with the CLI.
func seedOrg(t *testing.T, s *server) {
	t.Helper()
	cli(t, s, "", "org", "create", "--name", apiOrg.Name, "--domain", apiOrg.Domain)
}

// seedMember creates a member with the CLI.
func seedMember(t *testing.T, s *server, local, name string) *apiMember {
	t.Helper()
	m := &apiMember{Username: local + "@" + apiOrg.Domain, Password: fmt.Sprintf("Quiet-Lantern-%08d", mrand.IntN(1e8)), Name: name}
	cli(t, s, m.Password+"\n", "user", "create", "--username", m.Username, "--display-name", m.Name, "--password-stdin")
	return m
}

// signIn posts the password step and returns the decoded 200 answer.
func (c *apiClient) signIn(t *testing.T, m *apiMember) signInAnswer {
	t.Helper()
	r := c.do("POST", "/signin", map[string]string{"username": m.Username, "password": m.Password}).want(t, http.StatusOK)
	var a signInAnswer
	r.decode(t, &a)
	return a
}

// checkSetup checks a SoftwareOathSetup against SPEC §4: a 160-bit base32
// secret, and an otpauth://totp/ URI for the organization and the member
// with the same secret, SHA-1, 6 digits, 30 s.
func checkSetup(t *testing.T, setup oathSetup, m *apiMember) {
	t.Helper()
	if setup.ID == "" {
		t.Errorf("the setup has no id")
	}
	key, err := decodeSecret(setup.SecretKey)
	if err != nil || len(key) != 20 {
		t.Errorf("secretKey %q is not a 160-bit base32 secret (%d bytes, %v)", setup.SecretKey, len(key), err)
	}
	o, err := parseOTPAuth(setup.OtpauthURI)
	if err != nil {
		t.Fatalf("otpauthUri: %v", err)
	}
	if o.Issuer != apiOrg.Name || o.Account != m.Username {
		t.Errorf("otpauthUri %q: issuer %q account %q, want %q and %q", setup.OtpauthURI, o.Issuer, o.Account, apiOrg.Name, m.Username)
	}
	if o.Secret != setup.SecretKey {
		t.Errorf("otpauthUri secret %q differs from secretKey %q", o.Secret, setup.SecretKey)
	}
	// parseOTPAuth accepts the defaults when a parameter is left out; the
	// spec asks for them to be stated, so every app does the same.
	q := setup.OtpauthURI[strings.Index(setup.OtpauthURI, "?")+1:]
	for _, p := range []string{"algorithm=SHA1", "digits=6", "period=30"} {
		if !slices.Contains(strings.Split(q, "&"), p) {
			t.Errorf("otpauthUri %q does not say %s", setup.OtpauthURI, p)
		}
	}
}

// registerByInterrupt takes a member without methods through sign-in's
// "More information required": password, set up an app, activate it with a
// current code. It leaves m signed in with m.app registered.
func (c *apiClient) registerByInterrupt(t *testing.T, m *apiMember, displayName string) {
	t.Helper()
	a := c.signIn(t, m)
	if a.Status != "registration_required" || a.FlowID == "" || len(a.Methods) != 0 || a.DefaultMethod != "none" {
		t.Fatalf("first sign-in of %s: %+v, want registration_required with no methods and defaultMethod none", m.Username, a)
	}
	var setup oathSetup
	c.do("POST", "/signin/"+a.FlowID+"/softwareOathMethods", nil).want(t, http.StatusCreated).decode(t, &setup)
	checkSetup(t, setup, m)
	m.app = &authApp{secret: setup.SecretKey}
	m.methodID = setup.ID
	body := map[string]string{"verificationCode": m.app.code(t)}
	if displayName != "" {
		body["displayName"] = displayName
	}
	var done signInAnswer
	c.do("POST", "/signin/"+a.FlowID+"/softwareOathMethods/"+setup.ID+"/activate", body).want(t, http.StatusOK).decode(t, &done)
	if done.Status != "signed_in" || done.SessionToken == "" {
		t.Fatalf("activation: %+v, want signed_in with a sessionToken", done)
	}
	m.token = done.SessionToken
}

// aheadCode returns a code of app that the server has not seen, without
// waiting: the current step's, or when that was used, the next step's. The
// server accepts one step either side of its own (SPEC §4), so a code for the
// next step is good now; authApp.code, which waits, is for when a test wants
// a real fresh step.
func aheadCode(t *testing.T, app *authApp) string {
	t.Helper()
	cur := totpStep(time.Now())
	step := max(cur, app.lastStep+1)
	if step > cur+1 {
		return app.code(t)
	}
	app.lastStep = step
	return hotp(mustKey(t, app.secret), uint64(step), totpDigits)
}

// signInWithCode signs m in with a fresh code from app and returns the token.
func (c *apiClient) signInWithCode(t *testing.T, m *apiMember, app *authApp) string {
	t.Helper()
	a := c.signIn(t, m)
	if a.Status != "mfa_required" || a.FlowID == "" {
		t.Fatalf("sign-in of %s: %+v, want mfa_required", m.Username, a)
	}
	return c.verify(t, a.FlowID, "", aheadCode(t, app))
}

// verify posts a code that must work and returns the session token.
func (c *apiClient) verify(t *testing.T, flowID, methodID, code string) string {
	t.Helper()
	body := map[string]string{"code": code}
	if methodID != "" {
		body["methodId"] = methodID
	}
	var done signInAnswer
	c.do("POST", "/signin/"+flowID+"/verify", body).want(t, http.StatusOK).decode(t, &done)
	if done.Status != "signed_in" || done.SessionToken == "" {
		t.Fatalf("verify: %+v, want signed_in with a sessionToken", done)
	}
	return done.SessionToken
}

// methods lists the member's methods with token.
func (c *apiClient) methods(t *testing.T, token string) []apiMethod {
	t.Helper()
	var l methodList
	c.do("GET", "/me/authentication/methods", nil, bearerToken(token)).want(t, http.StatusOK).decode(t, &l)
	if l.Value == nil {
		t.Fatalf("GET /me/authentication/methods: value is null, want a list")
	}
	return l.Value
}

// preferred returns the member's default sign-in method.
func (c *apiClient) preferred(t *testing.T, token string) string {
	t.Helper()
	var p signInPrefs
	c.do("GET", "/me/authentication/signInPreferences", nil, bearerToken(token)).want(t, http.StatusOK).decode(t, &p)
	if p.SystemPrefOn {
		t.Errorf("isSystemPreferredAuthenticationMethodEnabled is true; the contract says it is always false")
	}
	return p.Preferred
}

// auditEvent is a line of `twofold audit list --json`.
type auditEvent struct {
	ID                   int64
	Time                 time.Time
	OrgID, ActorID       string
	ActorName, TargetID  string
	TargetName, Activity string
	Result, Reason, IP   string
	UserAgent            string
}

func (e auditEvent) String() string {
	return fmt.Sprintf("#%d %s %s %s target=%s reason=%q ip=%s", e.ID, e.Activity, e.Result, e.ActorName, e.TargetName, e.Reason, e.IP)
}

// auditLog reads the whole audit log (at most the CLI's 1000 newest events),
// oldest first.
func auditLog(t *testing.T, s *server) []auditEvent {
	t.Helper()
	out := cli(t, s, "", "audit", "list", "--json", "--limit", "1000")
	var events []auditEvent
	dec := json.NewDecoder(strings.NewReader(out))
	for dec.More() {
		var e auditEvent
		if err := dec.Decode(&e); err != nil {
			t.Fatalf("audit list --json: %v\n%s", err, out)
		}
		events = append(events, e)
	}
	if len(events) >= 1000 {
		t.Fatalf("the audit log has 1000 events or more; the test cannot count them all")
	}
	slices.Reverse(events)
	return events
}

// newerThan returns the events after the first n of all.
func newerThan(all []auditEvent, n int) []auditEvent {
	if n > len(all) {
		return nil
	}
	return all[n:]
}

// randomFlowID is shaped like a real flow ID (43 characters of base64url)
// but names nothing.
func randomFlowID() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// median returns the median of ds (which it sorts).
func median(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	n := len(ds)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return ds[n/2]
	}
	return (ds[n/2-1] + ds[n/2]) / 2
}

// simultaneous sends n copies of one JSON request so that they reach the
// server together ("last-byte synchronisation"): each goes on its own
// connection, all but the last byte of the body first, and once every
// connection is open and the server has read every request's headers, the
// last bytes are sent in one tight loop. Each handler then starts on its
// body at the same moment. It returns the n answers, in connection order.
func (c *apiClient) simultaneous(t *testing.T, n int, method, path string, body any) []*apiResp {
	t.Helper()
	enc, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(c.base, "http://")
	raw := fmt.Sprintf("%s %s%s HTTP/1.1\r\nHost: %s\r\nUser-Agent: twofold-e2e-api\r\nContent-Type: application/json\r\n"+
		"Accept: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", method, apiPrefix, path, host, len(enc), enc)
	deadline := time.Now().Add(apiTimeout)
	conns := make([]net.Conn, n)
	for i := range n {
		conn, err := net.DialTimeout("tcp", c.addr, 5*time.Second)
		if err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		defer conn.Close()
		conn.SetDeadline(deadline)
		if _, err := io.WriteString(conn, raw[:len(raw)-1]); err != nil {
			t.Fatalf("connection %d: %v", i, err)
		}
		conns[i] = conn
	}
	time.Sleep(200 * time.Millisecond) // let the server read every header
	for i, conn := range conns {
		if _, err := io.WriteString(conn, raw[len(raw)-1:]); err != nil {
			t.Fatalf("connection %d: last byte: %v", i, err)
		}
	}
	out := make([]*apiResp, n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var problems []string
	for i, conn := range conns {
		wg.Go(func() {
			hr, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err == nil {
				var data []byte
				data, err = io.ReadAll(io.LimitReader(hr.Body, 1<<20))
				hr.Body.Close()
				out[i] = &apiResp{Method: method, Path: apiPrefix + path, Status: hr.StatusCode, Header: hr.Header, Body: data}
			}
			if err != nil {
				mu.Lock()
				problems = append(problems, fmt.Sprintf("connection %d: %v", i, err))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(problems) > 0 {
		t.Fatalf("%d of %d simultaneous requests got no answer: %v", len(problems), n, problems)
	}
	return out
}

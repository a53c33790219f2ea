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
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The steps a native client and an operator take in the API tests: seed members
// through the CLI, sign in, set up an app, read the audit log.

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

// checkSetup checks a SoftwareOathSetup against the rules for authenticator apps: a 160-bit base32
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
// server accepts one step either side of its own, so a code for the
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

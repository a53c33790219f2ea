package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
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

	// XFF, when set, is sent as X-Forwarded-For (the server reads it only
	// with TWOFOLD_TRUSTED_PROXIES naming the loopback address).
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
	ID           string `json:"id"`
	MethodType   string `json:"methodType"`
	DisplayName  string `json:"displayName"`
	Preference   string `json:"preference"`
	Label        string `json:"label"`
	Channel      string `json:"channel,omitempty"`
	MaskedNumber string `json:"maskedNumber,omitempty"`
	IsDefault    bool   `json:"isDefault"`
}

// signInChallenge is Challenge (and ReverifyChallenge, with its id): a text or
// call as shown before the second factor is proven, number masked.
type signInChallenge struct {
	ID              string `json:"id,omitempty"`
	MethodID        string `json:"methodId"`
	Channel         string `json:"channel"`
	State           string `json:"state"`
	Reason          string `json:"reason,omitempty"`
	MaskedNumber    string `json:"maskedNumber"`
	ExpiresDateTime string `json:"expiresDateTime"`
}

// sendError is SendError: why the default's text or call did not go out.
type sendError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// signInAnswer is SignInFlow or SignedIn: whichever status says.
type signInAnswer struct {
	Status        string           `json:"status"`
	FlowID        string           `json:"flowId,omitempty"`
	Methods       []signInMethod   `json:"methods,omitempty"`
	DefaultMethod string           `json:"defaultMethod,omitempty"`
	Challenge     *signInChallenge `json:"challenge,omitempty"`
	SendError     *sendError       `json:"sendError,omitempty"`
	// RegistrationKinds is what the interrupt can set up ("softwareOath", "phone").
	RegistrationKinds []string `json:"registrationKinds,omitempty"`
	SessionToken      string   `json:"sessionToken,omitempty"`
	ExpiresDateTime   string   `json:"expiresDateTime,omitempty"`
	// RegistrationRequired is what the registration campaign asks once signed
	// in ("resetMethods").
	RegistrationRequired []string `json:"registrationRequired,omitempty"`
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
	PhoneNumber     string `json:"phoneNumber,omitempty"`
	PhoneType       string `json:"phoneType,omitempty"`
	SMSSignInState  string `json:"smsSignInState,omitempty"`
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

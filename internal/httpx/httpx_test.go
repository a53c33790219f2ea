package httpx

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/twofold-id/twofold"
)

func TestSecurityHeaders(t *testing.T) {
	h := SecurityHeaders(true, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	csp := rec.Header().Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	for k, want := range map[string]string{
		"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
		"Strict-Transport-Security": "max-age=63072000; includeSubDomains",
	} {
		if got := rec.Header().Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	rec = httptest.NewRecorder()
	SecurityHeaders(false, http.NotFoundHandler()).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Header().Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent without TLS")
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	changed := false
	h := CrossOrigin(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { changed = true }))
	req := httptest.NewRequest("POST", "http://id.contoso.test/my/security-info/add", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.test")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden || changed {
		t.Fatalf("cross-site POST: status %d, handler ran %v", rec.Code, changed)
	}
	// Same-origin browser POSTs and native clients (no browser headers) pass.
	for _, site := range []string{"same-origin", ""} {
		changed = false
		req := httptest.NewRequest("POST", "http://id.contoso.test/signin", nil)
		if site != "" {
			req.Header.Set("Sec-Fetch-Site", site)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if !changed {
			t.Errorf("Sec-Fetch-Site %q: refused with %d", site, rec.Code)
		}
	}
}

type payload struct {
	Username string `json:"username"`
	Count    int    `json:"count"`
}

func TestReadJSONGivesClearErrors(t *testing.T) {
	cases := []struct {
		name, body, want string
	}{
		{"empty", "", "empty"},
		{"array", "[]", "JSON object"},
		{"null", " null ", "JSON object"},
		{"string", `"x"`, "JSON object"},
		{"wrong type", `{"username":5}`, `"username" must be a string`},
		{"unknown field", `{"user":"a"}`, `"user" is not part of this request`},
		{"broken", `{"username":`, "isn't valid JSON"},
		{"two objects", `{} {}`, "one JSON object"},
		{"not utf-8", "{\"username\":\"\xff\xfe\"}", "UTF-8"},
		{"huge", `{"username":"` + strings.Repeat("a", MaxJSONBody) + `"}`, "too large"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var p payload
			rec := httptest.NewRecorder()
			err := ReadJSON(rec, httptest.NewRequest("POST", "/", strings.NewReader(tc.body)), &p)
			if twofold.ErrorCode(err) != twofold.EINVALID {
				t.Fatalf("code %q (%v), want invalid_request", twofold.ErrorCode(err), err)
			}
			if msg := twofold.ErrorMessage(err); !strings.Contains(msg, tc.want) || strings.Contains(msg, "json:") {
				t.Errorf("message %q, want it to contain %q and no Go internals", msg, tc.want)
			}
		})
	}
	var p payload
	if err := ReadJSON(httptest.NewRecorder(), httptest.NewRequest("POST", "/", strings.NewReader(`{"username":"a@b.c","count":2}`)), &p); err != nil || p.Username != "a@b.c" || p.Count != 2 {
		t.Fatalf("valid body: %v %+v", err, p)
	}
}

func TestInternalErrorsNeverReachTheClient(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	secret := "pq: password authentication failed for user twofold at 10.0.0.5"
	h := RequestContext(nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteJSONError(w, r, log, fmt.Errorf("store: find user: %w", errors.New(secret)))
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status %d", rec.Code)
	}
	body, _ := io.ReadAll(rec.Body)
	if strings.Contains(string(body), "pq:") || !strings.Contains(string(body), "Something went wrong") {
		t.Errorf("body %s", body)
	}
	var out ErrorBody
	if err := json.Unmarshal(body, &out); err != nil || out.Error.Code != twofold.EINTERNAL {
		t.Errorf("shape: %v %+v", err, out)
	}
	if !strings.Contains(out.Error.Message, rec.Header().Get("X-Request-Id")) {
		t.Errorf("message %q lacks the reference %q", out.Error.Message, rec.Header().Get("X-Request-Id"))
	}
	if !strings.Contains(logs.String(), "pq: password") {
		t.Error("the internal chain must be logged for operators")
	}
}

func TestStatusAndRetryAfter(t *testing.T) {
	for code, want := range map[string]int{
		twofold.EINVALID: 400, twofold.EUNAUTHORIZED: 401, twofold.EFORBIDDEN: 403, twofold.EREAUTH: 403,
		twofold.ENOTFOUND: 404, twofold.ECONFLICT: 409, twofold.EEXPIRED: 410, twofold.ERATELIMIT: 429,
		twofold.EUNAVAILABLE: 503, twofold.EINTERNAL: 500,
	} {
		if got := Status(twofold.Errorf(code, "x")); got != want {
			t.Errorf("%s → %d, want %d", code, got, want)
		}
	}
	rec := httptest.NewRecorder()
	SetRetryAfter(rec, twofold.Errorf(twofold.EUNAVAILABLE, "busy"))
	if rec.Header().Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
}

func TestAccessLogRedactsBearerSegments(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	flow := twofold.NewToken()
	AccessLog(log, http.NotFoundHandler()).ServeHTTP(httptest.NewRecorder(),
		httptest.NewRequest("POST", "/api/v1/signin/"+flow+"/verify?code=123456", nil))
	if strings.Contains(logs.String(), flow) || strings.Contains(logs.String(), "123456") {
		t.Errorf("log line holds a secret: %s", logs.String())
	}
	if !strings.Contains(logs.String(), "/api/v1/signin/REDACTED/verify") {
		t.Errorf("log line: %s", logs.String())
	}
}

// The client's address comes from X-Forwarded-For only when the connection
// itself is from a trusted proxy, and then it is the right-most address no
// trusted proxy owns: whatever the client wrote to the left of it is ignored.
func TestClientIPFromTheRightmostUntrustedHop(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.1/32"),
		netip.MustParsePrefix("2001:db8:ffff::/48")}
	for _, tc := range []struct {
		name, remote string
		xff          []string // one string per header line
		want         string
	}{
		{"direct client, no header", "198.51.100.7:5555", nil, "198.51.100.7"},
		{"direct client sends a header", "198.51.100.7:5555", []string{"203.0.113.9"}, "198.51.100.7"},
		{"proxy appends the client", "192.0.2.1:5555", []string{"198.51.100.7"}, "198.51.100.7"},
		{"spoofed left-most entry", "192.0.2.1:5555", []string{"203.0.113.9, 198.51.100.7"}, "198.51.100.7"},
		{"spoofed entry looks like a proxy", "192.0.2.1:5555", []string{"10.1.1.1, 198.51.100.7"}, "198.51.100.7"},
		{"chain of proxies", "10.0.0.2:5555", []string{"203.0.113.9, 198.51.100.7, 192.0.2.1, 10.0.0.3"}, "198.51.100.7"},
		{"chain over two header lines", "10.0.0.2:5555", []string{"203.0.113.9, 198.51.100.7", "10.0.0.3"}, "198.51.100.7"},
		{"garbage from the client", "192.0.2.1:5555", []string{"<script>, 198.51.100.7"}, "198.51.100.7"},
		{"garbage where the client should be", "192.0.2.1:5555", []string{"198.51.100.8, not-an-ip"}, "192.0.2.1"},
		{"garbage behind a chain", "10.0.0.2:5555", []string{"198.51.100.8, , 10.0.0.3"}, "10.0.0.3"},
		{"entry with a port", "192.0.2.1:5555", []string{"198.51.100.7:4711"}, "198.51.100.7"},
		{"only proxies", "10.0.0.2:5555", []string{"10.0.0.3"}, "10.0.0.3"},
		{"empty header", "192.0.2.1:5555", []string{""}, "192.0.2.1"},
		{"IPv6 client behind an IPv6 proxy", "[2001:db8:ffff::1]:443", []string{"2001:db8:1:2::99, 2001:DB8:1:2::7"}, "2001:db8:1:2::7"},
		{"bracketed IPv6 with a port", "[2001:db8:ffff::1]:443", []string{"[2001:db8:1:2::7]:4711"}, "2001:db8:1:2::7"},
		{"IPv6 spoof from an untrusted peer", "[2001:db8:1:2::7]:443", []string{"2001:db8:9::1"}, "2001:db8:1:2::7"},
		{"IPv4-mapped proxy address", "[::ffff:192.0.2.1]:5555", []string{"::ffff:198.51.100.7"}, "198.51.100.7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got twofold.Client
			h := RequestContext(trusted, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = Client(r) }))
			req := httptest.NewRequest("GET", "/", nil)
			req.RemoteAddr = tc.remote
			for _, v := range tc.xff {
				req.Header.Add("X-Forwarded-For", v)
			}
			h.ServeHTTP(httptest.NewRecorder(), req)
			if got.IP != tc.want {
				t.Errorf("client address %q, want %q", got.IP, tc.want)
			}
		})
	}
}

func TestNoTrustedProxiesIgnoresTheHeader(t *testing.T) {
	var got twofold.Client
	h := RequestContext(nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = Client(r) }))
	req := httptest.NewRequest("GET", "/", nil)
	req.RemoteAddr = "192.0.2.1:5555"
	req.Header.Set("X-Forwarded-For", "198.51.100.7")
	h.ServeHTTP(httptest.NewRecorder(), req)
	if got.IP != "192.0.2.1" {
		t.Errorf("client address %q, want the connection's", got.IP)
	}
}

func TestRequestContextBoundsTheUserAgent(t *testing.T) {
	var got twofold.Client
	h := RequestContext(nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = Client(r) }))
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("User-Agent", strings.Repeat("A", 60<<10))
	h.ServeHTTP(httptest.NewRecorder(), req)
	if len(got.UserAgent) != twofold.MaxUserAgent {
		t.Errorf("User-Agent of %d bytes passed on, want %d", len(got.UserAgent), twofold.MaxUserAgent)
	}
}

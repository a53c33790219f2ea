package httpx

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
)

type ctxKey int

const (
	requestIDKey ctxKey = iota
	clientKey
)

// CSP is the content security policy of every response: no inline script or style,
// images from us or data: URLs (QR codes), no framing. Workers (the proof of
// work) come from us too, said outright for browsers that would otherwise fall
// back to default-src.
const CSP = "default-src 'none'; script-src 'self'; worker-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// SecurityHeaders sets the headers every response carries. hsts adds
// Strict-Transport-Security, for deployments reached over TLS.
func SecurityHeaders(hsts bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", CSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if hsts {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// CrossOrigin refuses cross-origin state-changing browser requests (CSRF) with the
// standard library's protection; requests without browser origin headers (native
// clients with bearer tokens) pass.
func CrossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		const msg = "This request came from another site and was refused."
		if strings.HasPrefix(r.URL.Path, "/api/") {
			WriteJSON(w, http.StatusForbidden, ErrorBody{Error: ErrorDetail{Code: twofold.EFORBIDDEN, Message: msg}})
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(msg + "\n"))
	}))
	return cop.Handler(next)
}

// RequestContext gives each request an ID (for "ref" in error messages and logs) and
// resolves the client: its address (see clientIP; trusted lists the reverse
// proxies' networks) and its User-Agent, cut to what is stored.
func RequestContext(trusted []netip.Prefix, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := twofold.NewID()[:12]
		w.Header().Set("X-Request-Id", id)
		c := twofold.Client{IP: clientIP(r, trusted), UserAgent: twofold.TruncateUserAgent(r.UserAgent())}
		ctx := context.WithValue(r.Context(), requestIDKey, id)
		ctx = context.WithValue(ctx, clientKey, c)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// clientIP returns the address of whoever sent the request. X-Forwarded-For is
// consulted only when the connection comes from a trusted proxy, and then read
// from the right: each trusted proxy appends the address it was reached from,
// so the right-most address no trusted proxy owns is the client's. Everything
// to its left was written by the client and may be forged. An entry that is not
// an address stops the walk at the last trusted hop, which is all that can be
// vouched for.
func clientIP(r *http.Request, trusted []netip.Prefix) string {
	remote, ok := parseHop(r.RemoteAddr)
	if !ok {
		return r.RemoteAddr
	}
	if !isTrusted(remote, trusted) {
		return remote.String()
	}
	hops := r.Header.Values("X-Forwarded-For")
	last := remote
	for i := len(hops) - 1; i >= 0; i-- {
		entries := strings.Split(hops[i], ",")
		for j := len(entries) - 1; j >= 0; j-- {
			if strings.TrimSpace(entries[j]) == "" && len(entries) == 1 {
				continue // an empty header line adds no hop
			}
			hop, ok := parseHop(entries[j])
			if !ok {
				return last.String()
			}
			if !isTrusted(hop, trusted) {
				return hop.String()
			}
			last = hop
		}
	}
	return last.String()
}

// parseHop reads one address as proxies write it: bare, or with a port
// ("192.0.2.7:4711", "[2001:db8::7]:4711"). IPv4-mapped IPv6 is read as IPv4.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, err := netip.ParseAddrPort(s)
		if err != nil {
			return netip.Addr{}, false
		}
		a = ap.Addr()
	}
	return a.Unmap().WithZone(""), true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// RequestID returns the request's reference, or "-" outside a request.
func RequestID(ctx context.Context) string {
	if id, ok := ctx.Value(requestIDKey).(string); ok {
		return id
	}
	return "-"
}

// Client returns who made the request.
func Client(r *http.Request) twofold.Client {
	if c, ok := r.Context().Value(clientKey).(twofold.Client); ok {
		return c
	}
	return twofold.Client{IP: clientIP(r, nil), UserAgent: twofold.TruncateUserAgent(r.UserAgent())}
}

// Recover turns a panic into a plain 500 with a reference, logging the value.
func Recover(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.ErrorContext(r.Context(), "panic", "ref", RequestID(r.Context()), "value", v)
				w.Header().Set("Content-Type", "text/plain; charset=utf-8")
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = w.Write([]byte("Something went wrong on our side (ref " + RequestID(r.Context()) + "). Please try again.\n"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// AccessLog logs one line per request: method, path (never the query, which may
// carry secrets), status and duration.
func AccessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		log.LogAttrs(r.Context(), slog.LevelInfo, "http",
			slog.String("ref", RequestID(r.Context())), slog.String("method", r.Method),
			slog.String("path", redactPath(r.URL.Path)), slog.Int("status", sw.status),
			slog.Duration("took", time.Since(start)))
	})
}

// redactPath hides path segments long enough to be bearer secrets (flow IDs are 43
// characters), so no log line carries one.
func redactPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if len(s) >= 40 {
			parts[i] = "REDACTED"
		}
	}
	return strings.Join(parts, "/")
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

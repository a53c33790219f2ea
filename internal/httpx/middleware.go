package httpx

import (
	"context"
	"log/slog"
	"net"
	"net/http"
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
// images from us or data: URLs (QR codes), no framing.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
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
// resolves the client's address. With trustProxy, the left-most X-Forwarded-For entry
// is used; enable it only behind a proxy that sets that header.
func RequestContext(trustProxy bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := twofold.NewID()[:12]
		w.Header().Set("X-Request-Id", id)
		c := twofold.Client{IP: remoteIP(r, trustProxy), UserAgent: r.UserAgent()}
		ctx := context.WithValue(r.Context(), requestIDKey, id)
		ctx = context.WithValue(ctx, clientKey, c)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func remoteIP(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			if ip := net.ParseIP(strings.TrimSpace(first)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
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
	return twofold.Client{IP: remoteIP(r, false), UserAgent: r.UserAgent()}
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

package httpx

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/twofold-id/twofold"
)

// Status returns the HTTP status for err.
func Status(err error) int {
	switch twofold.ErrorCode(err) {
	case "":
		return http.StatusOK
	case twofold.EINVALID:
		return http.StatusBadRequest
	case twofold.ENOTFOUND:
		return http.StatusNotFound
	case twofold.ECONFLICT:
		return http.StatusConflict
	case twofold.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case twofold.EFORBIDDEN, twofold.EREAUTH:
		return http.StatusForbidden
	case twofold.EEXPIRED:
		return http.StatusGone
	case twofold.ERATELIMIT:
		return http.StatusTooManyRequests
	case twofold.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// Message returns the words to show for err: the error's own message, or for an
// internal error a sentence with the request's reference so support can find the log.
func Message(r *http.Request, err error) string {
	if twofold.ErrorCode(err) == twofold.EINTERNAL {
		return "Something went wrong on our side (ref " + RequestID(r.Context()) + "). Please try again."
	}
	return twofold.ErrorMessage(err)
}

// LogError logs an internal error with the request reference; other codes are
// expected outcomes and logged at debug level.
func LogError(ctx context.Context, log *slog.Logger, err error) {
	if twofold.ErrorCode(err) == twofold.EINTERNAL {
		log.ErrorContext(ctx, "request failed", "ref", RequestID(ctx), "err", err)
		return
	}
	log.DebugContext(ctx, "request refused", "ref", RequestID(ctx), "code", twofold.ErrorCode(err), "err", err)
}

// SetRetryAfter adds Retry-After for overload and rate-limit answers. A throttle
// that knows when it lifts says so with an error in the chain that has a
// RetryAfter() time.Duration method (the phone back-off); the header is that
// wait rounded up to whole seconds.
func SetRetryAfter(w http.ResponseWriter, err error) {
	switch twofold.ErrorCode(err) {
	case twofold.EUNAVAILABLE:
		w.Header().Set("Retry-After", "1")
	case twofold.ERATELIMIT:
		var wait interface{ RetryAfter() time.Duration }
		if errors.As(err, &wait) && wait.RetryAfter() > 0 {
			w.Header().Set("Retry-After", strconv.FormatInt(int64((wait.RetryAfter()+time.Second-1)/time.Second), 10))
			return
		}
		w.Header().Set("Retry-After", "60")
	}
}

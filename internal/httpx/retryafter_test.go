package httpx

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// waitFor is an error that knows how long the caller must wait, as a throttle's
// error carries it.
type waitFor time.Duration

func (w waitFor) Error() string             { return "wait" }
func (w waitFor) RetryAfter() time.Duration { return time.Duration(w) }

// A throttle that knows its wait gives it, rounded up to whole seconds; one that
// doesn't gets the general minute.
func TestRetryAfterFromError(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&twofold.Error{Code: twofold.ERATELIMIT, Message: "x", Err: waitFor(90 * time.Second)}, "90"},
		{fmt.Errorf("wrapped: %w", &twofold.Error{Code: twofold.ERATELIMIT, Err: waitFor(1500 * time.Millisecond)}), "2"},
		{&twofold.Error{Code: twofold.ERATELIMIT, Err: waitFor(0)}, "60"},
		{twofold.Errorf(twofold.ERATELIMIT, "x"), "60"},
	} {
		rec := httptest.NewRecorder()
		SetRetryAfter(rec, tc.err)
		if got := rec.Header().Get("Retry-After"); got != tc.want {
			t.Errorf("%v: Retry-After %q, want %q", tc.err, got, tc.want)
		}
	}
}

package api

import (
	"net/http"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// wait is a throttle's error that knows when it lifts, as the phone back-off's
// refusal does.
type wait time.Duration

func (w wait) Error() string             { return "wait" }
func (w wait) RetryAfter() time.Duration { return time.Duration(w) }

// A refused text or call says in Retry-After how long the back-off has left,
// not a general minute.
func TestPhoneThrottleRetryAfter(t *testing.T) {
	e := newEnv(t)
	e.signin.result = phoneFlow()
	e.signin.errs["Choose"] = &twofold.Error{Code: twofold.ERATELIMIT,
		Message: "You can ask for another call in 2 minutes.", Err: wait(2 * time.Minute)}
	r := e.do("POST", "/api/v1/signin/"+flowID+"/challenge", `{"methodId":"`+phoneID+`","preference":"voiceMobile"}`, "")
	r.apiError(t, http.StatusTooManyRequests, "too_many_requests")
	if got := r.header.Get("Retry-After"); got != "120" {
		t.Errorf("Retry-After %q, want 120", got)
	}
}

package phone_test

import (
	"fmt"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/testkit"
)

// burst sends n texts to one number at once, each for its own flow, and returns
// how many were accepted; every refusal must be the rate limit.
func burst(t *testing.T, e *env, n int) int {
	t.Helper()
	reqs := make([]phone.Request, n)
	for i := range n {
		reqs[i] = e.req(e.m, fmt.Sprintf("flow:burst-%d", i), twofold.ChannelSMS, testkit.Mobile)
	}
	errs := testkit.Simultaneously(n, func(i int) error {
		_, err := e.k.Phone.Send(e.k.Ctx, reqs[i])
		return err
	})
	sent := 0
	for i, err := range errs {
		switch twofold.ErrorCode(err) {
		case "":
			sent++
		case twofold.ERATELIMIT:
		default:
			t.Errorf("send %d: %v", i, err)
		}
	}
	return sent
}

// A burst of parallel sends to one number (SMS pumping) never gets more texts
// out than the number's daily limit, on every backend.
func TestBurstRespectsNumberLimit(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, testkit.Options{Backend: backend})
			limit := e.org.Policy.Phone.SendsPerNumberPerDay
			sent := burst(t, e, 30)
			msgs := len(e.k.Sent(testkit.Mobile, twofold.ChannelSMS))
			if msgs != sent || msgs > limit || msgs == 0 {
				t.Fatalf("%d sends accepted, %d texts in the outbox; want the same number, 1 to %d", sent, msgs, limit)
			}
		})
	}
}

// A burst gets no more out than the same sends one after another: three, then
// the back-off holds.
func TestBurstRespectsBackoff(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			e := newEnv(t, testkit.Options{Backend: backend})
			sent := burst(t, e, 30)
			if msgs := len(e.k.Sent(testkit.Mobile, twofold.ChannelSMS)); msgs != sent || sent > 3 {
				t.Fatalf("%d sends accepted, %d texts in the outbox; one after another only 3 go out before the back-off", sent, msgs)
			}
		})
	}
}

package signin_test

import (
	"errors"
	"testing"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/testkit"
)

// TestParallelWrongCodesOnOneFlowCheckAtMostFive: a flow allows five wrong
// codes, and a burst of 200 on one flow must not get more than five checked:
// each takes its place in the flow before it is checked, so the member's
// count, which every checked code adds to, ends at most at five.
func TestParallelWrongCodesOnOneFlowCheckAtMostFive(t *testing.T) {
	for _, backend := range testkit.Backends() {
		t.Run(backend, func(t *testing.T) {
			k := testkit.NewWith(t, testkit.Options{Backend: backend})
			m := k.NewMember(k.NewOrg("contoso.com"), "ada")
			c := testkit.Client("198.51.100.47")
			app, _ := k.Enrol(m, c)
			r := startFlow(t, k, m, c, twofold.FlowMFARequired)
			wrong := testkit.WrongCode(app.Secret, k.Clock.Now())
			errs := testkit.Simultaneously(200, func(int) error {
				_, err := k.SignIn.Verify(k.Ctx, r.FlowID, app.MethodID, wrong, c)
				return err
			})
			for i, err := range errs {
				if !isWrongCode(err) && !errors.Is(err, signin.ErrChecksBusy) {
					t.Fatalf("guess %d: %v, want a wrong-code answer or ErrChecksBusy", i, err)
				}
			}
			if n := k.User(m.User.ID).FailedMFA; n > 5 {
				t.Errorf("%d codes checked on one flow in a burst of 200, want at most 5", n)
			}
			_, err := k.SignIn.Verify(k.Ctx, r.FlowID, app.MethodID, k.FreshCode(app), c)
			wantCode(t, "the right code after the burst", err, twofold.EEXPIRED)
		})
	}
}

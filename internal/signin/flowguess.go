package signin

import (
	"context"
	"fmt"

	"github.com/twofold-id/twofold"
)

// flowGuess is one of a flow's FlowMaxAttempts code checks, taken before the
// code is checked: counting after the check would let a burst of codes sent to
// one flow at once all be checked before any of them was counted.
type flowGuess struct {
	s    *Service
	f    *twofold.SignInFlow
	n    int // places taken with this one
	kept bool
}

// ErrChecksBusy refuses a code sent while every check the flow has left is
// taken by codes still being checked. The code was not checked or counted: one
// of those in flight may be right, so the flow is not ended for it.
var ErrChecksBusy = twofold.Errorf(twofold.ECONFLICT,
	"Other codes for this sign-in are being checked. Wait a moment, then try again.")

// takeFlowGuess takes a place in f for checking one code, or returns
// ErrChecksBusy when every place is taken (the last wrong code ends the flow).
func (s *Service) takeFlowGuess(ctx context.Context, f *twofold.SignInFlow) (*flowGuess, error) {
	n, ok, err := s.Store.ReserveFlowAttempt(ctx, f.IDHash, s.cfg.FlowMaxAttempts)
	if err != nil {
		return nil, fmt.Errorf("signin: reserve flow attempt: %w", err)
	}
	if !ok {
		return nil, ErrChecksBusy
	}
	return &flowGuess{s: s, f: f, n: n}, nil
}

// wrong keeps the place of a code found wrong and ends the flow if it was the
// last one, returning ErrTooManyTries then and wrongErr otherwise.
func (g *flowGuess) wrong(ctx context.Context, wrongErr error) error {
	g.kept = true
	if g.n < g.s.cfg.FlowMaxAttempts {
		return wrongErr
	}
	if err := g.s.failFlow(ctx, g.f); err != nil {
		return err
	}
	return ErrTooManyTries
}

// release gives the place back unless wrong kept it: the code was never
// checked, was a replay, or was right. Callers defer it.
func (g *flowGuess) release(ctx context.Context) {
	if g.kept {
		return
	}
	if err := g.s.Store.ReleaseFlowAttempt(context.WithoutCancel(ctx), g.f.IDHash); err != nil {
		g.s.Log.WarnContext(ctx, "sign-in: release flow attempt", "err", err)
	}
}

// failFlow ends a flow whose code checks are used up.
func (s *Service) failFlow(ctx context.Context, f *twofold.SignInFlow) error {
	if _, err := s.Store.FinishFlow(ctx, f.IDHash, f.State, twofold.FlowFailed); err != nil {
		return fmt.Errorf("signin: fail flow: %w", err)
	}
	return nil
}

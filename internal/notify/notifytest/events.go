// Package notifytest holds test doubles for the notify interfaces, shared by
// the provider packages' tests.
package notifytest

import (
	"context"
	"sync"

	"github.com/twofold-id/twofold/internal/notify"
)

// CallEvents is a notify.CallEvents that records every event it is told and
// answers each with Err. Set Err before the events start; it is safe for
// concurrent use.
type CallEvents struct {
	Err error

	mu  sync.Mutex
	got []notify.CallEvent
}

var _ notify.CallEvents = (*CallEvents)(nil)

// CallEvent records e and returns Err.
func (c *CallEvents) CallEvent(_ context.Context, e notify.CallEvent) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.got = append(c.got, e)
	return c.Err
}

// Events returns a copy of the events recorded so far, in order.
func (c *CallEvents) Events() []notify.CallEvent {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]notify.CallEvent(nil), c.got...)
}

package testkit

import (
	"sync"
	"time"
)

// Start is where every Clock begins unless told otherwise: five seconds into a
// 30-second TOTP step, on whole seconds so every backend stores it exactly.
func Start() time.Time { return time.Date(2030, 1, 7, 9, 0, 5, 0, time.UTC) }

// Clock is a fake clock that only moves when the test moves it. It is safe for
// concurrent use, so services may read it from many goroutines.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a Clock reading t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the current fake time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward by d (backward for a negative d) and returns
// the new time.
func (c *Clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}

// AtLeast moves the clock forward to t if it reads earlier, never backward, and
// returns the new time. Concurrent callers only ever push it forward.
func (c *Clock) AtLeast(t time.Time) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t.Before(t) {
		c.t = t
	}
	return c.t
}

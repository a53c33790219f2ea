package password

import (
	"context"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/twofold-id/twofold"
)

// LimitOptions bound the hashing work a Hasher accepts. Each hash holds about
// Params.Memory KiB for its whole run, so Slots × Memory is the peak memory spent
// on hashing, and Queue bounds how many requests stand waiting behind them.
type LimitOptions struct {
	// Slots is how many hashes may run at once; 0 means runtime.GOMAXPROCS(0),
	// since more than one per core only adds latency.
	Slots int
	// Queue is how many callers may wait for a slot beyond Slots; 0 means 1024,
	// a negative value means none may wait.
	Queue int
	// Wait is the longest a caller waits for a slot; 0 means 5 seconds.
	Wait time.Duration
}

func (o LimitOptions) withDefaults() LimitOptions {
	if o.Slots <= 0 {
		o.Slots = runtime.GOMAXPROCS(0)
	}
	switch {
	case o.Queue == 0:
		o.Queue = 1024
	case o.Queue < 0:
		o.Queue = 0
	}
	if o.Wait <= 0 {
		o.Wait = 5 * time.Second
	}
	return o
}

// limiter is a counting semaphore with a bounded, deadline-limited waiting room.
// Waiters block in a channel send, so waiting costs no extra goroutine, and the
// runtime queues blocked senders in arrival order.
type limiter struct {
	slots   chan struct{}
	queue   int64
	wait    time.Duration
	waiting atomic.Int64
}

func newLimiter(o LimitOptions) *limiter {
	return &limiter{slots: make(chan struct{}, o.Slots), queue: int64(o.Queue), wait: o.Wait}
}

// errBusy builds the one overload error; a new value each time so no caller can
// mutate a shared one.
func errBusy(cause error) error {
	return &twofold.Error{
		Code:    twofold.EUNAVAILABLE,
		Message: "We're busy right now. Please try again in a moment.",
		Err:     cause,
	}
}

// acquire takes a slot, waiting at most l.wait and only if the waiting room has
// space. It returns EUNAVAILABLE when the room is full, the wait runs out or ctx
// ends (wrapping the context's cause then). The caller must call release.
func (l *limiter) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return errBusy(context.Cause(ctx))
	}
	select {
	case l.slots <- struct{}{}:
		return nil
	default:
	}
	if l.waiting.Add(1) > l.queue {
		l.waiting.Add(-1)
		return errBusy(nil)
	}
	defer l.waiting.Add(-1)
	timer := time.NewTimer(l.wait)
	defer timer.Stop()
	select {
	case l.slots <- struct{}{}:
		return nil
	case <-timer.C:
		return errBusy(nil)
	case <-ctx.Done():
		return errBusy(context.Cause(ctx))
	}
}

func (l *limiter) release() { <-l.slots }

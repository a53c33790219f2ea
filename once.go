package twofold

import (
	"context"
	"time"
)

// OnceStore records keys that may be used only once: a solved proof-of-work
// challenge, a link in a notice. The record is what makes "once" hold when
// the same key arrives many times at the same instant.
type OnceStore interface {
	// ConsumeOnce records key in one statement and reports true the first time
	// it is called with key and false every time after, however many calls race.
	// expiresAt is when the thing the key names stops being accepted anyway; the
	// record is kept at least until then, so the key stays used while it matters.
	ConsumeOnce(ctx context.Context, key string, expiresAt time.Time) (bool, error)
	// DeleteOnceBefore removes records that expired before t and returns how many.
	DeleteOnceBefore(ctx context.Context, t time.Time) (int, error)
}

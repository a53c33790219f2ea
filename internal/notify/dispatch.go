package notify

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/twofold-id/twofold"
)

// Dispatcher sends the queued mail: every replica runs one, and the queue's
// atomic claim makes sure each mail is being sent by one of them at a time.
// Delivery is at least once: a replica that dies between the mail server's
// acceptance and MailSent leaves the mail to be sent again when its lease ends.
type Dispatcher struct {
	Store  twofold.MailQueue
	Mailer Mailer
	Now    func() time.Time
	Log    *slog.Logger
	// Poll is how often the queue is looked at (default 2 s). Mail is queued
	// inside the transaction of the change it tells of, so it is picked up by
	// polling after the commit rather than by a signal that could come before it.
	Poll time.Duration
	// Batch is how many mails one claim takes (default 10), and Lease how long
	// they stay hidden from other replicas (default 10 min): longer than a batch
	// of sends at the mailer's timeout, so a slow server doesn't cause twins.
	Batch int
	Lease time.Duration
	// MaxAttempts is how many attempts a mail gets before it is given up
	// (default 12: with the back-off, about 6 hours of retrying).
	MaxAttempts int
	// Keep is how long sent and failed mail stays in the database (default 7 days).
	Keep time.Duration
}

func (d *Dispatcher) defaults() {
	if d.Poll <= 0 {
		d.Poll = 2 * time.Second
	}
	if d.Batch <= 0 {
		d.Batch = 10
	}
	if d.Lease <= 0 {
		d.Lease = 10 * time.Minute
	}
	if d.MaxAttempts <= 0 {
		d.MaxAttempts = 12
	}
	if d.Keep <= 0 {
		d.Keep = 7 * 24 * time.Hour
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
}

// Run delivers due mail every Poll and sweeps settled mail hourly, until ctx
// ends.
func (d *Dispatcher) Run(ctx context.Context) {
	d.defaults()
	tick := time.NewTicker(d.Poll)
	defer tick.Stop()
	var swept time.Time
	for {
		if _, err := d.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			d.Log.ErrorContext(ctx, "mail queue: delivery round failed", "err", err)
		}
		if now := d.Now(); now.Sub(swept) >= time.Hour {
			swept = now
			if n, err := d.Store.DeleteSettledMail(ctx, now.Add(-d.Keep)); err != nil && ctx.Err() == nil {
				d.Log.ErrorContext(ctx, "mail queue: sweep failed", "err", err)
			} else if n > 0 {
				d.Log.InfoContext(ctx, "mail queue: swept settled mail", "count", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// DeliverDue claims and sends due mail until none is left, and returns how many
// mails the mail server accepted. An error is a failure of the queue itself; a
// mail that could not be sent is retried or given up, and logged.
func (d *Dispatcher) DeliverDue(ctx context.Context) (int, error) {
	d.defaults()
	sent := 0
	for ctx.Err() == nil {
		now := d.Now()
		batch, err := d.Store.ClaimMail(ctx, now, now.Add(d.Lease), d.Batch)
		if err != nil {
			return sent, err
		}
		for _, m := range batch {
			ok, err := d.deliver(ctx, m)
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
			}
		}
		if len(batch) < d.Batch {
			break
		}
	}
	return sent, nil
}

// deliver sends one claimed mail and settles it: sent, retried later, or given
// up. It reports whether the mail was sent.
func (d *Dispatcher) deliver(ctx context.Context, m *twofold.Message) (bool, error) {
	sendErr := d.Mailer.SendMail(ctx, m)
	// The outcome is recorded even when ctx ended during the send.
	ctx = context.WithoutCancel(ctx)
	now := d.Now()
	log := d.Log.With("message", m.ID, "attempt", m.Attempts)
	switch {
	case sendErr == nil:
		return true, d.Store.MailSent(ctx, m.ID, now)
	case errors.Is(sendErr, ErrMailRejected):
		log.WarnContext(ctx, "mail queue: the mail server refused a mail for good", "err", sendErr)
		return false, d.Store.GiveUpMail(ctx, m.ID, reason(sendErr))
	case m.Attempts >= d.MaxAttempts:
		log.ErrorContext(ctx, "mail queue: giving up a mail after its last attempt", "err", sendErr)
		return false, d.Store.GiveUpMail(ctx, m.ID, reason(sendErr))
	default:
		retry := now.Add(RetryAfter(m.Attempts))
		log.WarnContext(ctx, "mail queue: sending failed; will retry", "err", sendErr, "retry_at", retry)
		return false, d.Store.RetryMail(ctx, m.ID, retry, reason(sendErr))
	}
}

// RetryAfter is the wait after the n-th failed attempt: 30 s, doubling up to an
// hour.
func RetryAfter(n int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// reason is the stored summary of a failure, kept short.
func reason(err error) string {
	const most = 500
	s := err.Error()
	if len(s) > most {
		s = strings.ToValidUTF8(s[:most], "")
	}
	return s
}

package notify_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
	"github.com/twofold-id/twofold/internal/testkit"
)

// fakeMailer records what it was asked to send and fails as its fail says.
type fakeMailer struct {
	mu    sync.Mutex
	calls map[string]int // attempts per message ID
	sent  []*twofold.Message
	fail  func(m *twofold.Message, attempt int) error
}

func (f *fakeMailer) SendMail(_ context.Context, m *twofold.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[m.ID]++
	if f.fail != nil {
		if err := f.fail(m, f.calls[m.ID]); err != nil {
			return err
		}
	}
	f.sent = append(f.sent, m)
	return nil
}

func (f *fakeMailer) attempts(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[id]
}

func (f *fakeMailer) sentCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.sent)
}

var errTemporary = errors.New("smtp: dial tcp 127.0.0.1:25: connection refused")

func forEachBackend(t *testing.T, f func(t *testing.T, backend string)) {
	for _, b := range testkit.Backends() {
		t.Run(b, func(t *testing.T) { f(t, b) })
	}
}

func newKit(t *testing.T, backend string, m *fakeMailer) *testkit.Kit {
	return testkit.NewWith(t, testkit.Options{Backend: backend, Mailer: m})
}

// queue appends n mails through the queue, as the notifier does.
func queue(t *testing.T, k *testkit.Kit, n int) []*twofold.Message {
	t.Helper()
	q := &notify.Queue{Store: k.Store, Now: k.Clock.Now}
	var out []*twofold.Message
	for i := range n {
		m := &twofold.Message{Channel: twofold.ChannelEmail, To: fmt.Sprintf("m%02d@contoso.test", i), Subject: "Hello", Body: "Body"}
		if err := q.Send(k.Ctx, m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func stored(t *testing.T, k *testkit.Kit, id string) *twofold.Message {
	t.Helper()
	m, err := k.Store.MessageByID(k.Ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func deliver(t *testing.T, k *testkit.Kit, want int) {
	t.Helper()
	n, err := k.Mail.DeliverDue(k.Ctx)
	if err != nil {
		t.Fatalf("DeliverDue: %v", err)
	}
	if n != want {
		t.Fatalf("DeliverDue sent %d mails, want %d", n, want)
	}
}

// A security change's notice is queued with the change and delivered once.
func TestQueuedNoticeIsDelivered(t *testing.T) {
	forEachBackend(t, func(t *testing.T, backend string) {
		mailer := &fakeMailer{}
		k := newKit(t, backend, mailer)
		m := k.NewMember(k.NewOrg("contoso.test"), "alex")
		k.Enrol(m, testkit.Client("192.0.2.1"))
		deliver(t, k, 1)
		deliver(t, k, 0)
		if len(mailer.sent) != 1 || mailer.sent[0].To != m.Username() || mailer.sent[0].Subject != "Your security info changed" {
			t.Fatalf("sent %+v, want the member's notice", mailer.sent)
		}
		got := stored(t, k, mailer.sent[0].ID)
		if got.Delivery != twofold.MailSent || got.Attempts != 1 || !got.SentAt.Equal(k.Clock.Now()) {
			t.Errorf("the sent mail is stored as %+v", got)
		}
	})
}

// A notice queued in a transaction that rolls back is never sent.
func TestRolledBackNoticeIsNeverSent(t *testing.T) {
	forEachBackend(t, func(t *testing.T, backend string) {
		mailer := &fakeMailer{}
		k := newKit(t, backend, mailer)
		q := &notify.Queue{Store: k.Store, Now: k.Clock.Now}
		boom := errors.New("the change failed")
		err := k.Store.InTx(k.Ctx, func(ctx context.Context) error {
			if err := q.Send(ctx, &twofold.Message{Channel: twofold.ChannelEmail, To: "a@contoso.test", Body: "x"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx: %v", err)
		}
		deliver(t, k, 0)
		if mailer.sentCount() != 0 {
			t.Errorf("a rolled-back notice was sent")
		}
	})
}

func TestQueueTakesOnlyMail(t *testing.T) {
	k := newKit(t, testkit.SQLite, &fakeMailer{})
	q := &notify.Queue{Store: k.Store, Now: k.Clock.Now}
	if err := q.Send(k.Ctx, &twofold.Message{Channel: twofold.ChannelSMS, To: "+14255551234", Body: "x"}); err == nil {
		t.Fatal("a text was queued as mail")
	}
}

// A temporary failure is retried after the back-off, and recorded meanwhile.
func TestTemporaryFailureIsRetried(t *testing.T) {
	forEachBackend(t, func(t *testing.T, backend string) {
		mailer := &fakeMailer{fail: func(_ *twofold.Message, attempt int) error {
			if attempt <= 2 {
				return errTemporary
			}
			return nil
		}}
		k := newKit(t, backend, mailer)
		m := queue(t, k, 1)[0]
		deliver(t, k, 0)
		if got := stored(t, k, m.ID); got.Delivery != twofold.MailPending || got.Attempts != 1 ||
			got.LastError != errTemporary.Error() || !got.NextAttemptAt.Equal(k.Clock.Now().Add(30*time.Second)) {
			t.Fatalf("after a failed attempt the mail is %+v, want pending until +30s with the reason", got)
		}
		deliver(t, k, 0) // not due yet
		k.Clock.Advance(30 * time.Second)
		deliver(t, k, 0) // the second attempt fails; the next waits a minute
		k.Clock.Advance(59 * time.Second)
		deliver(t, k, 0)
		if n := mailer.attempts(m.ID); n != 2 {
			t.Fatalf("%d attempts before the back-off ended, want 2", n)
		}
		k.Clock.Advance(time.Second)
		deliver(t, k, 1)
		if got := stored(t, k, m.ID); got.Delivery != twofold.MailSent || got.Attempts != 3 {
			t.Errorf("after the third attempt the mail is %+v, want sent", got)
		}
	})
}

// A mail the server refuses for good is given up at once.
func TestRejectedMailIsGivenUp(t *testing.T) {
	forEachBackend(t, func(t *testing.T, backend string) {
		mailer := &fakeMailer{fail: func(*twofold.Message, int) error {
			return fmt.Errorf("smtp: send to nobody@contoso.test: 550 no such user: %w", notify.ErrMailRejected)
		}}
		k := newKit(t, backend, mailer)
		m := queue(t, k, 1)[0]
		deliver(t, k, 0)
		k.Clock.Advance(2 * time.Hour)
		deliver(t, k, 0)
		if n := mailer.attempts(m.ID); n != 1 {
			t.Errorf("%d attempts, want 1", n)
		}
		if got := stored(t, k, m.ID); got.Delivery != twofold.MailFailed || got.LastError == "" {
			t.Errorf("a refused mail is stored as %+v, want failed with the reason", got)
		}
	})
}

func TestGivenUpAfterMaxAttempts(t *testing.T) {
	mailer := &fakeMailer{fail: func(*twofold.Message, int) error { return errTemporary }}
	k := newKit(t, testkit.SQLite, mailer)
	k.Mail.MaxAttempts = 3
	m := queue(t, k, 1)[0]
	for range 5 {
		deliver(t, k, 0)
		k.Clock.Advance(time.Hour)
	}
	if n := mailer.attempts(m.ID); n != 3 {
		t.Errorf("%d attempts, want 3", n)
	}
	if got := stored(t, k, m.ID); got.Delivery != twofold.MailFailed {
		t.Errorf("after its last attempt the mail is %+v, want failed", got)
	}
}

// Several replicas' dispatchers at once send each mail exactly once.
func TestParallelDispatchersSendOnce(t *testing.T) {
	forEachBackend(t, func(t *testing.T, backend string) {
		mailer := &fakeMailer{}
		k := newKit(t, backend, mailer)
		mails := queue(t, k, 40)
		var wg sync.WaitGroup
		for range 4 {
			d := &notify.Dispatcher{Store: k.Store, Mailer: mailer, Now: k.Clock.Now, Batch: 3}
			wg.Go(func() {
				if _, err := d.DeliverDue(k.Ctx); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		for _, m := range mails {
			if n := mailer.attempts(m.ID); n != 1 {
				t.Errorf("mail %s sent %d times, want once", m.To, n)
			}
			if got := stored(t, k, m.ID); got.Delivery != twofold.MailSent {
				t.Errorf("mail %s is %s, want sent", m.To, got.Delivery)
			}
		}
	})
}

// A replica that claimed a mail and died leaves it hidden until its lease ends.
func TestLeaseOfADeadReplica(t *testing.T) {
	mailer := &fakeMailer{}
	k := newKit(t, testkit.SQLite, mailer)
	m := queue(t, k, 1)[0]
	now := k.Clock.Now()
	if claimed, err := k.Store.ClaimMail(k.Ctx, now, now.Add(10*time.Minute), 10); err != nil || len(claimed) != 1 {
		t.Fatalf("ClaimMail: %v, %v", claimed, err)
	}
	deliver(t, k, 0)
	k.Clock.Advance(10 * time.Minute)
	deliver(t, k, 1)
	if got := stored(t, k, m.ID); got.Attempts != 2 {
		t.Errorf("the mail counts %d attempts, want 2 (the dead replica's and this one)", got.Attempts)
	}
}

func TestRunDeliversUntilStopped(t *testing.T) {
	mailer := &fakeMailer{}
	k := newKit(t, testkit.SQLite, mailer)
	k.Mail.Poll = 10 * time.Millisecond
	ctx, cancel := context.WithCancel(k.Ctx)
	done := make(chan struct{})
	go func() { k.Mail.Run(ctx); close(done) }()
	queue(t, k, 2)
	deadline := time.Now().Add(10 * time.Second)
	for mailer.sentCount() < 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	if n := mailer.sentCount(); n != 2 {
		t.Errorf("Run sent %d mails queued while it ran, want 2", n)
	}
}

func TestRetryAfter(t *testing.T) {
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute,
		16 * time.Minute, 32 * time.Minute, time.Hour, time.Hour}
	for i, w := range want {
		if got := notify.RetryAfter(i + 1); got != w {
			t.Errorf("RetryAfter(%d) = %s, want %s", i+1, got, w)
		}
	}
}

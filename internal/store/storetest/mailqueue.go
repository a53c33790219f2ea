package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// mail returns a mail of the fixture's member, created at created, in delivery
// state delivery and due at due, without storing it.
func (f *fixture) mail(id string, delivery twofold.MailDelivery, created, due time.Time) *twofold.Message {
	return &twofold.Message{ID: id, OrgID: f.org.ID, UserID: f.user.ID, Channel: twofold.ChannelEmail,
		To: "ada@example.com", Subject: "Sign-in link", Body: "https://id.example.com/link/" + id,
		CreatedAt: created, Delivery: delivery, NextAttemptAt: due}
}

// appendMail stores f.mail(…) and returns it.
func (f *fixture) appendMail(t *testing.T, id string, delivery twofold.MailDelivery, created, due time.Time) *twofold.Message {
	t.Helper()
	m := f.mail(id, delivery, created, due)
	must(t, "AppendMessage", f.s.AppendMessage(t.Context(), m))
	return m
}

// testMailQueue walks queued mail through claims, leases and settling. Its
// steps build on each other; model holds what the store should hold after each.
func testMailQueue(t *testing.T, f *fixture) {
	s := f.s
	t.Run("RoundTrip", func(t *testing.T) {
		full := &twofold.Message{ID: "mail-full", OrgID: f.org.ID, UserID: f.user.ID, Channel: twofold.ChannelEmail,
			To: "ada@example.com", Subject: "Welcome", Body: "Hello", CreatedAt: at(0), Delivery: twofold.MailFailed,
			Attempts: 7, NextAttemptAt: at(time.Hour), SentAt: at(time.Minute), LastError: "550 5.1.1 no such user"}
		must(t, "AppendMessage", s.AppendMessage(t.Context(), full))
		got, err := s.MessageByID(t.Context(), full.ID)
		must(t, "MessageByID", err)
		same(t, "full mail", *got, *full)
		// The later steps count on knowing every mail.
		n, err := s.DeleteSettledMail(t.Context(), at(time.Second))
		must(t, "DeleteSettledMail", err)
		same(t, "deleted", n, 1)
	})

	// The queue, appended out of order so that insertion order proves nothing:
	// q0…q4 due as created, one not due yet, settled mail whose stale due times
	// have passed, and messages that are not queued at all.
	q := make([]*twofold.Message, 5)
	for _, i := range []int{3, 0, 4, 2, 1} {
		q[i] = f.appendMail(t, fmt.Sprintf("mail-q%d", i), twofold.MailPending,
			at(time.Duration(i)*time.Minute), at(time.Duration(i)*time.Minute))
	}
	later := f.appendMail(t, "mail-later", twofold.MailPending, at(5*time.Minute), at(time.Hour))
	sent := f.mail("mail-sent", twofold.MailSent, at(0), at(0))
	sent.Attempts, sent.SentAt = 1, at(time.Second)
	must(t, "AppendMessage", s.AppendMessage(t.Context(), sent))
	failed := f.appendMail(t, "mail-failed", twofold.MailFailed, at(3*time.Minute), at(0))
	outbox := f.appendMail(t, "mail-outbox", "", at(0), time.Time{})
	text := &twofold.Message{ID: "text-1", OrgID: f.org.ID, UserID: f.user.ID, Channel: twofold.ChannelSMS,
		To: "+14255550100", Body: "Your code is 123456", CreatedAt: at(0)}
	must(t, "AppendMessage", s.AppendMessage(t.Context(), text))
	model := []*twofold.Message{q[0], q[1], q[2], q[3], q[4], later, sent, failed, outbox, text}

	check := func(t *testing.T) {
		t.Helper()
		for _, m := range model {
			got, err := s.MessageByID(t.Context(), m.ID)
			must(t, "MessageByID", err)
			same(t, "stored "+m.ID, *got, *m)
		}
	}
	// claimed records in the model that ms were claimed until lease.
	claimed := func(lease time.Time, ms ...*twofold.Message) []*twofold.Message {
		for _, m := range ms {
			m.Attempts++
			m.NextAttemptAt = lease
		}
		return ms
	}
	for _, tc := range []struct {
		name       string
		now, lease time.Time
		limit      int
		want       []int // indexes into q, oldest first
	}{
		{"NoLimit", at(10 * time.Minute), at(20 * time.Minute), 0, nil},
		{"Limited", at(10 * time.Minute), at(20 * time.Minute), 2, []int{0, 1}},
		{"Rest", at(10 * time.Minute), at(20 * time.Minute), 10, []int{2, 3, 4}},
		{"Leased", at(20*time.Minute - time.Microsecond), at(time.Hour), 10, nil},
		{"LeaseOver", at(20 * time.Minute), at(30 * time.Minute), 10, []int{0, 1, 2, 3, 4}},
	} {
		t.Run("Claim"+tc.name, func(t *testing.T) {
			var want []*twofold.Message
			for _, i := range tc.want {
				want = append(want, q[i])
			}
			got, err := s.ClaimMail(t.Context(), tc.now, tc.lease, tc.limit)
			must(t, "ClaimMail", err)
			same(t, "claimed", got, claimed(tc.lease, want...))
			check(t)
		})
	}
	t.Run("Settle", func(t *testing.T) {
		must(t, "MailSent", s.MailSent(t.Context(), q[0].ID, at(21*time.Minute)))
		q[0].Delivery, q[0].SentAt = twofold.MailSent, at(21*time.Minute)
		must(t, "RetryMail", s.RetryMail(t.Context(), q[1].ID, at(25*time.Minute), "421 4.7.0 try again later"))
		q[1].NextAttemptAt, q[1].LastError = at(25*time.Minute), "421 4.7.0 try again later"
		must(t, "GiveUpMail", s.GiveUpMail(t.Context(), q[2].ID, "550 5.1.1 no such user"))
		q[2].Delivery, q[2].LastError = twofold.MailFailed, "550 5.1.1 no such user"
		check(t)
	})
	t.Run("ClaimRetry", func(t *testing.T) {
		// q3 and q4 are still leased until 30 minutes; the retry keeps its reason.
		got, err := s.ClaimMail(t.Context(), at(25*time.Minute), at(35*time.Minute), 10)
		must(t, "ClaimMail", err)
		same(t, "claimed", got, claimed(at(35*time.Minute), q[1]))
		check(t)
	})
	t.Run("LateFailureOfATwin", func(t *testing.T) {
		// A replica whose lease ran out reports its failure after another sent
		// q0: the mail stays sent, so it is not queued or failed again.
		must(t, "RetryMail", s.RetryMail(t.Context(), q[0].ID, at(40*time.Minute), "timeout"))
		must(t, "GiveUpMail", s.GiveUpMail(t.Context(), q[0].ID, "timeout"))
		q[0].LastError = "timeout"
		check(t)
	})
	t.Run("NotFound", func(t *testing.T) {
		for _, id := range []string{"mail-missing", outbox.ID, text.ID} {
			wantCode(t, "MailSent of "+id, s.MailSent(t.Context(), id, at(time.Hour)), twofold.ENOTFOUND)
			wantCode(t, "RetryMail of "+id, s.RetryMail(t.Context(), id, at(time.Hour), "x"), twofold.ENOTFOUND)
			wantCode(t, "GiveUpMail of "+id, s.GiveUpMail(t.Context(), id, "x"), twofold.ENOTFOUND)
		}
		check(t)
	})
	t.Run("DeleteSettled", func(t *testing.T) {
		// Strictly before: q0 and sent (created at 0) go, q2 (2 minutes) stays.
		n, err := s.DeleteSettledMail(t.Context(), at(2*time.Minute))
		must(t, "DeleteSettledMail", err)
		same(t, "deleted", n, 2)
		n, err = s.DeleteSettledMail(t.Context(), at(2*time.Hour))
		must(t, "DeleteSettledMail", err)
		same(t, "deleted later", n, 2) // q2 and failed
		n, err = s.DeleteSettledMail(t.Context(), at(2*time.Hour))
		must(t, "DeleteSettledMail", err)
		same(t, "deleted again", n, 0)
		list, err := s.ListMessages(t.Context(), "", 100)
		must(t, "ListMessages", err)
		var ids []string
		for _, m := range list {
			ids = append(ids, m.ID)
		}
		slices.Sort(ids)
		same(t, "kept", ids, []string{later.ID, outbox.ID, q[1].ID, q[3].ID, q[4].ID, text.ID})
		model = []*twofold.Message{q[1], q[3], q[4], later, outbox, text}
		check(t)
	})
}

// Claimers and batch size of the mail queue race: many more claims than mails
// per claimer, so the claimers keep meeting.
const (
	mailClaimers = 8
	mailBatch    = 3
	mailsQueued  = 50
)

// testMailQueueRace has claimers claim due mail in batches until none is left:
// every mail must be claimed exactly once.
func testMailQueueRace(t *testing.T, f *fixture) {
	var want []string
	for i := range mailsQueued {
		id := fmt.Sprintf("mail-race-%02d", i)
		f.appendMail(t, id, twofold.MailPending, at(time.Duration(i)*time.Second), at(0))
		want = append(want, id)
	}
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		got   = make([][]*twofold.Message, mailClaimers)
		errs  = make([]error, mailClaimers)
	)
	for i := range mailClaimers {
		wg.Go(func() {
			<-start
			for {
				batch, err := f.s.ClaimMail(t.Context(), at(time.Minute), at(time.Hour), mailBatch)
				if err != nil || len(batch) == 0 {
					errs[i] = err
					return
				}
				got[i] = append(got[i], batch...)
			}
		})
	}
	close(start)
	wg.Wait()
	var ids []string
	for i, batch := range got {
		if errs[i] != nil {
			t.Fatalf("claimer %d: %v", i, errs[i])
		}
		for _, m := range batch {
			if m.Attempts != 1 {
				t.Errorf("%s claimed with %d attempts, want 1", m.ID, m.Attempts)
			}
			ids = append(ids, m.ID)
		}
	}
	slices.Sort(ids)
	same(t, "claimed mails", ids, want)
	left, err := f.s.ClaimMail(t.Context(), at(time.Minute), at(time.Hour), mailsQueued)
	must(t, "ClaimMail", err)
	same(t, "left to claim", len(left), 0)
}

package outbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
	"github.com/twofold-id/twofold/internal/notify/notifytest"
	"github.com/twofold-id/twofold/internal/notify/outbox"
)

var t0 = time.Date(2026, 3, 1, 9, 30, 0, 0, time.FixedZone("CET", 3600))

func newProvider() (*outbox.Provider, *memStore, *notifytest.CallEvents) {
	st := &memStore{}
	rec := &notifytest.CallEvents{}
	p := outbox.New(st, func() time.Time { return t0 })
	p.SetEvents(rec)
	return p, st, rec
}

func TestSendStoresMail(t *testing.T) {
	p, st, _ := newProvider()
	m := &twofold.Message{Channel: twofold.ChannelEmail, To: "ana@contoso.test", Subject: "Hi", Body: "Hello"}
	if err := p.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if m.ID == "" || !m.CreatedAt.Equal(t0) || m.CreatedAt.Location() != time.UTC {
		t.Fatalf("Send set ID %q CreatedAt %v, want an ID and %v in UTC", m.ID, m.CreatedAt, t0)
	}
	got, err := st.MessageByID(context.Background(), m.ID)
	if err != nil || got.Subject != "Hi" || got.To != "ana@contoso.test" {
		t.Fatalf("stored %+v, %v", got, err)
	}
}

func TestSendText(t *testing.T) {
	p, st, _ := newProvider()
	ref, err := p.SendText(context.Background(), notify.Text{OrgID: "o1", UserID: "u1", To: "+14255551234", Body: "Your code is 123456"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := st.MessageByID(context.Background(), ref)
	if err != nil {
		t.Fatalf("ref %q is not the message ID: %v", ref, err)
	}
	want := twofold.Message{ID: ref, OrgID: "o1", UserID: "u1", Channel: twofold.ChannelSMS, To: "+14255551234",
		Body: "Your code is 123456", CreatedAt: t0.UTC()}
	if *m != want {
		t.Fatalf("stored %+v\nwant   %+v", *m, want)
	}
}

func TestPlaceCall(t *testing.T) {
	p, st, _ := newProvider()
	ref, err := p.PlaceCall(context.Background(), notify.Call{ChallengeID: "ch1", OrgID: "o1", UserID: "u1",
		To: "+14255551234", Prompt: "Please press the pound key to finish your verification.", Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	m, err := st.MessageByID(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	want := twofold.Message{ID: ref, OrgID: "o1", UserID: "u1", Channel: twofold.ChannelVoice, To: "+14255551234",
		Body: "Please press the pound key to finish your verification.", ChallengeID: "ch1",
		CallState: twofold.CallRinging, CreatedAt: t0.UTC()}
	if *m != want {
		t.Fatalf("stored %+v\nwant   %+v", *m, want)
	}
}

func TestList(t *testing.T) {
	p, _, _ := newProvider()
	ctx := context.Background()
	for _, to := range []string{"+14255550001", "+14255550002", "+14255550001"} {
		if _, err := p.SendText(ctx, notify.Text{To: to, Body: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := p.List(ctx, "", 10)
	if err != nil || len(all) != 3 {
		t.Fatalf("List all = %d messages, %v; want 3", len(all), err)
	}
	one, err := p.List(ctx, "+14255550001", 10)
	if err != nil || len(one) != 2 {
		t.Fatalf("List to one number = %d messages, %v; want 2", len(one), err)
	}
	if lim, _ := p.List(ctx, "", 1); len(lim) != 1 {
		t.Fatalf("List with limit 1 = %d messages", len(lim))
	}
}

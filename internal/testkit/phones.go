package testkit

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
)

// Numbers tests use: valid under libphonenumber's rules, so Parse accepts them.
const (
	Mobile  = "+14255551234" // US, fixed line or mobile: texts and calls
	Mobile2 = "+14255550100"
	Office  = "+442079460018" // UK fixed line: calls only
	UKMob   = "+447400123456" // UK mobile
)

// AddPhone stores an active phone of type t with the E.164 number for m,
// directly in the store, as if it had been verified, and returns it. It does
// not change the member's default sign-in method (see SetDefault).
func (k *Kit) AddPhone(m *Member, t twofold.PhoneType, number string) *twofold.Method {
	k.TB.Helper()
	now := k.Clock.Now().UTC()
	ph := &twofold.Method{
		ID: twofold.NewID(), UserID: m.User.ID, Kind: twofold.KindPhone, State: twofold.MethodActive,
		Name: string(t), PhoneNumber: number, PhoneType: t, CreatedAt: now, ActivatedAt: now,
	}
	if err := k.Store.CreateMethod(k.Ctx, ph); err != nil {
		k.TB.Fatalf("testkit: add %s phone %s: %v", t, number, err)
	}
	return ph
}

// SetDefault sets m's default sign-in method directly in the store.
func (k *Kit) SetDefault(m *Member, pref twofold.SignInPreference) {
	k.TB.Helper()
	if err := k.Store.SetPreferredMethod(k.Ctx, m.User.ID, pref); err != nil {
		k.TB.Fatalf("testkit: set default %s: %v", pref, err)
	}
	m.User.PreferredMethod = pref
}

// IssueSession starts a session for m as a finished sign-in would, with the
// second factor proven now with mfaMethodID ("" for none), and returns its token.
func (k *Kit) IssueSession(m *Member, mfaMethodID string, c twofold.Client) string {
	k.TB.Helper()
	now := k.Clock.Now().UTC()
	var mfaAt time.Time // zero: no second factor proven
	if mfaMethodID != "" {
		mfaAt = now
	}
	token, _, err := k.Session.Issue(k.Ctx, k.User(m.User.ID), now, mfaAt, mfaMethodID, c)
	if err != nil {
		k.TB.Fatalf("testkit: issue session: %v", err)
	}
	return token
}

// codeRE finds the 6-digit code in a text ("123456 is your … code").
var codeRE = regexp.MustCompile(`\b(\d{6})\b`)

// CodeIn returns the 6-digit code in the text m, failing the test if there is
// none or more than one.
func (k *Kit) CodeIn(m *twofold.Message) string {
	k.TB.Helper()
	if m.Channel != twofold.ChannelSMS {
		k.TB.Fatalf("testkit: message %s is a %s, not a text", m.ID, m.Channel)
	}
	found := codeRE.FindAllString(m.Body, -1)
	if len(found) != 1 {
		k.TB.Fatalf("testkit: text %q holds %d codes, want exactly 1", m.Body, len(found))
	}
	return found[0]
}

// Message returns the outbox message whose ID is ref (a challenge's Ref).
func (k *Kit) Message(ref string) *twofold.Message {
	k.TB.Helper()
	m, err := k.Store.MessageByID(k.Ctx, ref)
	if err != nil {
		k.TB.Fatalf("testkit: outbox message %q: %v", ref, err)
	}
	return m
}

// Code returns the code texted for challenge ch, read from the outbox message
// the challenge names as its Ref: exact even when several texts went out at one
// fake instant.
func (k *Kit) Code(ch *twofold.Challenge) string {
	k.TB.Helper()
	if ch == nil {
		k.TB.Fatalf("testkit: code of a nil challenge")
	}
	m := k.Message(ch.Ref)
	if m.To != ch.PhoneNumber {
		k.TB.Fatalf("testkit: text %s went to %s, the challenge to %s", m.ID, m.To, ch.PhoneNumber)
	}
	return k.CodeIn(m)
}

// Call returns the outbox call placed for challenge ch.
func (k *Kit) Call(ch *twofold.Challenge) *twofold.Message {
	k.TB.Helper()
	if ch == nil {
		k.TB.Fatalf("testkit: call of a nil challenge")
	}
	m := k.Message(ch.Ref)
	if m.Channel != twofold.ChannelVoice || m.ChallengeID != ch.ID {
		k.TB.Fatalf("testkit: message %s is not the call of challenge %s: %+v", m.ID, ch.ID, m)
	}
	return m
}

// Sent returns the outbox messages to number (or address) on channel ("" for
// all), newest first.
func (k *Kit) Sent(to, channel string) []*twofold.Message {
	k.TB.Helper()
	ms, err := k.Store.ListMessages(k.Ctx, to, 1000)
	if err != nil {
		k.TB.Fatalf("testkit: list messages to %s: %v", to, err)
	}
	var out []*twofold.Message
	for _, m := range ms {
		if channel == "" || m.Channel == channel {
			out = append(out, m)
		}
	}
	return out
}

// newest returns the first of ms, failing the test when there is none or when
// the next one has the same time: messages made at one fake instant have no
// order, so the test must advance the clock between them or use Code/Call.
func (k *Kit) newest(ms []*twofold.Message, what string) *twofold.Message {
	k.TB.Helper()
	if len(ms) == 0 {
		k.TB.Fatalf("testkit: no %s in the outbox", what)
	}
	if len(ms) > 1 && ms[1].CreatedAt.Equal(ms[0].CreatedAt) {
		k.TB.Fatalf("testkit: two %ss at %v: advance the clock between them, or use Code/Call with the challenge", what, ms[0].CreatedAt)
	}
	return ms[0]
}

// LastText returns the newest verification text to number: security
// notices texted to a mobile are left out.
func (k *Kit) LastText(number string) *twofold.Message {
	k.TB.Helper()
	var texts []*twofold.Message
	for _, m := range k.Sent(number, twofold.ChannelSMS) {
		if !strings.HasPrefix(m.Body, notify.NoticeTextPrefix) {
			texts = append(texts, m)
		}
	}
	return k.newest(texts, "text to "+number)
}

// LastCode returns the code in the newest text to number.
func (k *Kit) LastCode(number string) string {
	k.TB.Helper()
	return k.CodeIn(k.LastText(number))
}

// RingingCall returns the newest call to number that is still ringing.
func (k *Kit) RingingCall(number string) *twofold.Message {
	k.TB.Helper()
	var ringing []*twofold.Message
	for _, m := range k.Sent(number, twofold.ChannelVoice) {
		if m.CallState == twofold.CallRinging {
			ringing = append(ringing, m)
		}
	}
	return k.newest(ringing, "ringing call to "+number)
}

// AnswerAndPress plays the callee of the outbox call m: picks up, then presses
// digits ("#" to verify, "0#" to report fraud).
func (k *Kit) AnswerAndPress(m *twofold.Message, digits string) {
	k.TB.Helper()
	if err := k.Outbox.Answer(k.Ctx, m.ID); err != nil {
		k.TB.Fatalf("testkit: answer call %s: %v", m.ID, err)
	}
	if err := k.Outbox.Press(k.Ctx, m.ID, digits); err != nil {
		k.TB.Fatalf("testkit: press %q on call %s: %v", digits, m.ID, err)
	}
}

// Challenge reloads a challenge from the store.
func (k *Kit) Challenge(id string) *twofold.Challenge {
	k.TB.Helper()
	c, err := k.Store.ChallengeByID(k.Ctx, id)
	if err != nil {
		k.TB.Fatalf("testkit: load challenge %s: %v", id, err)
	}
	return c
}

// ErrProviderDown is what BrokenPhone answers.
var ErrProviderDown = errors.New("testkit: provider down")

// BrokenPhone is a provider of texts and calls that is down: every send fails.
// Pass it as Options.Provider.
type BrokenPhone struct {
	tries atomic.Int64
}

var _ notify.Phone = (*BrokenPhone)(nil)

// SendText fails.
func (p *BrokenPhone) SendText(context.Context, notify.Text) (string, error) {
	p.tries.Add(1)
	return "", ErrProviderDown
}

// PlaceCall fails.
func (p *BrokenPhone) PlaceCall(context.Context, notify.Call) (string, error) {
	p.tries.Add(1)
	return "", ErrProviderDown
}

// EndCall fails.
func (p *BrokenPhone) EndCall(context.Context, string) error { return ErrProviderDown }

// Tries returns how many texts and calls were attempted.
func (p *BrokenPhone) Tries() int { return int(p.tries.Load()) }

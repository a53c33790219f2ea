package notify

import (
	"context"
	"time"
)

// Text is a text message to a phone.
type Text struct {
	OrgID  string
	UserID string
	To     string // E.164
	Body   string
}

// Call is a verification call: the provider rings To, says Prompt, and reports
// what happened through CallEvents, naming ChallengeID.
type Call struct {
	ChallengeID string
	OrgID       string
	UserID      string
	To          string // E.164
	Prompt      string // "Please press the pound key to finish your verification."
	// Timeout is how long the phone may ring before the call counts as unanswered.
	Timeout time.Duration
}

// Phone delivers texts and places calls. Each returns the provider's reference for
// the text or call, or an error when the provider refused or could not be reached.
type Phone interface {
	SendText(ctx context.Context, t Text) (ref string, err error)
	PlaceCall(ctx context.Context, c Call) (ref string, err error)
	// EndCall hangs up the call ref that PlaceCall returned, ringing or answered,
	// because the member canceled. Nothing is reported back for it. A call that
	// has already ended is not an error; an error means the provider refused or
	// could not be reached.
	EndCall(ctx context.Context, ref string) error
}

// CallEventKind is what happened on a verification call.
type CallEventKind string

// The call events a provider reports.
const (
	CallAnswered CallEventKind = "answered" // the callee picked up
	CallKeys     CallEventKind = "keys"     // the callee pressed Digits and the call is done
	CallNoAnswer CallEventKind = "no-answer"
	CallBusy     CallEventKind = "busy"
	CallHungUp   CallEventKind = "hung-up" // answered, then ended without a key
	CallFailed   CallEventKind = "failed"  // the provider could not place the call
	// CallCompleted is the provider's last word on a call; it changes nothing when a
	// key was already reported, and otherwise ends the call as hung up.
	CallCompleted CallEventKind = "completed"
)

// CallEvent is one report about a call.
type CallEvent struct {
	ChallengeID string
	Kind        CallEventKind
	// Digits are the keys pressed, in order, for CallKeys: "#" verifies, "0#"
	// reports fraud, anything else is a wrong key.
	Digits string
}

// CallEvents receives call reports from providers (webhooks, the dev outbox).
type CallEvents interface {
	// CallEvent applies e. Returns ENOTFOUND for an unknown challenge; an event for a
	// call that already ended is ignored without error.
	CallEvent(ctx context.Context, e CallEvent) error
}

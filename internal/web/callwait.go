package web

import (
	"errors"
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/phone"
)

// The pages that wait for a verification call (sign-in, re-verify, a new number)
// share one shape: a live region saying where the call stands, a form that
// finishes the step, and static/call-wait.js, which polls a status URL every two
// seconds and submits the form once the call got its "#". Without script the
// form's button ("I've answered the call") does the same.

// callWait is what the "call-wait" partial needs.
type callWait struct {
	StatusURL string // the JSON status endpoint the script polls
	FormID    string // the form the script submits when the call is verified
	Message   string // where the call stands now
}

// callStatus is the JSON of a status endpoint. Done says the waiting is over: the
// call was verified (the script submits the form) or ended (the page reloads and
// says why).
type callStatus struct {
	State   twofold.ChallengeState `json:"state"`
	Message string                 `json:"message"`
	Done    bool                   `json:"done"`
}

// Fraud sentences, per page: what a fraud report stopped.
const (
	fraudSignin   = "You reported this call as fraud, so we stopped this sign-in. Contact your help desk."
	fraudAccount  = "You reported this call as fraud, so we stopped here. Contact your help desk."
	reasonUnknown = "The call didn't go through."
)

// callMessage says where the challenge ch to number stands, in the words of the
// waiting region.
func callMessage(ch *twofold.Challenge, number, fraud string) string {
	switch ch.State {
	case twofold.ChallengeSent:
		if ch.Channel == twofold.ChannelSMS {
			return "We texted a code to " + number + "."
		}
		return "We're calling " + number + " now. Answer the call to continue."
	case twofold.ChallengeAnswered:
		return "You answered the call. When it asks, press # (the pound key)."
	case twofold.ChallengeVerified, twofold.ChallengeUsed:
		if ch.Channel == twofold.ChannelSMS {
			return "Code accepted."
		}
		return "Call answered."
	case twofold.ChallengeFraud:
		return fraud
	}
	if ch.Reason != "" {
		return ch.Reason
	}
	return reasonUnknown
}

func newCallStatus(ch *twofold.Challenge, number, fraud string) callStatus {
	return callStatus{
		State:   ch.State,
		Message: callMessage(ch, number, fraud),
		Done:    ch.State != twofold.ChallengeSent && ch.State != twofold.ChallengeAnswered,
	}
}

// waiting reports whether the call ch is still ringing or answered, or got its
// "#" and waits to be taken: the states a waiting page polls in.
func waiting(ch *twofold.Challenge) bool {
	if ch == nil {
		return false
	}
	return ch.State == twofold.ChallengeSent || ch.State == twofold.ChallengeAnswered || ch.State == twofold.ChallengeVerified
}

// writeStatus answers a status endpoint. Status reads never change state; the
// answer is never cached, since it changes within seconds.
func (h *handler) writeStatus(w http.ResponseWriter, r *http.Request, st callStatus, err error) {
	if err != nil {
		httpx.WriteJSONError(w, r, h.log, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, st)
}

// pageFailure reports whether err is one no phone form can help with. A provider
// that could not reach the phone is EUNAVAILABLE like an overloaded server, but
// its sentence ("We couldn't reach your phone right now…") belongs on the form,
// next to the other ways to go on.
func pageFailure(err error) bool {
	return hardFailure(err) && !errors.Is(err, phone.ErrUnavailable)
}

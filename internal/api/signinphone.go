package api

import (
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
)

// errNoChallenge answers a status request for a flow that has sent no text or call.
var errNoChallenge = twofold.Errorf(twofold.ENOTFOUND,
	"No text or call has been sent for this sign-in. Choose one with POST "+prefix+"/signin/{flowId}/challenge.")

// signinChoose is "Sign in another way" with a phone: the text goes out or the
// call is placed now, and the answer is the flow with its new challenge.
func (h *handler) signinChoose(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "flowId")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in choiceInput
	if err := in.read(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.Signin.Choose(r.Context(), id, in.MethodID, in.Preference, httpx.Client(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusAccepted, h.resultView(r, res))
}

// signinChallenge shows where the flow's newest text or call stands, for polling
// while a call rings. A call is read through CallStatus, which also answers for a
// flow that a fraud report ended; a text is read from the flow itself.
func (h *handler) signinChallenge(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "flowId")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.Signin.CallStatus(r.Context(), id)
	if twofold.ErrorCode(err) == twofold.ENOTFOUND {
		// Not a call: a text, or nothing sent yet.
		res, err = h.Signin.Resume(r.Context(), id)
		if err == nil && res.Challenge == nil {
			err = errNoChallenge
		}
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newChallengeView(res.Challenge))
}

// signinCompleteCall signs the member in once the flow's call got its "#"; 409
// while the call still rings.
func (h *handler) signinCompleteCall(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "flowId")
	if err == nil {
		err = readOptionalJSON(w, r, &struct{}{})
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.Signin.CompleteCall(r.Context(), id, httpx.Client(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, h.resultView(r, res))
}

// phonePreferences are the sign-in preferences that send something to a phone.
var phonePreferences = []string{
	string(twofold.PreferenceSMS), string(twofold.PreferenceVoice),
	string(twofold.PreferenceVoiceAlternate), string(twofold.PreferenceVoiceOffice),
}

// choiceInput picks a phone and how to reach it: the body of the sign-in's and
// re-verification's challenge calls.
type choiceInput struct {
	MethodID   string                   `json:"methodId"`
	Preference twofold.SignInPreference `json:"preference"`
}

func (in *choiceInput) read(w http.ResponseWriter, r *http.Request) error {
	if err := httpx.ReadJSON(w, r, in); err != nil {
		return err
	}
	return firstErr(
		required("methodId", in.MethodID), bodyID("methodId", in.MethodID),
		required("preference", string(in.Preference)), oneOf("preference", string(in.Preference), phonePreferences...),
	)
}

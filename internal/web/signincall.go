package web

import (
	"errors"
	"net/http"

	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/signin"
)

// signinCallStatus is the JSON the sign-in call page polls: where the flow's
// call stands. The flow is the flow cookie's, never a parameter, so its bearer ID
// stays out of URLs and logs.
func (h *handler) signinCallStatus(w http.ResponseWriter, r *http.Request) {
	res, err := h.Signin.CallStatus(r.Context(), value(r, h.cookies.flow))
	var st callStatus
	if err == nil {
		st = newCallStatus(res.Challenge, phone.Mask(res.Challenge.PhoneNumber), fraudSignin)
	}
	h.writeStatus(w, r, st, err)
}

// callSubmit finishes the sign-in once the call got its "#": submitted by the
// page's script, or by "I've answered the call" without it.
func (h *handler) callSubmit(w http.ResponseWriter, r *http.Request) {
	id := value(r, h.cookies.flow)
	if id == "" {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	res, err := h.Signin.CompleteCall(r.Context(), id, httpx.Client(r))
	switch {
	case err == nil:
		h.advance(w, r, res)
		return
	// A failed call is EEXPIRED too, but only the call is over; the flow's own
	// errors say the sign-in is.
	case errors.Is(err, signin.ErrFlowGone), errors.Is(err, signin.ErrTooManyTries):
		h.endFlow(w, r, id, err)
		return
	case hardFailure(err):
		h.fail(w, r, err)
		return
	case callRedirects(err):
		// Still ringing, failed, or no call: the page shows the call as it stands.
		http.Redirect(w, r, afterCall("/signin/verify", err), http.StatusSeeOther)
		return
	}
	h.renderVerify(w, r, "", "", err)
}

package api

import (
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
)

// None of these calls needs a fresh second factor: they are how a member gets one.

// reverifyOptions lists the ways the member can verify again, numbers masked:
// the session may be stale, and a stale session sees no full numbers.
func (h *handler) reverifyOptions(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	opts, err := h.SecurityInfo.ReverifyOptions(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := collection[optionView]{Value: []optionView{}}
	for _, o := range opts {
		out.Value = append(out.Value, newOptionView(o))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// reverify checks a current code and opens the fresh-MFA window for changes:
// without methodId a code from any authenticator app, with a phone's methodId
// the code texted by POST …/verify/challenge (the use case decides which). It
// answers with the session's new token.
func (h *handler) reverify(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	var in struct {
		MethodID string `json:"methodId"`
		Code     string `json:"code"`
	}
	if err := readRequired(w, r, &in, "code", &in.Code); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := bodyID("methodId", in.MethodID); err != nil {
		h.fail(w, r, err)
		return
	}
	token, err := h.SecurityInfo.Reverify(r.Context(), p, in.MethodID, in.Code)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newReverifiedView(token, p))
}

// reverifiedView answers a re-verification with the session's new token, as a
// sign-in answers with its first: re-verifying is re-authenticating, so the
// token the request came with stops working and this one replaces it.
type reverifiedView struct {
	SessionToken    string `json:"sessionToken"`
	ExpiresDateTime string `json:"expiresDateTime"`
}

func newReverifiedView(token string, p *twofold.Principal) reverifiedView {
	return reverifiedView{SessionToken: token, ExpiresDateTime: dateTime(p.Session.ExpiresAt)}
}

// reverifyChallenge texts or calls one of the member's phones to verify again.
func (h *handler) reverifyChallenge(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	var in choiceInput
	if err := in.read(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.SecurityInfo.ReverifyByPhone(r.Context(), p, in.MethodID, in.Preference)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusAccepted, newReverifyView(c))
}

// reverifyStatus shows where the session's re-verification text or call stands.
func (h *handler) reverifyStatus(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	c, err := h.SecurityInfo.ReverifyStatus(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newReverifyView(c))
}

// reverifyCall opens the fresh-MFA window once the re-verification call got its
// "#" and answers with the session's new token; 409 while it still rings.
func (h *handler) reverifyCall(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	if err := readOptionalJSON(w, r, &struct{}{}); err != nil {
		h.fail(w, r, err)
		return
	}
	token, err := h.SecurityInfo.ReverifyCall(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newReverifiedView(token, p))
}

// newReverifyView is a re-verification challenge with its ID, number masked.
func newReverifyView(c *twofold.Challenge) *challengeView {
	v := newChallengeView(c)
	v.ID = c.ID
	return v
}

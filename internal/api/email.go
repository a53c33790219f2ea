package api

import (
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/securityinfo"
)

const emailsPath = "/me/authentication/emailMethods"

// emailView is Graph's emailAuthenticationMethod: the member's own address.
type emailView struct {
	ID           string `json:"id"`
	EmailAddress string `json:"emailAddress"`
}

func newEmailView(m *twofold.Method) emailView { return emailView{ID: m.ID, EmailAddress: m.Email} }

// emailVerificationView is a code mailed to prove an address being added or
// changed, shown to the member who typed it.
type emailVerificationView struct {
	ID              string                 `json:"id"`
	State           twofold.ChallengeState `json:"state"`
	EmailAddress    string                 `json:"emailAddress"`
	ExpiresDateTime string                 `json:"expiresDateTime"`
}

func newEmailVerificationView(c *twofold.Challenge) emailVerificationView {
	return emailVerificationView{ID: c.ID, State: c.State, EmailAddress: c.Email, ExpiresDateTime: dateTime(c.ExpiresAt)}
}

// emailInput is the body that adds an email or changes its address.
type emailInput struct {
	EmailAddress string `json:"emailAddress"`
}

// listEmails lists the member's email (at most one) as Graph
// emailAuthenticationMethods.
func (h *handler) listEmails(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	o, err := h.SecurityInfo.Overview(r.Context(), p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	out := collection[emailView]{Value: []emailView{}}
	for _, row := range o.Methods {
		if row.Method.Kind == twofold.KindEmail {
			out.Value = append(out.Value, newEmailView(row.Method))
		}
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// getEmail shows the email; another kind's ID is not found here.
func (h *handler) getEmail(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	m, err := h.email(r, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, newEmailView(m))
}

// deleteEmail removes the email; another kind's ID is not found here.
func (h *handler) deleteEmail(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	m, err := h.email(r, p)
	if err == nil {
		err = h.SecurityInfo.Delete(r.Context(), p, m.ID)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// email returns the member's email named by the path's id, or ENOTFOUND.
func (h *handler) email(r *http.Request, p *twofold.Principal) (*twofold.Method, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	m, err := h.SecurityInfo.Method(r.Context(), p, id)
	if err != nil {
		return nil, err
	}
	if m.Kind != twofold.KindEmail {
		return nil, errNotFound
	}
	return m, nil
}

// addEmail starts adding an email: a code is mailed to the address, and
// nothing is saved until POST …/emailMethods/{verificationId}/verify.
func (h *handler) addEmail(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	h.beginEmail(w, r, p, "")
}

// changeEmail starts changing the email's address; the new address is proven
// like a new one's before it replaces the old.
func (h *handler) changeEmail(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	m, err := h.email(r, p)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.beginEmail(w, r, p, m.ID)
}

// beginEmail answers 202 with the verification; its ID goes to …/{id}/verify.
func (h *handler) beginEmail(w http.ResponseWriter, r *http.Request, p *twofold.Principal, methodID string) {
	var in emailInput
	if err := httpx.ReadJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := required("emailAddress", in.EmailAddress); err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.SecurityInfo.BeginEmail(r.Context(), p, securityinfo.EmailRequest{Address: in.EmailAddress, MethodID: methodID})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusAccepted, struct {
		Verification emailVerificationView `json:"verification"`
	}{newEmailVerificationView(c)})
}

// verifyEmail saves the address the mailed code proves: 201 with the new
// email, or 200 with the changed one.
func (h *handler) verifyEmail(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var in struct {
		Code string `json:"code"`
	}
	if err := httpx.ReadJSON(w, r, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := required("code", in.Code); err != nil {
		h.fail(w, r, err)
		return
	}
	// The verification says whether this adds an email or changes one.
	c, err := h.SecurityInfo.EmailPending(r.Context(), p, id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	m, err := h.SecurityInfo.FinishEmail(r.Context(), p, id, in.Code)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if c.MethodID == "" {
		status = http.StatusCreated
		w.Header().Set("Location", prefix+emailsPath+"/"+m.ID)
	}
	httpx.WriteJSON(w, status, newEmailView(m))
}

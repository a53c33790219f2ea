package web

import (
	"net/http"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/webauthn"
)

// keyView is the step that names a security key and asks the browser for it.
type keyView struct {
	Page
	Ceremony *webauthn.Challenge
	Name     string
}

func (keyView) template() string { return "key" }

// keyDoneView says the key was registered.
type keyDoneView struct {
	Page
	Method *twofold.Method
}

func (keyDoneView) template() string { return "key-done" }

// renameView is the small form that renames a security key.
type renameView struct {
	Page
	Method *twofold.Method
	Name   string
}

func (renameView) template() string { return "key-rename" }

// keyPage starts a ceremony and shows the name field with the Continue button.
// A ceremony is not a change to the member's account: it is a single-use
// challenge that expires unused, as a form token would.
func (h *handler) keyPage(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	h.renderKey(w, r, p, http.StatusOK, "", nil)
}

// renderKey shows the key step with a fresh ceremony (the last one was used up
// by the answer), keeping the name and the problem.
func (h *handler) renderKey(w http.ResponseWriter, r *http.Request, p *twofold.Principal, status int, name string, errs formErrors) {
	c, err := h.SecurityInfo.BeginKey(r.Context(), p)
	switch {
	case err == nil:
	case twofold.ErrorCode(err) == twofold.EINTERNAL || twofold.ErrorCode(err) == twofold.EREAUTH:
		h.securityFail(w, r, err)
		return
	default:
		// Not possible now (no other method yet, the limit, an address keys
		// cannot use): say why on the choice, where another method is at hand.
		h.renderAdd(w, r, p, formStatus(w, err), twofold.KindFido2, errorsFrom(err, "kind", "kind"))
		return
	}
	v := keyView{Page: accountPage(p, "Add a security key", "security-info"), Ceremony: c, Name: name}
	v.Errors = errs
	h.render(w, r, status, v)
}

// keySubmit saves the key the browser answered with. A post without an answer
// (Enter in the name field, or no script) asks for the browser's steps.
func (h *handler) keySubmit(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	name, credential := r.PostFormValue("name"), r.PostFormValue("credential")
	if credential == "" {
		h.renderKey(w, r, p, http.StatusBadRequest, name, formErrors{{Field: "key-start", Message: "Choose Continue, then follow your browser's steps to use your security key."}})
		return
	}
	m, err := h.SecurityInfo.FinishKey(r.Context(), p, r.PostFormValue("ceremony"), name, credential)
	switch {
	case err == nil:
		http.Redirect(w, r, "/my/security-info/key/"+m.ID+"/done", http.StatusSeeOther)
	case hardFailure(err) || twofold.ErrorCode(err) == twofold.EREAUTH:
		h.securityFail(w, r, err)
	default:
		h.renderKey(w, r, p, formStatus(w, err), name, errorsFrom(err, "key-start", "name"))
	}
}

// keyMethod returns the member's security key named in the path; another
// kind's method is not found here.
func (h *handler) keyMethod(r *http.Request, p *twofold.Principal) (*twofold.Method, error) {
	m, err := h.SecurityInfo.Method(r.Context(), p, r.PathValue("id"))
	if err == nil && m.Kind != twofold.KindFido2 {
		err = twofold.Errorf(twofold.ENOTFOUND, "That security key was not found.")
	}
	return m, err
}

func (h *handler) keyDone(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	m, err := h.keyMethod(r, p)
	if err != nil {
		h.securityFail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, keyDoneView{Page: accountPage(p, "Security key registered", "security-info"), Method: m})
}

func (h *handler) renamePage(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	h.renderRename(w, r, p, http.StatusOK, nil, nil)
}

// renderRename shows the rename form; name is what was typed, nil for the
// key's current name.
func (h *handler) renderRename(w http.ResponseWriter, r *http.Request, p *twofold.Principal, status int, name *string, errs formErrors) {
	m, err := h.keyMethod(r, p)
	if err != nil {
		h.securityFail(w, r, err)
		return
	}
	v := renameView{Page: accountPage(p, "Rename security key", "security-info"), Method: m, Name: m.Name}
	if name != nil {
		v.Name = *name
	}
	v.Errors = errs
	h.render(w, r, status, v)
}

func (h *handler) renameSubmit(w http.ResponseWriter, r *http.Request, p *twofold.Principal) {
	name := r.PostFormValue("name")
	err := h.SecurityInfo.RenameKey(r.Context(), p, r.PathValue("id"), name)
	switch {
	case err == nil:
		http.Redirect(w, r, "/my/security-info?m="+noticeKeyRenamed, http.StatusSeeOther)
	case hardFailure(err) || twofold.ErrorCode(err) == twofold.EREAUTH || twofold.ErrorCode(err) == twofold.ENOTFOUND:
		h.securityFail(w, r, err)
	default:
		h.renderRename(w, r, p, formStatus(w, err), &name, errorsFrom(err, "name", "name"))
	}
}

// KeyDates says when a security key was added and, once known, last used, for
// its row on Security info; "" for other kinds. A key never seen in use says
// nothing of it rather than "never used", which a missed update would make a
// false statement.
func (securityInfoView) KeyDates(m *twofold.Method) string {
	if m.Kind != twofold.KindFido2 {
		return ""
	}
	added := m.ActivatedAt
	if added.IsZero() {
		added = m.CreatedAt
	}
	s := "Added " + added.UTC().Format(dateFormat)
	if !m.LastUsedAt.IsZero() {
		s += ", last used " + m.LastUsedAt.UTC().Format(dateFormat)
	}
	return s
}

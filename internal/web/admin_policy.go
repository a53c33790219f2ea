package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/admin"
)

// policyConsoleRoutes registers the console's policy, audit log and report
// pages. The policy is for admins only (the use case refuses the help desk,
// who get the 403 page); the audit log and the report are for both.
func (h *handler) policyConsoleRoutes(mux *http.ServeMux) {
	if h.Console.Policies != nil {
		mux.HandleFunc("GET /admin/policy", h.staff(h.policyPage))
		mux.HandleFunc("POST /admin/policy", h.staff(h.policyReview))
		mux.HandleFunc("POST /admin/policy/save", h.staff(h.policySave))
	}
	if h.Console.AuditLog != nil {
		mux.HandleFunc("GET /admin/audit", h.staff(h.auditPage))
	}
	if h.Console.Registrations != nil {
		mux.HandleFunc("GET /admin/report", h.staff(h.registrationReport))
		mux.HandleFunc("GET /admin/report.csv", h.staff(h.registrationReportCSV))
		mux.HandleFunc("GET /admin/report/members.csv", h.staff(h.registrationMembersCSV))
	}
}

// policyView is the policy form: every setting, grouped in fieldsets.
type policyView struct {
	Page
	Sections []policySection
	// Base is the fingerprint of the policy the form started from.
	Base string
}

func (policyView) template() string { return "admin-policy" }

// policyConfirmView shows what saving would change, with the whole form
// carried in hidden fields so Save sends exactly what was reviewed.
type policyConfirmView struct {
	Page
	Changes []admin.PolicyChange
	Hidden  []hiddenField
}

func (policyConfirmView) template() string { return "admin-policy-confirm" }

// hiddenField is one name and value a confirmation page sends on.
type hiddenField struct{ Name, Value string }

func (h *handler) policyPage(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor) {
	org, err := h.Console.Policies.Policy(r.Context(), a, "")
	if err != nil {
		h.consoleFail(w, r, p, err, "/admin/policy")
		return
	}
	if draft, ok := h.takeDraft(w, r, a.UserID); ok {
		v := policyView{Page: staffPage(p, a, "Authentication methods policy", "policy"),
			Sections: withIDs(fillFrom(policySections(org.Policy), draft)), Base: draft.Get("base")}
		v.Notice = "Your changes are back, not saved yet. Review them again to save them."
		h.render(w, r, http.StatusOK, v)
		return
	}
	v := policyView{Page: staffPage(p, a, "Authentication methods policy", "policy"), Sections: withIDs(policySections(org.Policy)),
		Base: policyFingerprint(org.Policy)}
	if r.URL.Query().Get("m") == "saved" {
		v.Notice = "The policy was saved."
	}
	h.render(w, r, http.StatusOK, v)
}

// policyReview checks the submitted form and shows every problem at once, or
// the changes to confirm.
func (h *handler) policyReview(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor) {
	_ = r.ParseForm() // a body cut off at the limit reads as empty fields, refused below
	org, err := h.Console.Policies.Policy(r.Context(), a, "")
	if err != nil {
		h.consoleFail(w, r, p, err, "/admin/policy")
		return
	}
	if h.changedMeanwhile(w, r, p, a, org.Policy) {
		return
	}
	next, problems := checkedPolicy(org.Policy, r.PostForm)
	if r.PostForm.Has("edit") || len(problems) > 0 {
		h.policyForm(w, r, p, a, problems)
		return
	}
	changes := admin.PolicyDiff(org.Policy, next)
	if len(changes) == 0 {
		v := policyView{Page: staffPage(p, a, "Authentication methods policy", "policy"),
			Sections: withIDs(fillFrom(policySections(org.Policy), r.PostForm)), Base: policyFingerprint(org.Policy)}
		v.Notice = "Nothing to save: the form matches the policy in force."
		h.render(w, r, http.StatusOK, v)
		return
	}
	v := policyConfirmView{Page: staffPage(p, a, "Review the policy changes", "policy"), Changes: changes}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range r.PostForm {
			if k != "edit" && !yield(k) {
				return
			}
		}
	}) {
		for _, val := range r.PostForm[name] {
			v.Hidden = append(v.Hidden, hiddenField{name, val})
		}
	}
	h.render(w, r, http.StatusOK, v)
}

// policySave stores the reviewed form. The use case checks it again: the
// policy may have changed, or the admin's second factor grown stale, since
// the review.
func (h *handler) policySave(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor) {
	_ = r.ParseForm() // a body cut off at the limit reads as empty fields, refused below
	org, err := h.Console.Policies.Policy(r.Context(), a, "")
	if err != nil {
		h.consoleFail(w, r, p, err, "/admin/policy")
		return
	}
	if h.changedMeanwhile(w, r, p, a, org.Policy) {
		return
	}
	next, problems := checkedPolicy(org.Policy, r.PostForm)
	if len(problems) > 0 {
		h.policyForm(w, r, p, a, problems)
		return
	}
	if _, err := h.Console.Policies.SetPolicy(r.Context(), a, "", next); err != nil {
		if list := admin.Problems(err); len(list) > 0 {
			h.policyForm(w, r, p, a, fieldErrorsOf(list))
			return
		}
		if twofold.ErrorCode(err) == twofold.EREAUTH {
			form := cloneForm(r.PostForm)
			form.Del("edit")
			h.keepDraft(w, a.UserID, form)
		}
		h.consoleFail(w, r, p, err, "/admin/policy")
		return
	}
	http.Redirect(w, r, "/admin/policy?m=saved", http.StatusSeeOther)
}

// policyForm shows the form again as typed, with every problem.
func (h *handler) policyForm(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor, problems formErrors) {
	sections := withIDs(fillFrom(policySections(twofold.Policy{}), r.PostForm))
	for i := range sections {
		for j := range sections[i].Fields {
			f := &sections[i].Fields[j]
			f.Error = problems.For(f.Name)
		}
	}
	v := policyView{Page: staffPage(p, a, "Authentication methods policy", "policy"), Sections: sections, Base: r.PostForm.Get("base")}
	for _, e := range problems {
		v.Errors = append(v.Errors, fieldError{Field: firstInput(sections, e.Field), Message: e.Message})
	}
	status := http.StatusOK
	if len(problems) > 0 {
		status = formStatus(w, twofold.FieldError("", ""))
	}
	h.render(w, r, status, v)
}

// changedMeanwhile answers a form filled from a policy that is no longer in
// force (another admin saved since): the form comes back as typed, now based
// on the current policy, with a problem saying so, and reports true. Saving
// it as it was would silently undo the other admin's changes.
func (h *handler) changedMeanwhile(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor, current twofold.Policy) bool {
	base := policyFingerprint(current)
	if r.PostForm.Get("base") == base {
		return false
	}
	v := policyView{Page: staffPage(p, a, "Authentication methods policy", "policy"),
		Sections: withIDs(fillFrom(policySections(current), r.PostForm)), Base: base}
	v.Errors = formErrors{{Message: "Someone changed the policy after you opened this form, so nothing was saved. " +
		"The form still holds your values: check each setting against the policy now in force, then review again."}}
	h.render(w, r, http.StatusConflict, v)
	return true
}

// checkedPolicy reads the form into a copy of current and returns it with
// every problem: values that don't parse, then the use case's own checks,
// each setting named once.
func checkedPolicy(current twofold.Policy, form url.Values) (twofold.Policy, formErrors) {
	next, problems := parsePolicy(current, form)
	for _, e := range fieldErrorsOf(admin.PolicyProblems(next)) {
		if problems.For(e.Field) == "" {
			problems = append(problems, e)
		}
	}
	// The summary lists problems in the form's order, top to bottom.
	order := map[string]int{}
	for _, s := range policySections(current) {
		for _, f := range s.Fields {
			order[f.Name] = len(order)
		}
	}
	slices.SortStableFunc(problems, func(a, b fieldError) int { return order[a.Field] - order[b.Field] })
	return next, problems
}

// fieldErrorsOf turns the policy's problems into form errors by setting
// name; "phone" (no kind of phone allowed) is shown at the first phone box.
func fieldErrorsOf(list []error) formErrors {
	var out formErrors
	for _, err := range list {
		field := twofold.ErrorField(err)
		if field == "phone" {
			field = "phone.text"
		}
		out = append(out, fieldError{Field: field, Message: twofold.ErrorMessage(err)})
	}
	return out
}

// cloneForm copies a form, so keeping it never changes the request's own.
func cloneForm(v url.Values) url.Values {
	c := url.Values{}
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}

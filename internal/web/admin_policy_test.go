package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// The help desk may not see or change the policy: the 403 page, and nothing
// changes.
func TestConsolePolicyIsForAdminsOnly(t *testing.T) {
	e := newPolicyConsoleEnv(t)
	wantBody(t, e.do("GET", "/admin/policy", nil, asHelpdesk), http.StatusForbidden, "You don&#39;t have access to this page")
	form := policyForm(twofold.DefaultPolicy())
	form.Set("lockoutThreshold", "5")
	wantBody(t, e.do("POST", "/admin/policy", form, asHelpdesk), http.StatusForbidden)
	wantBody(t, e.do("POST", "/admin/policy/save", form, asHelpdesk), http.StatusForbidden)
	wantBody(t, e.do("GET", "/admin/policy", nil, asMember), http.StatusForbidden)
	wantRedirect(t, e.do("GET", "/admin/policy", nil), "/signin")
	wantChanges(t, e.rec)
}

// The form holds every setting of the policy, each with a label.
func TestConsolePolicyFormHasEverySetting(t *testing.T) {
	e := newPolicyConsoleEnv(t)
	w := e.do("GET", "/admin/policy", nil, asAdmin)
	wantBody(t, w, http.StatusOK, "Authentication methods policy", "NIST SP 800-63B", `<legend class="section-legend">Phones</legend>`)
	for name := range policyForm(twofold.DefaultPolicy()) {
		if !strings.Contains(w.Body.String(), `name="`+name+`"`) {
			t.Errorf("the form lacks %s", name)
		}
	}
	for _, name := range []string{"phone.text", "temporaryAccessPass.oneTimeOnly", "passkeySignIn", "allowedAAGUIDs",
		"securityQuestions.custom", "phone.allowedCountryCodes", "helpdeskContact", "reset.methodsRequired"} {
		if !strings.Contains(w.Body.String(), `name="`+name+`"`) {
			t.Errorf("the form lacks %s", name)
		}
	}
}

// A form with several bad values comes back with every problem listed at
// once, each linked to its field, and what was typed kept.
func TestConsolePolicyListsEveryProblemAtOnce(t *testing.T) {
	e := newPolicyConsoleEnv(t)
	form := policyForm(twofold.DefaultPolicy())
	form.Set("lockoutThreshold", "1")
	form.Set("maxAuthenticatorApps", "9")
	form.Set("securityQuestions.toRegister", "7")
	form.Set("phone.sendsPerOrgPerDay", "lots")
	form.Set("mfaBlockDuration", "forever")
	form["enabledMethods"] = []string{"phone", "email"}
	w := e.do("POST", "/admin/policy", form, asAdmin)
	wantBody(t, w, http.StatusBadRequest, "There is a problem",
		`<a href="#lockoutThreshold">The lockout threshold must be between 3 and 100 failed attempts.</a>`,
		`<a href="#maxAuthenticatorApps">The number of authenticator apps must be between 1 and 5.</a>`,
		`<a href="#securityQuestions-toRegister">Members register between 3 and 5 security questions.</a>`,
		`<a href="#phone-sendsPerOrgPerDay">Texts and calls per organization per day: enter a whole number.</a>`,
		`<a href="#mfaBlockDuration">Sign-in codes stay blocked for: enter a length such as 30s, 10m, 1h or 7d.</a>`,
		`<a href="#enabledMethods-softwareOath">Texts and calls can be intercepted`,
		`value="lots"`, `value="forever"`, `aria-invalid="true"`)
	if n := strings.Count(w.Body.String(), `<li><a href="#`); n != 6 {
		t.Errorf("%d problems listed, want 6", n)
	}
	wantChanges(t, e.rec)
}

// A valid change shows the diff first; Save stores exactly what was reviewed.
func TestConsolePolicyReviewThenSave(t *testing.T) {
	e := newPolicyConsoleEnv(t)
	form := policyForm(twofold.DefaultPolicy())
	form.Set("lockoutThreshold", "5")
	form.Set("phone.allowedCountryCodes", "1, 44")
	form.Set("mfaBlockDuration", "2h")
	w := e.do("POST", "/admin/policy", form, asAdmin)
	wantBody(t, w, http.StatusOK, "Review the policy changes", "3 settings change",
		`<tr data-field="lockoutThreshold"><th scope="row">Wrong passwords before a lockout</th><td>10</td><td>5</td></tr>`,
		`<td>any</td><td>1, 44</td>`, `<td>1h</td><td>2h</td>`,
		`<input type="hidden" name="lockoutThreshold" value="5">`, `action="/admin/policy/save"`)
	wantChanges(t, e.rec)

	// "Change something" brings the form back as typed.
	edit := cloneForm(form)
	edit.Set("edit", "1")
	wantBody(t, e.do("POST", "/admin/policy", edit, asAdmin), http.StatusOK, `id="lockoutThreshold" name="lockoutThreshold" value="5"`)
	wantChanges(t, e.rec)

	// A stale second factor: verify again, and the edits wait in a cookie
	// for this admin's return to the form.
	w = e.do("POST", "/admin/policy/save", form, asStale)
	wantRedirect(t, w, "/my/verify?next=%2Fadmin%2Fpolicy")
	wantChanges(t, e.rec)
	draft := cookie(t, w, "__Secure-twofold_policy_draft")
	if draft == nil || draft.Path != "/admin/policy" || !draft.HttpOnly || draft.SameSite != http.SameSiteStrictMode {
		t.Fatalf("draft cookie %+v", draft)
	}
	back := e.do("GET", "/admin/policy", nil, asStale, "__Secure-twofold_policy_draft="+draft.Value)
	wantBody(t, back, http.StatusOK, "Your changes are back", `id="lockoutThreshold" name="lockoutThreshold" value="5"`, `value="1, 44"`)
	if c := cookie(t, back, "__Secure-twofold_policy_draft"); c == nil || c.MaxAge >= 0 {
		t.Errorf("the draft was not deleted once read: %+v", c)
	}
	// Someone else's draft is not theirs to see.
	wantBody(t, e.do("GET", "/admin/policy", nil, asAdmin, "__Secure-twofold_policy_draft="+draft.Value), http.StatusOK, `id="lockoutThreshold" name="lockoutThreshold" value="10"`)
	wantRedirect(t, e.do("POST", "/admin/policy/save", form, asAdmin), "/admin/policy?m=saved")
	wantChanges(t, e.rec, "policy phone.allowedCountryCodes 1, 44", "policy lockoutThreshold 5", "policy mfaBlockDuration 2h")
	if e.policies.policy.MFABlockDuration != twofold.Duration(2*time.Hour) {
		t.Errorf("stored %v", e.policies.policy.MFABlockDuration)
	}
	wantBody(t, e.do("GET", "/admin/policy?m=saved", nil, asAdmin), http.StatusOK, "The policy was saved.", `value="5"`)

	// The form as the saved policy fills it changes nothing.
	wantBody(t, e.do("POST", "/admin/policy", policyForm(e.policies.policy), asAdmin), http.StatusOK, "Nothing to save")

	// A form opened before someone else saved can't undo their change: it
	// comes back as typed, based on the policy now in force.
	stale := policyForm(twofold.DefaultPolicy())
	stale.Set("helpdeskContact", "Ask Ada")
	for _, path := range []string{"/admin/policy", "/admin/policy/save"} {
		w = e.do("POST", path, stale, asAdmin)
		wantBody(t, w, http.StatusConflict, "Someone changed the policy after you opened this form", `value="Ask Ada"`,
			`name="base" value="`+policyFingerprint(e.policies.policy)+`"`)
	}
	wantChanges(t, e.rec, "policy phone.allowedCountryCodes 1, 44", "policy lockoutThreshold 5", "policy mfaBlockDuration 2h")
}

func TestParseLasting(t *testing.T) {
	for in, want := range map[string]time.Duration{"30s": 30 * time.Second, "90m": 90 * time.Minute, "7d": 7 * 24 * time.Hour, " 1h ": time.Hour, "0s": 0} {
		if got, ok := parseLasting(in); !ok || got != want {
			t.Errorf("parseLasting(%q) = %v %v, want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "soon", "-1h", "1.5d", "99999d"} {
		if _, ok := parseLasting(in); ok {
			t.Errorf("parseLasting(%q) accepted", in)
		}
	}
}

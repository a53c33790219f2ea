package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/admin"
	"github.com/twofold-id/twofold/internal/methodkind"
)

// memberView is one member's page: who they are, what stops them signing in,
// their security info (never a secret or an answer) and the actions the
// staff member may take.
type memberView struct {
	Page
	*admin.MemberView
	Name    string
	Role    string
	Status  []string
	Methods []consoleMethod
	// Admin is set when the staff member is an admin: they may change roles.
	Admin bool
	Roles []option
	// Self is set on the staff member's own page.
	Self    bool
	Blocked bool // a lockout or a block runs now: Unblock is offered
	Passes  bool // the console can issue Temporary Access Passes
	// PassesOff is set when the policy has passes off: the page says so
	// instead of offering one.
	PassesOff bool
	ThisRole  string
}

func (memberView) template() string { return "admin-member" }

// consoleMethod is one method as the console lists it.
type consoleMethod struct {
	ID, Label, Detail, Added string
	Deletable                bool
}

func consoleMethods(ms []*twofold.Method) []consoleMethod {
	var out []consoleMethod
	for _, m := range ms {
		c := consoleMethod{ID: m.ID, Label: kindLabel(m.Kind), Deletable: m.Kind != twofold.KindPassword}
		if m.Kind == twofold.KindTemporaryAccessPass {
			c.Detail = "Ends " + m.ExpiresAt.UTC().Format("2 Jan 2006, 15:04 MST")
			if m.UsableOnce {
				c.Detail += ", one sign-in only"
			}
		} else if _, detail := methodkind.Of(m.Kind).Row(m); detail != c.Label {
			c.Detail = detail // an app keeps its default name, which says nothing more
		}
		if !m.CreatedAt.IsZero() {
			c.Added = m.CreatedAt.UTC().Format("2 Jan 2006")
		}
		out = append(out, c)
	}
	return out
}

// memberPath is the page of member id.
func memberPath(id string) string { return "/admin/members/" + id }

func (h *handler) loadMember(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor) (*memberView, bool) {
	id := r.PathValue("id")
	mv, err := h.Console.Members.Member(r.Context(), a, id)
	if err != nil {
		h.consoleFail(w, r, p, err, memberPath(id))
		return nil, false
	}
	now := h.Now()
	v := &memberView{Page: staffPage(p, a, displayName(mv.User), "members"), MemberView: mv,
		Name: displayName(mv.User), Role: roleLabel(mv.User.Role), ThisRole: string(mv.User.Role),
		Status:  userStatus(mv.User, !mv.ResetBlockedUntil.IsZero() && mv.ResetBlockedUntil.After(now), now),
		Methods: consoleMethods(mv.Methods), Admin: a.Role == twofold.RoleAdmin, Roles: roleOptions[1:],
		Self: mv.User.ID == p.User.ID, Blocked: mv.Locked || mv.MFABlocked || mv.ResetBlockedUntil.After(now),
		Passes: h.Console.AccessPasses != nil, PassesOff: !p.Org.Policy.MethodEnabled(twofold.KindTemporaryAccessPass)}
	return v, true
}

func (h *handler) memberPage(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor) {
	v, ok := h.loadMember(w, r, p, a)
	if !ok {
		return
	}
	q := r.URL.Query()
	v.Notice = consoleNotice(q.Get("m"))
	if q.Get("m") == noticeUnblocked {
		v.Notice = unblockedNotice(q.Get("lifted"))
	}
	if n, err := strconv.Atoi(q.Get("n")); err == nil && n >= 0 {
		v.Notice = countedNotice(q.Get("m"), n, v.Notice)
	}
	h.render(w, r, http.StatusOK, v)
}

// confirmView asks before a change the member will feel, in plain words, with
// the safe answer focused.
type confirmView struct {
	Page
	Question, Detail, Yes, Action, Back string
	Danger                              bool
}

func (confirmView) template() string { return "admin-confirm" }

// confirmations are the member actions that ask first, by action name.
var confirmations = map[string]func(name string, v *memberView) confirmView{
	"disable": func(n string, _ *memberView) confirmView {
		return confirmView{Question: "Disable " + n + "?", Yes: "Disable", Danger: true,
			Detail: n + " won't be able to sign in or reset their password until the account is enabled again."}
	},
	"reset-password": func(n string, _ *memberView) confirmView {
		return confirmView{Question: "Reset " + n + "'s password?", Yes: "Reset password", Danger: true,
			Detail: "Their current password stops working now. You'll see a temporary password once, to give them; they must choose their own when they sign in."}
	},
	"require-reregistration": func(n string, v *memberView) confirmView {
		return confirmView{Question: "Require " + n + " to register security info again?", Yes: "Require registration", Danger: true,
			Detail: "You can't undo this. Their authenticator apps, phones, security keys, email and security questions are deleted, and they'll be asked to register again when they next sign in."}
	},
	"revoke-sessions": func(n string, v *memberView) confirmView {
		return confirmView{Question: "Sign " + n + " out everywhere?", Yes: "Sign out everywhere", Danger: true,
			Detail: n + " is signed out of every browser and app, and must sign in again."}
	},
}

func (h *handler) memberConfirmPage(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor) {
	ask, ok := confirmations[r.PathValue("action")]
	if !ok {
		h.notFound(w, r)
		return
	}
	mv, ok := h.loadMember(w, r, p, a)
	if !ok {
		return
	}
	v := ask(mv.Name, mv)
	v.Page = staffPage(p, a, v.Question, "members")
	v.Action = memberPath(mv.User.ID) + "/" + r.PathValue("action")
	v.Back = memberPath(mv.User.ID)
	h.render(w, r, http.StatusOK, v)
}

// memberActionSubmit carries out one action on the member. Each use case
// checks the role, the organization and the fresh second factor itself.
func (h *handler) memberActionSubmit(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor) {
	id, action := r.PathValue("id"), r.PathValue("action")
	ctx, m := r.Context(), h.Console.Members
	back := memberPath(id)
	var err error
	done := back
	switch action {
	case "disable", "enable":
		err = m.SetEnabled(ctx, a, id, action == "enable")
		done += "?m=" + action + "d"
	case "reset-password":
		var pw string
		if pw, err = m.ResetPassword(ctx, a, id); err == nil {
			h.setShown(w, shownSecret{UserID: id, Kind: shownPassword, Secret: pw})
			done = back + "/shown"
		}
	case "require-reregistration":
		var n int
		if n, err = m.RequireReregistration(ctx, a, id); err == nil {
			done += "?m=" + noticeReregister + "&n=" + strconv.Itoa(n)
		}
	case "revoke-sessions":
		var n int
		if n, err = m.RevokeSessions(ctx, a, id); err == nil {
			done += "?m=" + noticeRevoked + "&n=" + strconv.Itoa(n)
		}
	case "unblock":
		var u admin.Unblocked
		if u, err = m.Unblock(ctx, a, id); err == nil {
			done += "?m=" + noticeUnblocked + "&lifted=" + lifted(u)
		}
	case "role":
		err = m.SetRole(ctx, a, id, twofold.Role(r.PostFormValue("role")))
		done += "?m=" + noticeRole
	default:
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.memberActionFailed(w, r, p, a, err)
		return
	}
	http.Redirect(w, r, done, http.StatusSeeOther)
}

// memberActionFailed shows a refused change on the member's page (the last
// enabled admin, a role that isn't one); a stale second factor, a refusal by
// role and our own failures get their pages.
func (h *handler) memberActionFailed(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor, err error) {
	switch twofold.ErrorCode(err) {
	case twofold.EINVALID, twofold.ECONFLICT, twofold.ERATELIMIT:
	default:
		h.consoleFail(w, r, p, err, memberPath(r.PathValue("id")))
		return
	}
	v, ok := h.loadMember(w, r, p, a)
	if !ok {
		return
	}
	v.Errors = errorsFrom(err, "", "role")
	h.render(w, r, formStatus(w, err), v)
}

// methodDeleteView asks before deleting one of the member's methods.
type methodDeleteView struct {
	Page
	Name   string
	Method consoleMethod
	Action string
	Back   string
}

func (methodDeleteView) template() string { return "admin-method-delete" }

func (h *handler) memberMethodDeletePage(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor) {
	mv, ok := h.loadMember(w, r, p, a)
	if !ok {
		return
	}
	for _, m := range mv.Methods {
		if m.ID == r.PathValue("method") && m.Deletable {
			v := methodDeleteView{Page: staffPage(p, a, "Delete "+strings.ToLower(m.Label), "members"), Name: mv.Name, Method: m,
				Action: memberPath(mv.User.ID) + "/methods/" + m.ID + "/delete", Back: memberPath(mv.User.ID)}
			h.render(w, r, http.StatusOK, v)
			return
		}
	}
	h.notFound(w, r)
}

func (h *handler) memberMethodDeleteSubmit(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor) {
	id := r.PathValue("id")
	if err := h.Console.Members.DeleteMethod(r.Context(), a, id, r.PathValue("method")); err != nil {
		h.memberActionFailed(w, r, p, a, err)
		return
	}
	http.Redirect(w, r, memberPath(id)+"?m="+noticeMethodDeleted, http.StatusSeeOther)
}

// The notices of the member pages, by the m parameter of the page after a change.
const (
	noticeCreated       = "created"
	noticeReregister    = "reregister"
	noticeRevoked       = "revoked"
	noticeUnblocked     = "unblocked"
	noticeRole          = "role"
	noticeMethodDeleted = "method-deleted"
)

var consoleNotices = map[string]string{
	"disabled":          "The account is disabled. They can't sign in until it's enabled again.",
	"enabled":           "The account is enabled. They can sign in again.",
	noticeCreated:       "The member was created.",
	noticeReregister:    "Their security info was deleted. They'll register again when they next sign in.",
	noticeRevoked:       "They were signed out everywhere.",
	noticeRole:          "Their role was changed.",
	noticeMethodDeleted: "The method was deleted.",
}

// consoleNotice returns the notice for key, or "" for a key it doesn't know, so
// the URL can't put words on the page.
func consoleNotice(key string) string { return consoleNotices[key] }

func countedNotice(key string, n int, fallback string) string {
	plural := func(one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return strconv.Itoa(n) + " " + many
	}
	switch key {
	case noticeReregister:
		return plural("method was", "methods were") + " deleted. They'll register security info again when they next sign in."
	case noticeRevoked:
		return "They were signed out of " + plural("session", "sessions") + "."
	}
	return fallback
}

// lifted names what Unblock lifted, for the notice after it.
func lifted(u admin.Unblocked) string {
	var s []string
	if u.Lockout {
		s = append(s, "lockout")
	}
	if u.MFA {
		s = append(s, "mfa")
	}
	if u.Reset {
		s = append(s, "reset")
	}
	return strings.Join(s, ".")
}

func unblockedNotice(what string) string {
	names := map[string]string{"lockout": "the password lockout", "mfa": "the sign-in code block", "reset": "the password reset block"}
	var s []string
	for _, w := range strings.Split(what, ".") {
		if n, ok := names[w]; ok {
			s = append(s, n)
		}
	}
	if len(s) == 0 {
		return "Nothing was blocked."
	}
	return "Lifted " + strings.Join(s, ", ") + "."
}

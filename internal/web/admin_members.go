package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/admin"
	"github.com/twofold-id/twofold/internal/methodkind"
)

// memberConsoleRoutes registers the console's member pages. Every change is a
// POST; GET pages only read, and the confirmation of each change is a GET page
// with the safe answer focused.
func (h *handler) memberConsoleRoutes(mux *http.ServeMux) {
	if h.Console.Members == nil {
		return
	}
	mux.HandleFunc("GET /admin", h.staff(h.consoleHome))
	mux.HandleFunc("GET /admin/{$}", h.staff(h.consoleHome))
	mux.HandleFunc("GET /admin/members", h.staff(h.membersPage))
	mux.HandleFunc("GET /admin/members/new", h.staff(h.memberNewPage))
	mux.HandleFunc("POST /admin/members/new", h.staff(h.memberNewSubmit))
	mux.HandleFunc("GET /admin/members/{id}", h.staff(h.memberPage))
	mux.HandleFunc("GET /admin/members/{id}/shown", h.staff(h.memberShownPage))
	mux.HandleFunc("GET /admin/members/{id}/confirm/{action}", h.staff(h.memberConfirmPage))
	mux.HandleFunc("POST /admin/members/{id}/{action}", h.staff(h.memberActionSubmit))
	mux.HandleFunc("GET /admin/members/{id}/methods/{method}/delete", h.staff(h.memberMethodDeletePage))
	mux.HandleFunc("POST /admin/members/{id}/methods/{method}/delete", h.staff(h.memberMethodDeleteSubmit))
	if h.Console.AccessPasses != nil {
		mux.HandleFunc("GET /admin/members/{id}/tap", h.staff(h.tapPage))
		mux.HandleFunc("POST /admin/members/{id}/tap", h.staff(h.tapSubmit))
	}
}

func (h *handler) consoleHome(w http.ResponseWriter, r *http.Request, _ *twofold.Principal, _ *twofold.Actor) {
	http.Redirect(w, r, "/admin/members", http.StatusSeeOther)
}

// membersView is the member list: a search form and one page of members.
type membersView struct {
	Page
	Query    admin.UserQuery
	Statuses []option
	Kinds    []option
	Roles    []option
	Rows     []memberRow
	// Next is the link to the next page, "" on the last; Prev and First are
	// set on any page after the first.
	Next, Prev, First string
	now               time.Time
}

func (membersView) template() string { return "admin-members" }

// option is one choice of a select.
type option struct{ Value, Label string }

// memberRow is one member as the list shows them.
type memberRow struct {
	ID, Name, Username, Role string
	Status                   []string // "Disabled", "Locked out", …; empty when all is well
	Methods                  []string // labels of the registered kinds
}

var statusOptions = []option{
	{"", "Any status"}, {twofold.StatusEnabled, "Enabled"}, {twofold.StatusDisabled, "Disabled"},
	{twofold.StatusLocked, "Locked out"}, {twofold.StatusMFABlocked, "Sign-in codes blocked"},
	{twofold.StatusResetBlocked, "Password reset blocked"},
}

var roleOptions = []option{
	{"", "Any role"}, {string(twofold.RoleMember), "Member"}, {string(twofold.RoleHelpdesk), "Help desk"},
	{string(twofold.RoleAdmin), "Admin"},
}

// searchKinds are the method kinds the list can filter by, in the Add page's order.
var searchKinds = []twofold.MethodKind{
	twofold.KindSoftwareOath, twofold.KindPhone, twofold.KindFido2, twofold.KindEmail,
	twofold.KindSecurityQuestions, twofold.KindTemporaryAccessPass,
}

func kindOptions() []option {
	o := []option{{"", "Any security info"}, {"none", "No security info"}}
	for _, k := range searchKinds {
		o = append(o, option{string(k), kindLabel(k)})
	}
	return o
}

// kindLabel names a method kind for the console.
func kindLabel(k twofold.MethodKind) string {
	if k == twofold.KindTemporaryAccessPass {
		return "Temporary Access Pass"
	}
	return methodkind.Label(k)
}

// roleLabel names a role for people.
func roleLabel(r twofold.Role) string {
	switch r {
	case twofold.RoleAdmin:
		return "Admin"
	case twofold.RoleHelpdesk:
		return "Help desk"
	}
	return "Member"
}

func (h *handler) membersPage(w http.ResponseWriter, r *http.Request, p *twofold.Principal, a *twofold.Actor) {
	q := r.URL.Query()
	query := admin.UserQuery{Text: q.Get("q"), Status: q.Get("status"), Method: twofold.MethodKind(q.Get("method")),
		Role: twofold.Role(q.Get("role")), After: q.Get("after"), Before: q.Get("before")}
	v := membersView{Page: staffPage(p, a, "Members", "members"), Query: query,
		Statuses: statusOptions, Kinds: kindOptions(), Roles: roleOptions, now: h.Now()}
	v.Notice = consoleNotice(q.Get("m"))
	pg, err := h.Console.Members.SearchUsers(r.Context(), a, query)
	if err != nil {
		if hardFailure(err) || twofold.ErrorCode(err) == twofold.EFORBIDDEN {
			h.consoleFail(w, r, p, err, "/admin/members")
			return
		}
		v.Errors = errorsFrom(err, "", "q", "status", "method", "role")
		h.render(w, r, formStatus(w, err), v)
		return
	}
	for _, row := range pg.Users {
		v.Rows = append(v.Rows, listRow(row, v.now))
	}
	v.First, v.Prev, v.Next = pageLinks("/admin/members", searchFilters(query), query.After, pg.Prev, pg.Next)
	h.render(w, r, http.StatusOK, v)
}

// searchFilters are the query's filters as URL parameters, for the paging links.
func searchFilters(q admin.UserQuery) url.Values {
	v := url.Values{}
	for k, val := range map[string]string{"q": q.Text, "status": q.Status, "method": string(q.Method), "role": string(q.Role)} {
		if val != "" {
			v.Set(k, val)
		}
	}
	return v
}

func listRow(row admin.UserRow, now time.Time) memberRow {
	u := row.User
	m := memberRow{ID: u.ID, Name: displayName(u), Username: u.Username, Role: roleLabel(u.Role),
		Status: userStatus(u, row.ResetBlocked, now)}
	for _, k := range row.Methods {
		if k != twofold.KindPassword {
			m.Methods = append(m.Methods, kindLabel(k))
		}
	}
	return m
}

func displayName(u *twofold.User) string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
}

// userStatus lists what keeps a member from signing in or resetting now.
func userStatus(u *twofold.User, resetBlocked bool, now time.Time) []string {
	var s []string
	if u.Disabled {
		s = append(s, "Disabled")
	}
	if u.LockedUntil.After(now) {
		s = append(s, "Locked out")
	}
	if u.MFABlockedUntil.After(now) {
		s = append(s, "Sign-in codes blocked")
	}
	if resetBlocked {
		s = append(s, "Password reset blocked")
	}
	if u.MustChangePassword {
		s = append(s, "Must change password")
	}
	return s
}

// consoleFail answers a use-case error no form can show: a stale second
// factor sends the staff member to verify again and come back to back; a
// refusal is the 403 page; anything else the error page.
func (h *handler) consoleFail(w http.ResponseWriter, r *http.Request, p *twofold.Principal, err error, back string) {
	switch twofold.ErrorCode(err) {
	case twofold.EREAUTH:
		http.Redirect(w, r, "/my/verify?next="+url.QueryEscape(back), http.StatusSeeOther)
	case twofold.EFORBIDDEN:
		h.forbidden(w, r, p)
	default:
		h.fail(w, r, err)
	}
}

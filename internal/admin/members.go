package admin

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
)

// UserQuery asks for a page of an organization's members.
type UserQuery struct {
	OrgID  string             // used only when the actor is the CLI (a.OrgID == ""); else the actor's org
	Text   string             // case-insensitive match on user name or display name (substring)
	Status string             // "" | "enabled" | "disabled" | "locked" | "mfaBlocked" | "resetBlocked"
	Method twofold.MethodKind // "" any; a kind: has an active method of it; "none": no active method at all
	Role   twofold.Role       // "" any
	After  string             // opaque cursor from UserPage.Next; "" is the first page
	Before string             // opaque cursor from UserPage.Prev: the page before; at most one of After and Before
	Limit  int                // 1–200; 0 means 50
}

// UserRow is one member of a UserPage.
type UserRow struct {
	User         *twofold.User        // PasswordHash cleared
	Methods      []twofold.MethodKind // distinct kinds of the member's active methods, in methodkind order
	ResetBlocked bool
}

// UserPage is one page of members, in user-name order.
type UserPage struct {
	Users []UserRow
	Next  string // cursor of the next page; "" on the last
	Prev  string // cursor of the page before; "" on the first
}

// MemberView is one member as the console and the API show them.
type MemberView struct {
	User              *twofold.User     // PasswordHash cleared
	Methods           []*twofold.Method // active methods; SecretSealed nil, PassHash "" — never a secret
	Sessions          int               // live sessions
	Locked            bool              // password lockout running now
	MFABlocked        bool
	ResetBlockedUntil time.Time // zero when reset isn't blocked
}

// NewMember is what CreateMember needs; Role "" makes a member.
type NewMember struct {
	Username, DisplayName string
	Role                  twofold.Role
}

// Unblocked says what Unblock lifted.
type Unblocked struct{ MFA, Reset, Lockout bool }

// defaultFreshMFA is the admin window when the Service is built without one.
const defaultFreshMFA = 5 * time.Minute

// kindOrder is the order member listings name method kinds in: the Add page's
// order, then the kinds only an admin gives or that are not second factors.
var kindOrder = []twofold.MethodKind{
	twofold.KindSoftwareOath, twofold.KindPhone, twofold.KindFido2, twofold.KindEmail,
	twofold.KindSecurityQuestions, twofold.KindTemporaryAccessPass, twofold.KindPassword,
}

// searchStatuses are the statuses a UserQuery may ask for.
var searchStatuses = []string{"", twofold.StatusEnabled, twofold.StatusDisabled, twofold.StatusLocked,
	twofold.StatusMFABlocked, twofold.StatusResetBlocked}

func (s *Service) now() time.Time { return s.Now().UTC() }

func (s *Service) freshWindow() time.Duration {
	if s.FreshMFA > 0 {
		return s.FreshMFA
	}
	return defaultFreshMFA
}

// errNoMember is the answer for a member the actor can't see: outside their
// organization reads the same as not existing.
func errNoMember() error {
	return twofold.Errorf(twofold.ENOTFOUND, "There is no such member in your organization.")
}

// allowed refuses a token whose scopes lack scope (members and the CLI are
// limited by role alone).
func allowed(a *twofold.Actor, scope twofold.Scope) error {
	if a == nil {
		return twofold.Errorf(twofold.EFORBIDDEN, "Sign in as an admin or help desk member first.")
	}
	if !a.Role.Staff() {
		return twofold.Errorf(twofold.EFORBIDDEN, "Only admins and the help desk can manage members.")
	}
	if !a.Allows(scope) {
		return twofold.Errorf(twofold.EFORBIDDEN, "This token doesn't have the %s permission.", scope)
	}
	return nil
}

// target finds the member userID the actor may act on: ENOTFOUND outside the
// actor's organization, EFORBIDDEN for the help desk on an admin.
func (s *Service) target(ctx context.Context, a *twofold.Actor, userID string, scope twofold.Scope) (*twofold.User, error) {
	if err := allowed(a, scope); err != nil {
		return nil, err
	}
	if userID == "" {
		return nil, errNoMember()
	}
	u, err := s.Store.UserByID(ctx, userID)
	if twofold.ErrorCode(err) == twofold.ENOTFOUND {
		return nil, errNoMember()
	} else if err != nil {
		return nil, err
	}
	if !a.InOrg(u.OrgID) {
		return nil, errNoMember()
	}
	if !a.MayActOn(u) && a.Scopes != nil {
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "API tokens manage members only, not admins or the help desk. Ask an admin to do this in the console.")
	} else if !a.MayActOn(u) {
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "The help desk can't manage admins. Ask an admin to do this.")
	}
	return u, nil
}

// change is target for a change: the actor must also have proven a second
// factor within the admin window. It returns the member's organization too.
func (s *Service) change(ctx context.Context, a *twofold.Actor, userID string, scope twofold.Scope) (*twofold.User, *twofold.Organization, error) {
	u, err := s.target(ctx, a, userID, scope)
	if err != nil {
		return nil, nil, err
	}
	if !a.Fresh(s.now(), s.freshWindow()) {
		return nil, nil, twofold.Errorf(twofold.EREAUTH, "Verify your identity again to make changes: it's been more than %s since you last did.", wording(s.freshWindow()))
	}
	org, err := s.Store.OrgByID(ctx, u.OrgID)
	if err != nil {
		return nil, nil, fmt.Errorf("admin: organization of %s: %w", u.ID, err)
	}
	return u, org, nil
}

// wording says a duration for people: "5 minutes".
func wording(d time.Duration) string {
	if m := int(d / time.Minute); m > 0 && d%time.Minute == 0 {
		if m == 1 {
			return "1 minute"
		}
		return fmt.Sprintf("%d minutes", m)
	}
	return d.String()
}

// shown returns a copy of u without its password hash.
func shown(u *twofold.User) *twofold.User {
	c := *u
	c.PasswordHash = ""
	return &c
}

// queryOrg is the organization a query reads: the actor's own, or for the CLI
// the one it names.
func queryOrg(a *twofold.Actor, orgID string) (string, error) {
	if a.OrgID != "" {
		return a.OrgID, nil
	}
	if orgID == "" {
		return "", twofold.FieldError("org", "Name the organization to search.")
	}
	return orgID, nil
}

// SearchUsers returns a page of the organization's members matching q, in
// user-name order. Reading needs no fresh second factor. Every filter is done
// by the database, so a page costs the same in an organization of 100,000.
func (s *Service) SearchUsers(ctx context.Context, a *twofold.Actor, q UserQuery) (*UserPage, error) {
	if err := allowed(a, twofold.ScopeUsersRead); err != nil {
		return nil, err
	}
	orgID, err := queryOrg(a, q.OrgID)
	if err != nil {
		return nil, err
	}
	var problems []error
	limit := q.Limit
	if limit == 0 {
		limit = 50
	}
	if limit < 1 || limit > 200 {
		problems = append(problems, twofold.FieldError("limit", "Ask for 1 to 200 members a page."))
	}
	text := strings.TrimSpace(q.Text)
	if utf8.RuneCountInString(text) > 100 || !utf8.ValidString(text) {
		problems = append(problems, twofold.FieldError("text", "Search for at most 100 characters."))
	}
	if !slices.Contains(searchStatuses, q.Status) {
		problems = append(problems, twofold.FieldError("status", "The status must be enabled, disabled, locked, mfaBlocked or resetBlocked."))
	}
	if q.Method != "" && q.Method != twofold.MethodNone && !slices.Contains(kindOrder, q.Method) {
		problems = append(problems, twofold.FieldError("method", fmt.Sprintf("%q is not a method kind; use none or one of %s.", q.Method, kindList())))
	}
	if q.Role != "" && !q.Role.Valid() {
		problems = append(problems, twofold.FieldError("role", "The role must be member, helpdesk or admin."))
	}
	after, err := decodeCursor("after", q.After)
	if err != nil {
		problems = append(problems, err)
	}
	before, err := decodeCursor("before", q.Before)
	if err != nil {
		problems = append(problems, err)
	}
	if after != "" && before != "" {
		problems = append(problems, twofold.FieldError("before", "Ask for the page after a member or the page before one, not both."))
	}
	if len(problems) > 0 {
		return nil, problems[0]
	}
	now := s.now()
	filter := twofold.UserFilter{Text: text, Status: q.Status, Method: q.Method, Role: q.Role, Now: now}
	rows, prev, next, err := s.pageOfMembers(ctx, orgID, filter, after, before, limit)
	if err != nil {
		return nil, err
	}
	page := &UserPage{Users: []UserRow{}, Prev: prev, Next: next}
	for _, r := range rows {
		page.Users = append(page.Users, UserRow{
			User: shown(r.User), Methods: orderKinds(r.Kinds), ResetBlocked: r.ResetBlockedUntil.After(now),
		})
	}
	return page, nil
}

func kindList() string {
	names := make([]string, len(kindOrder))
	for i, k := range kindOrder {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// orderKinds sorts kinds into kindOrder, unknown kinds last by name.
func orderKinds(kinds []twofold.MethodKind) []twofold.MethodKind {
	out := slices.Clone(kinds)
	rank := func(k twofold.MethodKind) int {
		if i := slices.Index(kindOrder, k); i >= 0 {
			return i
		}
		return len(kindOrder)
	}
	slices.SortFunc(out, func(x, y twofold.MethodKind) int {
		if d := rank(x) - rank(y); d != 0 {
			return d
		}
		return strings.Compare(string(x), string(y))
	})
	if out == nil {
		out = []twofold.MethodKind{}
	}
	return out
}

// The cursor is the last user name shown, encoded so callers treat it as
// opaque and it survives a URL.
func encodeCursor(username string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(username))
}

func decodeCursor(field, c string) (string, error) {
	if c == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) == 0 || len(b) > 254 || !utf8.Valid(b) {
		return "", twofold.FieldError(field, "That page link is not valid. Start again from the first page.")
	}
	return string(b), nil
}

// Member returns one member with their active methods (never a secret), live
// sessions and blocks.
func (s *Service) Member(ctx context.Context, a *twofold.Actor, userID string) (*MemberView, error) {
	u, err := s.target(ctx, a, userID, twofold.ScopeUsersRead)
	if err != nil {
		return nil, err
	}
	now := s.now()
	methods, err := s.Store.ListMethods(ctx, u.ID, twofold.MethodActive)
	if err != nil {
		return nil, err
	}
	for _, m := range methods {
		m.SecretSealed, m.PassHash = nil, ""
	}
	if methods == nil {
		methods = []*twofold.Method{}
	}
	sessions, err := s.Store.CountLiveSessions(ctx, u.ID, now)
	if err != nil {
		return nil, err
	}
	until, err := s.Store.ResetBlockedUntil(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if !until.After(now) {
		until = time.Time{}
	}
	return &MemberView{
		User: shown(u), Methods: methods, Sessions: sessions,
		Locked: u.LockedUntil.After(now), MFABlocked: u.MFABlockedUntil.After(now), ResetBlockedUntil: until,
	}, nil
}

// memberNames checks and normalizes a new member's names.
func memberNames(n NewMember) (username, local, domain, display string, problems []error) {
	username = strings.ToLower(strings.TrimSpace(n.Username))
	local, domain, ok := strings.Cut(username, "@")
	if !ok || local == "" || domain == "" || strings.Contains(domain, "@") || len(username) > 254 || !utf8.ValidString(username) || !twofold.PrintableName(username) {
		problems = append(problems, twofold.FieldError("username", "Give a user name in the form name@domain."))
	}
	display = strings.TrimSpace(n.DisplayName)
	if display == "" || utf8.RuneCountInString(display) > 100 || !utf8.ValidString(display) || !twofold.PrintableName(display) {
		problems = append(problems, twofold.FieldError("display-name", "Give a display name of 1 to 100 characters."))
	}
	return username, local, domain, display, problems
}

// CreateMember makes the member with a generated temporary password (returned, shown once; the member
// must change it at next sign-in: MustChangePassword). Role other than member needs MayAssignRoles.
func (s *Service) CreateMember(ctx context.Context, a *twofold.Actor, n NewMember) (*twofold.User, string, error) {
	if err := allowed(a, twofold.ScopeUsersManage); err != nil {
		return nil, "", err
	}
	if n.Role == "" {
		n.Role = twofold.RoleMember
	}
	username, local, domain, display, problems := memberNames(n)
	if !n.Role.Valid() {
		problems = append(problems, twofold.FieldError("role", "The role must be member, helpdesk or admin."))
	} else if n.Role != twofold.RoleMember && !a.MayAssignRoles() {
		return nil, "", twofold.Errorf(twofold.EFORBIDDEN, "Only admins can make admins or help desk members.")
	}
	if len(problems) > 0 {
		return nil, "", problems[0]
	}
	if !a.Fresh(s.now(), s.freshWindow()) {
		return nil, "", twofold.Errorf(twofold.EREAUTH, "Verify your identity again to make changes: it's been more than %s since you last did.", wording(s.freshWindow()))
	}
	org, err := s.Store.OrgByDomain(ctx, domain)
	if twofold.ErrorCode(err) == twofold.ENOTFOUND || (err == nil && !a.InOrg(org.ID)) {
		if a.OrgID != "" {
			own, oerr := s.Store.OrgByID(ctx, a.OrgID)
			if oerr != nil {
				return nil, "", oerr
			}
			return nil, "", twofold.FieldError("username", fmt.Sprintf("Use one of your organization's domains: %s.", strings.Join(own.Domains, ", ")))
		}
		return nil, "", twofold.FieldError("username", fmt.Sprintf("No organization owns the domain %q. Create one first with: twofold org create.", domain))
	} else if err != nil {
		return nil, "", err
	}
	temp, err := TempPassword(org.Policy.PasswordMinimum(), local, display, org.Name)
	if err != nil {
		return nil, "", err
	}
	hash, err := s.Hasher.Hash(ctx, temp)
	if err != nil {
		return nil, "", err
	}
	u := &twofold.User{ID: twofold.NewID(), OrgID: org.ID, Username: username, DisplayName: display,
		Role: n.Role, PasswordHash: hash, PreferredMethod: twofold.PreferenceNone, CreatedAt: s.now(),
		MustChangePassword: true}
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.CreateUser(ctx, u); err != nil {
			return err
		}
		return s.Audit.Admin(ctx, a, u, twofold.ActivityUserCreated, "role "+string(u.Role)+"; temporary password")
	})
	if twofold.ErrorCode(err) == twofold.ECONFLICT {
		return nil, "", twofold.FieldError("username", "That user name is already taken.")
	} else if err != nil {
		return nil, "", err
	}
	return shown(u), temp, nil
}

// keepAdmin turns the store's refusal to remove the last enabled admin into a
// message for the actor.
func keepAdmin(err error) error {
	if twofold.ErrorCode(err) == twofold.ECONFLICT {
		return twofold.Errorf(twofold.ECONFLICT, "This is the organization's last enabled admin, so they must stay an enabled admin. Make another member an admin first.")
	}
	return err
}

// SetEnabled disables or enables the member. Disabling revokes every session
// and fails any sign-in under way, in the same transaction; an admin can't
// disable themselves or the organization's last enabled admin.
func (s *Service) SetEnabled(ctx context.Context, a *twofold.Actor, userID string, enabled bool) error {
	u, org, err := s.change(ctx, a, userID, twofold.ScopeUsersManage)
	if err != nil {
		return err
	}
	if !enabled && a.UserID == u.ID {
		return twofold.Errorf(twofold.ECONFLICT, "You can't disable your own account. Ask another admin if it must be.")
	}
	if u.Disabled == !enabled {
		return nil // already so: nothing changes, nothing to audit
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := keepAdmin(s.Store.SetDisabled(ctx, u.ID, !enabled)); err != nil {
			return err
		}
		if enabled {
			return s.Audit.AdminChange(ctx, a, u, org, twofold.ActivityUserEnabled, "",
				"Your account was enabled by your organization's admin. You can sign in again.")
		}
		n, err := s.Store.RevokeUserSessions(ctx, u.ID, s.now())
		if err != nil {
			return err
		}
		if _, err := s.Store.FailMemberFlows(ctx, u.ID); err != nil {
			return err
		}
		return s.Audit.AdminChange(ctx, a, u, org, twofold.ActivityUserDisabled, fmt.Sprintf("%d sessions revoked", n),
			"Your account was disabled by your organization's admin, and you were signed out everywhere. Contact your help desk if you need it back.")
	})
}

// ResetPassword gives the member a temporary password (returned, shown once)
// that they must change at their next sign-in, lifts a password lockout and
// signs them out everywhere; the member is told.
func (s *Service) ResetPassword(ctx context.Context, a *twofold.Actor, userID string) (string, error) {
	u, org, err := s.change(ctx, a, userID, twofold.ScopeUsersManage)
	if err != nil {
		return "", err
	}
	local, _, _ := strings.Cut(u.Username, "@")
	temp, err := TempPassword(org.Policy.PasswordMinimum(), local, u.DisplayName, org.Name)
	if err != nil {
		return "", err
	}
	hash, err := s.Hasher.Hash(ctx, temp)
	if err != nil {
		return "", err
	}
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.AdminSetPassword(ctx, u.ID, hash, true); err != nil {
			return err
		}
		n, err := s.Store.RevokeUserSessions(ctx, u.ID, s.now())
		if err != nil {
			return err
		}
		if _, err := s.Store.FailMemberFlows(ctx, u.ID); err != nil {
			return err
		}
		return s.Audit.AdminChange(ctx, a, u, org, twofold.ActivityResetByAdmin,
			fmt.Sprintf("temporary password; %d sessions revoked", n),
			"Your password was reset by your organization's admin, and you were signed out everywhere. Sign in with the temporary password they give you, then choose your own.")
	})
	if err != nil {
		return "", err
	}
	return temp, nil
}

// reregistered reports whether RequireReregistration removes m: every method
// that can be a second factor, and any Temporary Access Pass.
func reregistered(m *twofold.Method) bool {
	return m.MFACapable() || m.Kind == twofold.KindTemporaryAccessPass
}

// RequireReregistration deletes the member's second-factor methods (and any
// Temporary Access Pass), clears their default sign-in method and signs them
// out everywhere, so their next sign-in asks them to register again ("More
// information required"). Each deleted method is audited; the member gets one
// notice. It returns how many methods it deleted.
func (s *Service) RequireReregistration(ctx context.Context, a *twofold.Actor, userID string) (int, error) {
	u, org, err := s.change(ctx, a, userID, twofold.ScopeMethodsManage)
	if err != nil {
		return 0, err
	}
	deleted := 0
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		deleted = 0
		// Held until commit: a method registered meanwhile waits, then stays.
		if err := s.Store.LockMember(ctx, u.ID); err != nil {
			return err
		}
		methods, err := s.Store.ListMethods(ctx, u.ID, "")
		if err != nil {
			return err
		}
		var names []string
		for _, m := range methods {
			if !reregistered(m) {
				continue
			}
			if err := s.Store.DeleteMethod(ctx, u.ID, m.ID); err != nil {
				return err
			}
			deleted++
			if m.State != twofold.MethodActive {
				continue // an unfinished setup: nothing the member had
			}
			name := methodkind.Of(m.Kind).Describe(m)
			names = append(names, name)
			if err := s.Audit.Admin(ctx, a, u, twofold.ActivityAdminDeleted, name+" (re-registration required)"); err != nil {
				return err
			}
		}
		if err := s.Store.SetPreferredMethod(ctx, u.ID, twofold.PreferenceNone); err != nil {
			return err
		}
		n, err := s.Store.RevokeUserSessions(ctx, u.ID, s.now())
		if err != nil {
			return err
		}
		if _, err := s.Store.FailMemberFlows(ctx, u.ID); err != nil {
			return err
		}
		what := "Your organization's admin asked you to set up two-step verification again, and you were signed out everywhere."
		if len(names) > 0 {
			what += " Removed from your security info: " + strings.Join(names, ", ") + "."
		}
		what += " You'll be asked to register a method at your next sign-in."
		return s.Audit.AdminChange(ctx, a, u, org, twofold.ActivityRequireReregister,
			fmt.Sprintf("%d methods deleted; %d sessions revoked", deleted, n), what)
	})
	if err != nil {
		return 0, err
	}
	return deleted, nil
}

// RevokeSessions signs the member out everywhere and returns how many
// sessions ended.
func (s *Service) RevokeSessions(ctx context.Context, a *twofold.Actor, userID string) (int, error) {
	u, _, err := s.change(ctx, a, userID, twofold.ScopeUsersManage)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		var err error
		if n, err = s.Store.RevokeUserSessions(ctx, u.ID, s.now()); err != nil {
			return err
		}
		return s.Audit.Admin(ctx, a, u, twofold.ActivitySessionsRevoked, fmt.Sprintf("%d sessions revoked", n))
	})
	return n, err
}

// Unblock lifts whatever keeps the member out now: a second-factor block, a
// block from password reset and a password lockout, each audited only when it
// was there, all in one transaction.
func (s *Service) Unblock(ctx context.Context, a *twofold.Actor, userID string) (Unblocked, error) {
	u, _, err := s.change(ctx, a, userID, twofold.ScopeUsersManage)
	if err != nil {
		return Unblocked{}, err
	}
	var done Unblocked
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		done = Unblocked{}
		now := s.now()
		cur, err := s.Store.UserByID(ctx, u.ID)
		if err != nil {
			return err
		}
		if cur.MFABlockedUntil.After(now) {
			if err := s.Store.BlockMFA(ctx, u.ID, time.Time{}); err != nil {
				return err
			}
			if err := s.Store.RecordMFASuccess(ctx, u.ID); err != nil {
				return err
			}
			if err := s.Audit.Admin(ctx, a, u, twofold.ActivityMFAUnblocked, ""); err != nil {
				return err
			}
			done.MFA = true
		}
		until, err := s.Store.ResetBlockedUntil(ctx, u.ID)
		if err != nil {
			return err
		}
		if until.After(now) {
			if err := s.Store.ClearResetBlock(ctx, u.ID); err != nil {
				return err
			}
			if err := s.Audit.Admin(ctx, a, u, twofold.ActivityResetUnblocked, ""); err != nil {
				return err
			}
			done.Reset = true
		}
		cleared, err := s.Store.ClearLockout(ctx, u.ID, now)
		if err != nil {
			return err
		}
		if cleared {
			if err := s.Audit.Admin(ctx, a, u, twofold.ActivityLockoutCleared, ""); err != nil {
				return err
			}
			done.Lockout = true
		}
		return nil
	})
	return done, err
}

// DeleteMethod deletes one of the member's methods, clearing their default
// sign-in method when it was this method's and no other method offers it. The
// member is told.
func (s *Service) DeleteMethod(ctx context.Context, a *twofold.Actor, userID, methodID string) error {
	u, org, err := s.change(ctx, a, userID, twofold.ScopeMethodsManage)
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := s.Store.LockMember(ctx, u.ID); err != nil {
			return err
		}
		m, err := s.Store.MethodByID(ctx, u.ID, methodID)
		if twofold.ErrorCode(err) == twofold.ENOTFOUND {
			return twofold.Errorf(twofold.ENOTFOUND, "That method isn't part of the member's security info.")
		} else if err != nil {
			return err
		}
		if err := s.Store.DeleteMethod(ctx, u.ID, m.ID); err != nil {
			return err
		}
		cur, err := s.Store.UserByID(ctx, u.ID)
		if err != nil {
			return err
		}
		if slices.Contains(methodkind.Preferences(org.Policy, m), cur.PreferredMethod) {
			rest, err := s.Store.ListMethods(ctx, u.ID, twofold.MethodActive)
			if err != nil {
				return err
			}
			offered := slices.ContainsFunc(rest, func(r *twofold.Method) bool {
				return slices.Contains(methodkind.Preferences(org.Policy, r), cur.PreferredMethod)
			})
			if !offered {
				if err := s.Store.SetPreferredMethod(ctx, u.ID, twofold.PreferenceNone); err != nil {
					return err
				}
			}
		}
		name := methodkind.Of(m.Kind).Describe(m)
		return s.Audit.AdminChange(ctx, a, u, org, twofold.ActivityAdminDeleted, name,
			name+" was deleted from your security info by your organization's admin.")
	})
}

// SetRole makes the member a member, help desk or admin. Only admins change
// roles; an admin can't take their own admin role, nor the last enabled
// admin's.
func (s *Service) SetRole(ctx context.Context, a *twofold.Actor, userID string, role twofold.Role) error {
	if a != nil && !a.MayAssignRoles() {
		return twofold.Errorf(twofold.EFORBIDDEN, "Only admins can change roles.")
	}
	if !role.Valid() {
		return twofold.FieldError("role", "The role must be member, helpdesk or admin.")
	}
	u, org, err := s.change(ctx, a, userID, twofold.ScopeUsersManage)
	if err != nil {
		return err
	}
	if a.UserID == u.ID && role != twofold.RoleAdmin {
		return twofold.Errorf(twofold.ECONFLICT, "You can't remove your own admin role. Ask another admin if it must be.")
	}
	if u.Role == role {
		return nil
	}
	return s.Store.InTx(ctx, func(ctx context.Context) error {
		if err := keepAdmin(s.Store.SetRole(ctx, u.ID, role)); err != nil {
			return err
		}
		return s.Audit.AdminChange(ctx, a, u, org, twofold.ActivityRoleChanged,
			fmt.Sprintf("from %s to %s", u.Role, role),
			fmt.Sprintf("Your role in %s was changed from %s to %s by your organization's admin.", org.Name, roleName(u.Role), roleName(role)))
	})
}

// roleName names a role for people.
func roleName(r twofold.Role) string {
	switch r {
	case twofold.RoleAdmin:
		return "admin"
	case twofold.RoleHelpdesk:
		return "help desk"
	}
	return "member"
}

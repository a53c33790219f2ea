package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/admin"
	"github.com/twofold-id/twofold/internal/registrations"
)

// page is Graph's list envelope with the link to the next page, which is
// absent on the last page. The link is a path with its query, resolved
// against the address the request went to.
type page[T any] struct {
	Value    []T    `json:"value"`
	NextLink string `json:"@odata.nextLink,omitempty"`
}

// nextLink is the request's own path and query with $skiptoken set to next,
// or "" when there is no next page.
func nextLink(r *http.Request, next string) string {
	if next == "" {
		return ""
	}
	q := r.URL.Query()
	q.Set("$skiptoken", next)
	return r.URL.Path + "?" + strings.ReplaceAll(q.Encode(), "%24", "$")
}

// pageQuery reads Graph's $top and $skiptoken; top is 0 when not given, so the
// use case's default applies. The use case checks the range.
func pageQuery(r *http.Request) (top int, skip string, err error) {
	q := r.URL.Query()
	if v := q.Get("$top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, "", twofold.FieldError("$top", "$top must be a whole number of at least 1.")
		}
		top = n
	}
	return top, q.Get("$skiptoken"), nil
}

// pageFields gives a use case's paging field errors the query's names.
func pageFields(err error) error {
	return renameField(err, "limit", "$top", "after", "$skiptoken")
}

// userView is a member, Graph's user resource with twofold's role and state.
// It never carries the password hash.
type userView struct {
	ID                 string               `json:"id"`
	UserPrincipalName  string               `json:"userPrincipalName"`
	DisplayName        string               `json:"displayName"`
	AccountEnabled     bool                 `json:"accountEnabled"`
	Role               twofold.Role         `json:"role"`
	CreatedDateTime    string               `json:"createdDateTime"`
	MustChangePassword bool                 `json:"mustChangePassword"`
	MethodsRegistered  []twofold.MethodKind `json:"methodsRegistered,omitempty"`
	IsResetBlocked     *bool                `json:"isResetBlocked,omitempty"`
}

func newUserView(u *twofold.User) userView {
	return userView{
		ID: u.ID, UserPrincipalName: u.Username, DisplayName: u.DisplayName, AccountEnabled: !u.Disabled,
		Role: u.Role, CreatedDateTime: dateTime(u.CreatedAt), MustChangePassword: u.MustChangePassword,
	}
}

func newUserRowView(row admin.UserRow) userView {
	v := newUserView(row.User)
	v.MethodsRegistered = row.Methods
	blocked := row.ResetBlocked
	v.IsResetBlocked = &blocked
	return v
}

// memberView is one member with what keeps them out, for GET users/{id}.
type memberView struct {
	userView
	SignInSessionCount                            int                      `json:"signInSessionCount"`
	IsLockedOut                                   bool                     `json:"isLockedOut"`
	IsMfaBlocked                                  bool                     `json:"isMfaBlocked"`
	ResetBlockedUntil                             string                   `json:"resetBlockedUntilDateTime,omitempty"`
	UserPreferredMethodForSecondaryAuthentication twofold.SignInPreference `json:"userPreferredMethodForSecondaryAuthentication"`
}

func newMemberView(m *admin.MemberView) memberView {
	v := memberView{
		userView: newUserView(m.User), SignInSessionCount: m.Sessions, IsLockedOut: m.Locked,
		IsMfaBlocked: m.MFABlocked, ResetBlockedUntil: dateTime(m.ResetBlockedUntil),
		UserPreferredMethodForSecondaryAuthentication: m.User.PreferredMethod,
	}
	if v.UserPreferredMethodForSecondaryAuthentication == "" {
		v.UserPreferredMethodForSecondaryAuthentication = twofold.PreferenceNone
	}
	for _, mm := range m.Methods {
		v.MethodsRegistered = appendKind(v.MethodsRegistered, mm.Kind)
	}
	return v
}

func appendKind(kinds []twofold.MethodKind, k twofold.MethodKind) []twofold.MethodKind {
	for _, have := range kinds {
		if have == k {
			return kinds
		}
	}
	return append(kinds, k)
}

// adminMethodView is a member's method as an admin sees it: Graph's
// per-kind properties, never a secret (no TOTP secret, no pass, no hash).
type adminMethodView struct {
	methodView
	EmailAddress string `json:"emailAddress,omitempty"`
	// Temporary Access Pass properties.
	StartDateTime     string `json:"startDateTime,omitempty"`
	LifetimeInMinutes int    `json:"lifetimeInMinutes,omitempty"`
	IsUsableOnce      *bool  `json:"isUsableOnce,omitempty"`
	// TemporaryAccessPass is the pass itself, only in the answer that issued it.
	TemporaryAccessPass string `json:"temporaryAccessPass,omitempty"`
}

func newAdminMethodView(m *twofold.Method) adminMethodView {
	v := adminMethodView{methodView: newMethodView(m), EmailAddress: m.Email}
	if m.Kind == twofold.KindTemporaryAccessPass {
		start := m.ActivatedAt
		if start.IsZero() {
			start = m.CreatedAt
		}
		v.StartDateTime = dateTime(start)
		if !m.ExpiresAt.IsZero() {
			v.LifetimeInMinutes = int(m.ExpiresAt.Sub(start).Minutes())
		}
		once := m.UsableOnce
		v.IsUsableOnce = &once
	}
	return v
}

func methodViews(methods []*twofold.Method) []adminMethodView {
	out := make([]adminMethodView, 0, len(methods))
	for _, m := range methods {
		out = append(out, newAdminMethodView(m))
	}
	return out
}

// auditView is one event, Graph's directoryAudit.
type auditView struct {
	ID                  string            `json:"id"`
	ActivityDateTime    string            `json:"activityDateTime"`
	ActivityDisplayName string            `json:"activityDisplayName"`
	Result              string            `json:"result"`
	ResultReason        string            `json:"resultReason"`
	InitiatedBy         auditInitiator    `json:"initiatedBy"`
	TargetResources     []auditTargetView `json:"targetResources"`
}

type auditInitiator struct {
	User auditUserView `json:"user"`
}

type auditUserView struct {
	ID                string `json:"id"`
	UserPrincipalName string `json:"userPrincipalName"`
	IPAddress         string `json:"ipAddress"`
	UserAgent         string `json:"userAgent,omitempty"`
}

type auditTargetView struct {
	ID                string `json:"id"`
	UserPrincipalName string `json:"userPrincipalName"`
}

func newAuditView(e *twofold.AuditEvent) auditView {
	v := auditView{
		ID: strconv.FormatInt(e.ID, 10), ActivityDateTime: dateTime(e.Time), ActivityDisplayName: e.Activity,
		Result: e.Result, ResultReason: e.Reason,
		InitiatedBy:     auditInitiator{User: auditUserView{ID: e.ActorID, UserPrincipalName: e.ActorName, IPAddress: e.IP, UserAgent: e.UserAgent}},
		TargetResources: []auditTargetView{},
	}
	if e.TargetID != "" || e.TargetName != "" {
		v.TargetResources = append(v.TargetResources, auditTargetView{ID: e.TargetID, UserPrincipalName: e.TargetName})
	}
	return v
}

// registrationDetailView is one member of Graph's userRegistrationDetails report.
// DefaultMfaMethod is a signInPreferences value ("oath", "sms", "none").
type registrationDetailView struct {
	ID                  string   `json:"id"`
	UserPrincipalName   string   `json:"userPrincipalName"`
	UserDisplayName     string   `json:"userDisplayName"`
	IsAdmin             bool     `json:"isAdmin"`
	IsMfaRegistered     bool     `json:"isMfaRegistered"`
	IsMfaCapable        bool     `json:"isMfaCapable"`
	IsSsprRegistered    bool     `json:"isSsprRegistered"`
	IsSsprEnabled       bool     `json:"isSsprEnabled"`
	IsSsprCapable       bool     `json:"isSsprCapable"`
	MethodsRegistered   []string `json:"methodsRegistered"`
	DefaultMfaMethod    string   `json:"defaultMfaMethod"`
	LastUpdatedDateTime string   `json:"lastUpdatedDateTime"`
}

func newRegistrationDetailView(d registrations.Detail) registrationDetailView {
	methods := d.Methods
	if methods == nil {
		methods = []string{}
	}
	return registrationDetailView{
		ID: d.ID, UserPrincipalName: d.Username, UserDisplayName: d.DisplayName, IsAdmin: d.IsAdmin,
		IsMfaRegistered: d.MFARegistered, IsMfaCapable: d.MFACapable, IsSsprRegistered: d.SSPRRegistered,
		IsSsprEnabled: d.SSPREnabled, IsSsprCapable: d.SSPRCapable, MethodsRegistered: methods,
		DefaultMfaMethod: string(d.Default), LastUpdatedDateTime: dateTime(d.UpdatedAt),
	}
}

// featureCount and methodCount are Graph's usersRegisteredByFeature and
// usersRegisteredByMethod entries.
type featureCount struct {
	Feature   string `json:"feature"`
	UserCount int    `json:"userCount"`
}

type methodCount struct {
	AuthenticationMethod string `json:"authenticationMethod"`
	UserCount            int    `json:"userCount"`
}

type byFeatureView struct {
	TotalUserCount                int            `json:"totalUserCount"`
	UserRegistrationFeatureCounts []featureCount `json:"userRegistrationFeatureCounts"`
}

type byMethodView struct {
	TotalUserCount               int           `json:"totalUserCount"`
	UserRegistrationMethodCounts []methodCount `json:"userRegistrationMethodCounts"`
}

func newByFeatureView(s *registrations.Summary) byFeatureView {
	return byFeatureView{TotalUserCount: s.Members, UserRegistrationFeatureCounts: []featureCount{
		{"mfaRegistered", s.MFARegistered}, {"mfaCapable", s.MFACapable},
		{"ssprRegistered", s.SSPRRegistered}, {"ssprCapable", s.SSPRCapable},
	}}
}

func newByMethodView(s *registrations.Summary) byMethodView {
	v := byMethodView{TotalUserCount: s.Members, UserRegistrationMethodCounts: []methodCount{}}
	for _, m := range s.ByMethod {
		v.UserRegistrationMethodCounts = append(v.UserRegistrationMethodCounts, methodCount{string(m.Kind), m.Members})
	}
	return v
}

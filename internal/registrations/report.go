package registrations

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
)

// org returns the organization a may read the report of: staff of it, a
// token with audit.read in it, or the CLI naming it.
func (s *Service) org(ctx context.Context, a *twofold.Actor, orgID string) (*twofold.Organization, error) {
	if a == nil || !a.Role.Staff() || !a.Allows(twofold.ScopeAuditRead) {
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "Reading the registration report needs an admin, the help desk or the audit.read scope.")
	}
	if a.OrgID != "" {
		orgID = a.OrgID
	}
	if orgID == "" {
		return nil, twofold.FieldError("org", "Name the organization whose report you want.")
	}
	org, err := s.Store.OrgByID(ctx, orgID)
	if err != nil {
		return nil, err
	}
	return org, nil
}

// Summary returns the figures of the actor's organization (orgID only for the
// CLI): counted in the database by the policy's rules, by method, and the
// stored days of the last HistoryDays days followed by now.
func (s *Service) Summary(ctx context.Context, a *twofold.Actor, orgID string) (*Summary, error) {
	org, err := s.org(ctx, a, orgID)
	if err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	f, byKind, err := s.count(ctx, org)
	if err != nil {
		return nil, err
	}
	sum := &Summary{OrgID: org.ID, OrgName: org.Name, At: now, Figures: f, ResetEnabled: org.Policy.Reset.Enabled}
	for _, k := range allKinds {
		sum.ByMethod = append(sum.ByMethod, MethodCount{Kind: k, Label: methodkind.Label(k), Members: byKind[k]})
	}
	today := day(now)
	snaps, err := s.Store.RegistrationSnapshots(ctx, org.ID, today.AddDate(0, 0, -HistoryDays))
	if err != nil {
		return nil, err
	}
	for _, snap := range snaps {
		sum.History = append(sum.History, Point{Day: snap.Day, Figures: Figures{Members: snap.Members,
			MFARegistered: snap.MFARegistered, MFACapable: snap.MFACapable,
			SSPRRegistered: snap.SSPRRegistered, SSPRCapable: snap.SSPRCapable}})
	}
	sum.History = append(sum.History, Point{Day: today, Now: true, Figures: f})
	return sum, nil
}

// count counts org's members under its policy.
func (s *Service) count(ctx context.Context, org *twofold.Organization) (Figures, map[twofold.MethodKind]int, error) {
	c, err := s.Store.RegistrationCounts(ctx, org.ID, Rules(org.Policy))
	if err != nil {
		return Figures{}, nil, err
	}
	f := Figures{Members: c.Members, MFARegistered: c.MFARegistered, MFACapable: c.MFACapable,
		SSPRRegistered: c.SSPRRegistered}
	if org.Policy.Reset.Enabled {
		f.SSPRCapable = c.SSPRRegistered
	}
	return f, c.ByKind, nil
}

func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Details returns a page of members by user name with what each has
// registered, judged by methodkind on their methods as sign-in and reset do.
func (s *Service) Details(ctx context.Context, a *twofold.Actor, q DetailsQuery) (*DetailsPage, error) {
	org, err := s.org(ctx, a, q.OrgID)
	if err != nil {
		return nil, err
	}
	limit := q.Limit
	switch {
	case limit == 0:
		limit = 100
	case limit < 1 || limit > 1000:
		return nil, twofold.FieldError("limit", "Ask for between 1 and 1000 members a page.")
	}
	after, err := decodeCursor(q.After)
	if err != nil {
		return nil, err
	}
	members, err := s.Store.RegistrationMembers(ctx, org.ID, after, limit+1)
	if err != nil {
		return nil, err
	}
	page := &DetailsPage{}
	if len(members) > limit {
		members = members[:limit]
		page.Next = encodeCursor(members[limit-1].User.Username)
	}
	now := s.Now().UTC()
	for _, mm := range members {
		page.Rows = append(page.Rows, Judge(org.Policy, mm.User, mm.Methods, now))
	}
	return page, nil
}

// Judge is what member u with active methods has registered under p. It is
// the per-member definition the summary's counts must agree with.
func Judge(p twofold.Policy, u *twofold.User, methods []*twofold.Method, at time.Time) Detail {
	d := Detail{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, IsAdmin: u.Role == twofold.RoleAdmin,
		SSPREnabled: p.Reset.Enabled, UpdatedAt: at}
	var active []*twofold.Method
	for _, m := range methods {
		if m.State == twofold.MethodActive {
			active = append(active, m)
		}
	}
	for _, m := range active {
		if m.MFACapable() {
			d.MFARegistered = true
		}
	}
	d.MFACapable = len(methodkind.Usable(p, active)) > 0
	d.SSPRRegistered = methodkind.ResetMissing(resetOn(p), u, active) == 0
	d.SSPRCapable = d.SSPREnabled && d.SSPRRegistered
	seen := map[string]bool{}
	for _, c := range classes() {
		for _, m := range active {
			if m.Kind == c.Kind && m.PhoneType == c.PhoneType && !seen[graphName(c)] {
				seen[graphName(c)] = true
				d.Methods = append(d.Methods, graphName(c))
				d.Labels = append(d.Labels, label(c))
			}
		}
	}
	d.Default = methodkind.EffectiveDefault(p, u, active)
	d.DefaultLabel = methodkind.PreferenceLabel(d.Default)
	if d.DefaultLabel == "" {
		d.DefaultLabel = "None"
	}
	return d
}

// graphName names a class as Graph's methodsRegistered does: a phone by its
// type ("mobilePhone"), any other kind by its own name.
func graphName(c twofold.MethodClass) string {
	if c.PhoneType != "" {
		return string(c.PhoneType) + "Phone"
	}
	return string(c.Kind)
}

// label names a class for people: "Phone (mobile)".
func label(c twofold.MethodClass) string {
	l := methodkind.Label(c.Kind)
	if c.PhoneType != "" {
		l += " (" + phoneTypeLabel[c.PhoneType] + ")"
	}
	return l
}

var phoneTypeLabel = map[twofold.PhoneType]string{
	twofold.PhoneMobile: "mobile", twofold.PhoneAlternateMobile: "alternate mobile", twofold.PhoneOffice: "office",
}

// errCursor is the answer to a cursor this service did not make.
var errCursor = twofold.FieldError("after", "That page link is not valid. Start again from the first page.")

// A cursor is the last user name of a page, base64url-encoded so it reads as
// opaque and survives a query string.
func encodeCursor(username string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(username))
}

func decodeCursor(c string) (string, error) {
	if c == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) == 0 || len(b) > 512 || !utf8.Valid(b) || strings.ContainsRune(string(b), 0) {
		return "", errCursor
	}
	return string(b), nil
}

// Snapshot stores today's figures of every organization that has none yet.
// Every replica's worker may call it; the store keeps one row a day, and an
// organization whose day is stored is not counted again. It returns how many
// days it stored.
func (s *Service) Snapshot(ctx context.Context) (int, error) {
	now := s.Now().UTC()
	today := day(now)
	orgs, err := s.Store.ListOrgs(ctx)
	if err != nil {
		return 0, err
	}
	stored := 0
	var errs []error
	for _, org := range orgs {
		have, err := s.Store.RegistrationSnapshots(ctx, org.ID, today)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if len(have) > 0 {
			continue
		}
		f, byKind, err := s.count(ctx, org)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ok, err := s.Store.SaveRegistrationSnapshot(ctx, &twofold.RegistrationSnapshot{OrgID: org.ID, Day: today,
			Members: f.Members, MFARegistered: f.MFARegistered, MFACapable: f.MFACapable,
			SSPRRegistered: f.SSPRRegistered, SSPRCapable: f.SSPRCapable, ByKind: byKind, CreatedAt: now})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if ok {
			stored++
		}
	}
	if err := errors.Join(errs...); err != nil {
		return stored, fmt.Errorf("registrations: snapshot: %w", err)
	}
	return stored, nil
}

package admin

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
)

// PolicyChange is one setting a policy edit changes, as the console's diff
// shows it before saving.
type PolicyChange struct {
	Field  string // the setting's JSON name ("lockoutThreshold", "phone.allowedCountryCodes")
	Label  string // what people call it
	Before string
	After  string
}

// PolicyProblemsError is every problem of a refused policy at once. It wraps
// EINVALID field errors, so twofold.ErrorCode reports EINVALID and
// twofold.ErrorField/ErrorMessage the first problem; a form lists them all
// with Problems.
type PolicyProblemsError struct {
	List []error // each a *twofold.Error with Field set
}

func (e *PolicyProblemsError) Error() string {
	msgs := make([]string, len(e.List))
	for i, p := range e.List {
		msgs[i] = p.Error()
	}
	return "policy: " + strings.Join(msgs, "; ")
}

// Problems returns every problem, in the order the policy form shows its settings.
func (e *PolicyProblemsError) Problems() []error { return e.List }

// Unwrap lets errors.As find the first *twofold.Error.
func (e *PolicyProblemsError) Unwrap() []error { return e.List }

// Problems returns the problems of err when it is a refused policy, or nil.
func Problems(err error) []error {
	var pe *PolicyProblemsError
	if errors.As(err, &pe) {
		return pe.List
	}
	return nil
}

// Policy returns the actor's organization (orgID for the CLI) with its
// authentication methods policy. Admins and tokens with policy.manage only;
// the help desk gets EFORBIDDEN.
func (s *Service) Policy(ctx context.Context, a *twofold.Actor, orgID string) (*twofold.Organization, error) {
	if a == nil || !a.MayManagePolicy() || !a.Allows(twofold.ScopePolicyManage) {
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "Only admins can see and change the authentication methods policy.")
	}
	if a.OrgID != "" {
		orgID = a.OrgID
	}
	if orgID == "" {
		return nil, twofold.FieldError("org", "Name the organization whose policy to read.")
	}
	org, err := s.Store.OrgByID(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("admin: policy of %s: %w", orgID, err)
	}
	return s.fresh(ctx, org), nil
}

// fresh reads org again past the organization cache (which serves OrgByID
// from memory for a few seconds per replica): an admin must edit, and a diff
// must start from, the policy in force, not one another replica has since
// replaced. OrgByDomain always reads the database.
func (s *Service) fresh(ctx context.Context, org *twofold.Organization) *twofold.Organization {
	if len(org.Domains) == 0 {
		return org
	}
	if f, err := s.Store.OrgByDomain(ctx, org.Domains[0]); err == nil && f.ID == org.ID {
		return f
	}
	return org
}

// PolicyProblems returns every problem of p at once, each a field error named
// by the setting's JSON path: the ranges the domain checks, then the rules of
// this build — a required second factor needs a method members can set up
// here, and phones (texts and calls can be intercepted or redirected) may
// never be the only second factor on offer (NIST SP 800-63B 3.1.3.3: a
// restricted authenticator needs a stronger alternative).
func PolicyProblems(p twofold.Policy) []error {
	out := p.Problems()
	methodsProblem := slices.ContainsFunc(out, func(err error) bool { return twofold.ErrorField(err) == "enabledMethods" })
	kinds := methodkind.Registrable(p, nil)
	if p.MFARequired && len(kinds) == 0 && !methodsProblem {
		out = append(out, twofold.FieldError("enabledMethods", "Two-step verification is required, so turn on a method members can set up here: the authenticator app (softwareOath) or phones (phone)."))
		methodsProblem = true
	}
	stronger := func(k twofold.MethodKind) bool { return slices.Contains(secondFactors, k) && !methodkind.Restricted(k) }
	if p.MethodEnabled(twofold.KindPhone) && !methodsProblem && !slices.ContainsFunc(kinds, stronger) {
		out = append(out, twofold.FieldError("enabledMethods", "Texts and calls can be intercepted, so phones can't be the only second factor: turn on the authenticator app (softwareOath) or security keys (fido2) as well."))
	}
	return out
}

// secondFactors are the kinds that can prove a member at sign-in; email and
// security questions only count for password reset.
var secondFactors = []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindPhone, twofold.KindFido2}

// checkPolicy returns nil, or a *PolicyProblemsError with every problem of p.
func checkPolicy(p twofold.Policy) error {
	if all := PolicyProblems(p); len(all) > 0 {
		return &PolicyProblemsError{List: all}
	}
	return nil
}

// PolicyDiff lists the settings that differ between before and after, in the
// order the policy form shows them.
func PolicyDiff(before, after twofold.Policy) []PolicyChange {
	var out []PolicyChange
	for _, s := range policySettings {
		b, a := s.show(before), s.show(after)
		if b != a {
			out = append(out, PolicyChange{Field: s.field, Label: s.label, Before: b, After: a})
		}
	}
	return out
}

// SetPolicy validates p (every problem at once, as a *PolicyProblemsError)
// and stores it for the actor's organization (orgID for the CLI), audited
// "Authentication methods policy update" with the admin as actor and the
// changes in the reason. It returns the changes; none when p equals the
// stored policy, and then nothing is written. Returns EFORBIDDEN for the help
// desk and tokens without policy.manage, EREAUTH for a stale second factor.
func (s *Service) SetPolicy(ctx context.Context, a *twofold.Actor, orgID string, p twofold.Policy) ([]PolicyChange, error) {
	if a == nil || !a.MayManagePolicy() || !a.Allows(twofold.ScopePolicyManage) {
		return nil, twofold.Errorf(twofold.EFORBIDDEN, "Only admins can change the authentication methods policy.")
	}
	if !a.Fresh(s.now(), s.freshWindow()) {
		return nil, twofold.Errorf(twofold.EREAUTH, "Verify your identity again to make changes: it's been more than %s since you last did.", wording(s.freshWindow()))
	}
	if err := checkPolicy(p); err != nil {
		return nil, err
	}
	current, err := s.Policy(ctx, a, orgID)
	if err != nil {
		return nil, err
	}
	var changes []PolicyChange
	err = s.Store.InTx(ctx, func(ctx context.Context) error {
		// Saves of one organization's policy run one after another, each
		// diffing against the policy the previous one stored, so every audit
		// record's "before" is what was really replaced.
		if err := s.Store.LockOrg(ctx, current.ID); err != nil {
			return fmt.Errorf("admin: lock %s: %w", current.ID, err)
		}
		org, err := s.Policy(ctx, a, orgID)
		if err != nil {
			return err
		}
		if changes = PolicyDiff(org.Policy, p); len(changes) == 0 {
			return nil
		}
		if err := s.Store.UpdatePolicy(ctx, org.ID, p); err != nil {
			return fmt.Errorf("admin: store policy of %s: %w", org.ID, err)
		}
		return s.Audit.Record(ctx, &twofold.AuditEvent{OrgID: org.ID, ActorID: a.UserID, ActorName: a.Name,
			TargetID: org.ID, TargetName: org.Name, Activity: twofold.ActivityPolicyUpdate,
			Result: twofold.ResultSuccess, Reason: changeSummary(changes), IP: a.Client.IP, UserAgent: a.Client.UserAgent})
	})
	if err != nil {
		return nil, err
	}
	return changes, nil
}

// changeSummary is the audit reason of a policy update: each change as
// "label: before → after", cut to a length an audit row holds.
func changeSummary(changes []PolicyChange) string {
	parts := make([]string, len(changes))
	for i, c := range changes {
		parts[i] = fmt.Sprintf("%s: %s → %s", c.Label, c.Before, c.After)
	}
	s := strings.Join(parts, "; ")
	if r := []rune(s); len(r) > maxReason {
		s = string(r[:maxReason-1]) + "…"
	}
	return s
}

// maxReason bounds the audit reason of a policy update, so a long list of
// custom questions can't make one audit row huge.
const maxReason = 2000

package securityinfo

import (
	"context"
	"fmt"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
	"github.com/twofold-id/twofold/internal/policy"
)

// Row is one method on the Security info page.
type Row struct {
	Method    *twofold.Method
	Label     string // "Authenticator app", "Phone", "Office phone"
	Detail    string // the member's name for it, or the phone number ("+1 4255551234")
	Deletable bool
	// Changeable is set where the row has a Change action (a phone's number).
	Changeable bool
	// DeleteNote is what deleting it would do to the default sign-in method,
	// for the confirmation ("Your default sign-in method will become …"); "" when
	// the default stays.
	DeleteNote string
}

// AddOption is one kind the member may add now.
type AddOption struct {
	Kind        twofold.MethodKind
	Label       string
	Description string
}

// Overview is everything the Security info page shows.
type Overview struct {
	Methods      []Row
	Default      twofold.SignInPreference
	DefaultLabel string // "" when there is no default
	Choices      []methodkind.Choice
	CanAdd       []AddOption
	// NotOffered names registered kinds the organization has turned off, for a footnote.
	NotOffered []string
	// NoDefaultNotice is set when the member has no second factor left.
	NoDefaultNotice bool
}

// Overview returns the member's security info. Returns ErrReauth when the session's
// second factor is not fresh.
func (s *Service) Overview(ctx context.Context, p *twofold.Principal) (*Overview, error) {
	methods, err := s.activeMethods(ctx, p)
	if err != nil {
		return nil, err
	}
	pol := p.Org.Policy
	o := &Overview{
		Default: methodkind.EffectiveDefault(pol, p.User, methods),
		Choices: methodkind.Choices(pol, methods),
	}
	o.DefaultLabel = methodkind.ChoiceLabel(pol, methods, o.Default)
	o.NoDefaultNotice = o.Default == twofold.PreferenceNone
	off := map[string]bool{}
	for _, m := range methods {
		row := Row{Method: m, Deletable: true, DeleteNote: planDelete(pol, p.User, methods, m.ID).note(pol)}
		row.Label, row.Detail = methodkind.Of(m.Kind).Row(m)
		if m.Kind == twofold.KindPhone {
			row.Changeable = pol.MethodEnabled(twofold.KindPhone) && len(policy.PhoneChannels(pol, m.PhoneType)) > 0
		}
		if m.Kind == twofold.KindEmail {
			row.Changeable = pol.MethodEnabled(twofold.KindEmail)
		}
		if m.Kind == twofold.KindSecurityQuestions {
			// Changing questions is answering them again.
			row.Changeable = canUseQuestions(p) == nil
		}
		o.Methods = append(o.Methods, row)
		if label := methodkind.Label(m.Kind); !pol.MethodEnabled(m.Kind) && !off[label] {
			off[label] = true
			o.NotOffered = append(o.NotOffered, label)
		}
	}
	for _, k := range methodkind.RegistrableFor(pol, p.User, methods) {
		o.CanAdd = append(o.CanAdd, AddOption{Kind: k, Label: methodkind.Label(k), Description: methodkind.Description(k)})
	}
	return o, nil
}

// Method returns one of the member's active methods, for a confirmation page.
func (s *Service) Method(ctx context.Context, p *twofold.Principal, id string) (*twofold.Method, error) {
	if _, err := s.activeMethods(ctx, p); err != nil {
		return nil, err
	}
	m, err := s.Store.MethodByID(ctx, p.User.ID, id)
	if err != nil {
		return nil, err
	}
	if m.State != twofold.MethodActive {
		return nil, twofold.Errorf(twofold.ENOTFOUND, "That method isn't part of your security info.")
	}
	return m, nil
}

// MethodCount returns how many methods the member has registered. It reveals no
// detail, so unlike Overview it does not need a fresh second factor: the My Account
// landing page shows it to any signed-in member.
func (s *Service) MethodCount(ctx context.Context, p *twofold.Principal) (int, error) {
	methods, err := s.Store.ListMethods(ctx, p.User.ID, twofold.MethodActive)
	if err != nil {
		return 0, fmt.Errorf("securityinfo: count methods: %w", err)
	}
	return len(methods), nil
}

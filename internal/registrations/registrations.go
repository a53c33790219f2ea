package registrations

import (
	"context"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/methodkind"
)

// Store is what the report needs of the store.
type Store interface {
	twofold.ReportStore
	OrgByID(ctx context.Context, id string) (*twofold.Organization, error)
	ListOrgs(ctx context.Context) ([]*twofold.Organization, error)
}

// Service builds the report.
type Service struct {
	Store Store
	Now   func() time.Time
}

// HistoryDays is how many days of daily figures the report shows before now.
const HistoryDays = 30

// Summary is an organization's figures now, by method, and over time.
type Summary struct {
	OrgID   string
	OrgName string
	At      time.Time
	Figures
	// ResetEnabled is the policy's self-service password reset switch; with it
	// off nobody is reset capable.
	ResetEnabled bool
	// ByMethod is how many members hold at least one active method of each
	// kind, in the order members are offered kinds; kinds nobody holds are
	// listed with 0.
	ByMethod []MethodCount
	// History is the daily figures of the last HistoryDays days, oldest first,
	// then today's figures now (Now set).
	History []Point
}

// Figures are the counts of members, each member at most once per figure.
type Figures struct {
	Members        int
	MFARegistered  int // hold an active second-factor method
	MFACapable     int // hold one the policy lets them use now
	SSPRRegistered int // hold the reset methods the policy requires of them
	SSPRCapable    int // registered, and reset is enabled
}

// MethodCount is the members holding a kind of method.
type MethodCount struct {
	Kind    twofold.MethodKind
	Label   string
	Members int
}

// Point is the figures of one day.
type Point struct {
	Day time.Time // midnight UTC
	Now bool      // the figures as of now, not a stored day
	Figures
}

// DetailsQuery asks for one page of members.
type DetailsQuery struct {
	OrgID string // used only when the actor is the CLI; else the actor's organization
	After string // opaque cursor from DetailsPage.Next; "" is the first page
	Limit int    // 1–1000; 0 means 100
}

// DetailsPage is a page of members by user name.
type DetailsPage struct {
	Rows []Detail
	Next string // cursor of the next page; "" on the last
}

// Detail is one member's registration.
type Detail struct {
	ID, Username, DisplayName string
	IsAdmin                   bool
	MFARegistered, MFACapable bool
	SSPREnabled               bool
	SSPRRegistered            bool
	SSPRCapable               bool
	// Methods names the member's active methods as the Graph report does
	// ("softwareOath", "mobilePhone", "fido2"), each once; Labels names them for
	// people in the same order.
	Methods, Labels []string
	// Default is the default second factor sign-in would offer first
	// (PreferenceNone when none is usable), DefaultLabel its name for people.
	Default      twofold.SignInPreference
	DefaultLabel string
	UpdatedAt    time.Time // when the figures were read
}

// allKinds are the kinds the report knows, in the order it lists them.
var allKinds = []twofold.MethodKind{twofold.KindSoftwareOath, twofold.KindPhone, twofold.KindFido2,
	twofold.KindEmail, twofold.KindSecurityQuestions, twofold.KindTemporaryAccessPass}

// phoneTypes are the phones a member may have, one of each.
var phoneTypes = []twofold.PhoneType{twofold.PhoneMobile, twofold.PhoneAlternateMobile, twofold.PhoneOffice}

// classes are every kind of method the rules can tell apart: a kind, and for
// phones each type.
func classes() []twofold.MethodClass {
	var out []twofold.MethodClass
	for _, k := range allKinds {
		if k == twofold.KindPhone {
			for _, t := range phoneTypes {
				out = append(out, twofold.MethodClass{Kind: k, PhoneType: t})
			}
			continue
		}
		out = append(out, twofold.MethodClass{Kind: k})
	}
	return out
}

// sample is an active method of class c, as methodkind judges methods.
func sample(c twofold.MethodClass) *twofold.Method {
	return &twofold.Method{Kind: c.Kind, PhoneType: c.PhoneType, State: twofold.MethodActive}
}

// resetOn is p with reset switched on: whether a member has registered the
// methods reset needs doesn't depend on the switch, only whether they can use
// them does.
func resetOn(p twofold.Policy) twofold.Policy {
	p.Reset.Enabled = true
	return p
}

// Rules turns policy p into the classes the store counts, by asking
// methodkind about a sample method of every class, so the report's SQL follows
// sign-in's and reset's own rules.
func Rules(p twofold.Policy) twofold.RegistrationRules {
	r := twofold.RegistrationRules{Reset: map[twofold.Role]twofold.ResetRule{}, Kinds: allKinds}
	on := resetOn(p)
	for _, c := range classes() {
		m := sample(c)
		if m.MFACapable() {
			r.Registered = append(r.Registered, c)
		}
		if len(methodkind.Usable(p, []*twofold.Method{m})) == 1 {
			r.Usable = append(r.Usable, c)
		}
	}
	for _, role := range []twofold.Role{twofold.RoleMember, twofold.RoleHelpdesk, twofold.RoleAdmin} {
		u := &twofold.User{Role: role}
		rule := twofold.ResetRule{Required: methodkind.ResetRequired(on, u)}
		for _, c := range classes() {
			if len(methodkind.ResetMethods(on, u, []*twofold.Method{sample(c)})) == 1 {
				rule.Classes = append(rule.Classes, c)
			}
		}
		r.Reset[role] = rule
	}
	return r
}

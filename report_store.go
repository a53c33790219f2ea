package twofold

import (
	"context"
	"time"
)

// MethodClass is the part of a method the registration rules look at: its kind
// and, for a phone, its type. The report's use case asks the method-kind rules
// about one representative method of each class and hands the store the
// classes that qualify, so the store can count in SQL without knowing a rule.
type MethodClass struct {
	Kind      MethodKind
	PhoneType PhoneType // "" for kinds other than phones
}

// RegistrationRules are the classes that count, decided by the use case.
type RegistrationRules struct {
	// Registered are the classes that make a member MFA registered.
	Registered []MethodClass
	// Usable are the classes that are a second factor under the policy now.
	Usable []MethodClass
	// Reset says, per role, which classes prove a member of that role at a
	// password reset and how many different methods they need. A role not
	// listed is never counted as registered for reset.
	Reset map[Role]ResetRule
	// Kinds are the kinds whose holders are counted in ByKind.
	Kinds []MethodKind
}

// ResetRule is what a reset needs of a member of one role.
type ResetRule struct {
	Classes  []MethodClass
	Required int
}

// RegistrationCounts are an organization's members counted by what they have
// registered, each member once per figure.
type RegistrationCounts struct {
	Members        int
	MFARegistered  int
	MFACapable     int
	SSPRRegistered int
	// ByKind is how many members hold at least one active method of each of
	// the rules' kinds; a kind nobody holds is left out.
	ByKind map[MethodKind]int
}

// RegistrationSnapshot is one organization's figures on one day (UTC), kept so
// the report can show them over time.
type RegistrationSnapshot struct {
	OrgID          string
	Day            time.Time // midnight UTC
	Members        int
	MFARegistered  int
	MFACapable     int
	SSPRRegistered int
	SSPRCapable    int
	ByKind         map[MethodKind]int
	CreatedAt      time.Time
}

// MemberMethods is one member with their active methods.
type MemberMethods struct {
	User    *User // PasswordHash cleared
	Methods []*Method
}

// ReportStore is what the registration report needs of the store.
type ReportStore interface {
	// RegistrationCounts counts orgID's members by the rules r, in the database.
	RegistrationCounts(ctx context.Context, orgID string, r RegistrationRules) (*RegistrationCounts, error)
	// RegistrationMembers returns up to limit of orgID's members whose user name
	// sorts after after ("" for the first), ordered by user name, each with
	// their active methods.
	RegistrationMembers(ctx context.Context, orgID, after string, limit int) ([]MemberMethods, error)
	// SaveRegistrationSnapshot stores s unless the organization already has one
	// for s.Day, and reports whether it stored it; replicas may all try.
	SaveRegistrationSnapshot(ctx context.Context, s *RegistrationSnapshot) (bool, error)
	// RegistrationSnapshots returns orgID's snapshots from the day since on,
	// oldest first.
	RegistrationSnapshots(ctx context.Context, orgID string, since time.Time) ([]*RegistrationSnapshot, error)
}

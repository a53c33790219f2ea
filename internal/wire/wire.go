// Package wire builds the use cases from their concrete parts, once: cmd/twofold
// and internal/testkit both call Build, so a new service or method kind is wired
// in one place and the tests run the same graph as the binary.
package wire

import (
	"log/slog"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/account"
	"github.com/twofold-id/twofold/internal/admin"
	"github.com/twofold-id/twofold/internal/apitoken"
	"github.com/twofold-id/twofold/internal/audit"
	"github.com/twofold-id/twofold/internal/auditlog"
	"github.com/twofold-id/twofold/internal/campaign"
	"github.com/twofold-id/twofold/internal/email"
	"github.com/twofold-id/twofold/internal/fraud"
	"github.com/twofold-id/twofold/internal/notify"
	"github.com/twofold-id/twofold/internal/notify/outbox"
	"github.com/twofold-id/twofold/internal/password"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/pow"
	"github.com/twofold-id/twofold/internal/questions"
	"github.com/twofold-id/twofold/internal/registrations"
	"github.com/twofold-id/twofold/internal/reportlink"
	"github.com/twofold-id/twofold/internal/reset"
	"github.com/twofold-id/twofold/internal/secondfactor"
	"github.com/twofold-id/twofold/internal/secretbox"
	"github.com/twofold-id/twofold/internal/securityinfo"
	"github.com/twofold-id/twofold/internal/session"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/tap"
	"github.com/twofold-id/twofold/internal/totp"
	"github.com/twofold-id/twofold/internal/webauthn"
)

// Deps are the concrete parts the caller chooses: the store, keys, clock, and
// where texts, calls and mail go.
type Deps struct {
	// Store is the database, usually behind the organization cache.
	Store  twofold.Store
	Box    *secretbox.Box // seals authenticator secrets
	Hasher *password.Hasher
	// CodeKey hashes texted codes.
	CodeKey []byte
	// Outbox keeps what no real provider sends; it hears the phone service's call
	// events when set.
	Outbox *outbox.Provider
	// Phone sends texts and places calls; Mail takes notices and alerts.
	Phone notify.Phone
	Mail  notify.Sender
	// BaseURL is the configured address members reach the service at; the
	// links in notices are made on it, never on a request's Host header.
	BaseURL string
	Log     *slog.Logger
	Now     func() time.Time
	// PoW checks the proof of work that starting a password reset needs; nil
	// leaves reset refusing every start.
	PoW reset.ProofOfWork
}

// Config holds the services' settings; zero fields take each service's default.
type Config struct {
	Session  session.Config
	Phone    phone.Config
	SignIn   signin.Config
	FreshMFA time.Duration
	Reset    reset.Config
	// WebAuthn is the relying party of security keys; an empty RPID (the
	// service is reached by an IP address) leaves keys unavailable. Its Now is
	// the Deps' clock.
	WebAuthn webauthn.Config

	// AdminFreshMFA is how recently a console member must have proven a
	// second factor to change anything (zero: the admin package's default).
	AdminFreshMFA time.Duration
}

// Services are the wired use cases.
type Services struct {
	Audit    *audit.Recorder
	Admin    *admin.Service
	Sessions *session.Service
	Apps     *totp.Service
	Phone    *phone.Service
	Checker  *secondfactor.Checker
	SignIn   *signin.Service
	SecInfo  *securityinfo.Service
	WebAuthn *webauthn.Service // nil when keys are unavailable
	// Questions hashes security answers and checks them at reset.
	Questions *questions.Service
	// Campaign asks signed-in members for reset methods, with snoozes.
	Campaign *campaign.Service
	// Emails mails codes to email methods and checks them (Security info, reset).
	Emails *email.Codes
	// Reset is self-service password reset.
	Reset *reset.Service
	// Report takes the "This wasn't me" reports of the links in notices.
	Report *fraud.Service
	// PoW hands out and checks the proof of work that starting a reset needs.
	PoW *pow.Service
	// Account is My Account beyond security info: changing the password.
	Account *account.Service
	// AuditLog searches and sweeps the audit log (console, API).
	AuditLog *auditlog.Service
	// Registrations is the registration report.
	Registrations *registrations.Service
	// AccessPasses issues Temporary Access Passes.
	AccessPasses *tap.Service
	// Tokens creates, revokes and checks admin API tokens.
	Tokens *apitoken.Service
}

// Build wires every use case over d.
func Build(d Deps, cfg Config) *Services {
	st, now := d.Store, d.Now
	// Notices go to the member's email method or mobile phone as well as the
	// work mailbox, each with a "This wasn't me" link signed with a key
	// derived from the code key.
	links := &reportlink.Signer{Key: reportlink.DeriveKey(d.CodeKey), BaseURL: d.BaseURL, Now: now}
	notifier := &notify.Notifier{Sender: d.Mail, Now: now, Methods: st, Phone: d.Phone, Links: links, Log: d.Log}
	s := &Services{}
	s.Audit = audit.New(st, notifier, now)
	s.Admin = &admin.Service{Store: st, Hasher: d.Hasher, Audit: s.Audit, Now: now, FreshMFA: cfg.AdminFreshMFA}
	s.Sessions = session.New(st, s.Audit, cfg.Session, now)
	s.Apps = totp.New(d.Box, st, now)
	s.Phone = phone.New(phone.Deps{
		Store: st, Provider: d.Phone, Audit: s.Audit, Alerter: notifier, Log: d.Log, Now: now, CodeKey: d.CodeKey,
	}, cfg.Phone)
	if d.Outbox != nil {
		d.Outbox.SetEvents(s.Phone)
	}
	s.Checker = secondfactor.New(st, s.Apps, s.Phone, now)
	s.WebAuthn = buildWebAuthn(d, cfg.WebAuthn)
	s.SignIn = signin.New(signin.Deps{
		Store: st, Hasher: d.Hasher, Enroller: s.Apps, Phones: s.Phone, Keys: s.WebAuthn, Checker: s.Checker,
		Sessions: s.Sessions, Audit: s.Audit, Log: d.Log, Now: now,
	}, cfg.SignIn)
	s.Questions = questions.New(st, d.Hasher)
	s.Campaign = campaign.New(st, s.Audit, now)
	s.Emails = email.New(email.Deps{Store: st, Mail: d.Mail, Log: d.Log, Now: now, CodeKey: d.CodeKey})
	s.SecInfo = securityinfo.New(securityinfo.Deps{
		Store: st, Enroller: s.Apps, Phones: s.Phone, Keys: securityinfo.Keys{WebAuthn: s.WebAuthn, Store: st},
		Checker: s.Checker, Sessions: s.Sessions, Audit: s.Audit,
		Now: now, FreshWindow: cfg.FreshMFA,
		Questions: securityinfo.Questions{Answers: s.Questions, Store: st},
		Emails:    securityinfo.Emails{Codes: s.Emails, Store: st},
	})
	// Challenges are signed with a key derived from the code key, for this
	// use only, and each solution is accepted once.
	s.PoW = &pow.Service{Key: pow.DeriveKey(d.CodeKey), Now: now, Once: st}
	if d.PoW == nil {
		d.PoW = s.PoW
	}
	s.Reset = buildReset(d, s, cfg.Reset)
	s.Report = &fraud.Service{Store: st, Links: links, Audit: s.Audit, Alerter: notifier, Now: now}
	s.Account = account.New(account.Deps{
		Store: st, Hasher: d.Hasher, Audit: s.Audit, Now: now, Log: d.Log, FreshWindow: cfg.FreshMFA,
	})
	s.AuditLog = &auditlog.Service{Store: st, Audit: s.Audit, Now: now}
	s.Registrations = &registrations.Service{Store: st, Now: now}
	s.AccessPasses = &tap.Service{Store: st, Audit: s.Audit, Now: now, FreshMFA: cfg.AdminFreshMFA}
	s.Tokens = &apitoken.Service{Store: st, Audit: s.Audit, Now: now}
	return s
}

// buildWebAuthn returns the security-key ceremonies for the relying party in
// cfg, or nil when there is none: keys are then unavailable, and the use cases
// say so, rather than the service refusing to start.
func buildWebAuthn(d Deps, cfg webauthn.Config) *webauthn.Service {
	if cfg.RPID == "" {
		return nil
	}
	cfg.Now = d.Now
	svc, err := webauthn.New(d.Store, cfg)
	if err != nil {
		d.Log.Error("security keys unavailable", "err", err)
		return nil
	}
	return svc
}

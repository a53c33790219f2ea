package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/twofold-id/twofold"

	"github.com/twofold-id/twofold/internal/account"
	"github.com/twofold-id/twofold/internal/admin"
	"github.com/twofold-id/twofold/internal/apitoken"
	"github.com/twofold-id/twofold/internal/audit"
	"github.com/twofold-id/twofold/internal/auditlog"
	"github.com/twofold-id/twofold/internal/campaign"
	"github.com/twofold-id/twofold/internal/config"
	"github.com/twofold-id/twofold/internal/fraud"
	"github.com/twofold-id/twofold/internal/notify"
	"github.com/twofold-id/twofold/internal/notify/outbox"
	"github.com/twofold-id/twofold/internal/notify/twilio"
	"github.com/twofold-id/twofold/internal/notify/webhook"
	"github.com/twofold-id/twofold/internal/orgcache"
	"github.com/twofold-id/twofold/internal/password"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/pow"
	"github.com/twofold-id/twofold/internal/registrations"
	"github.com/twofold-id/twofold/internal/reset"
	"github.com/twofold-id/twofold/internal/secretbox"
	"github.com/twofold-id/twofold/internal/securityinfo"
	"github.com/twofold-id/twofold/internal/session"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/store"
	"github.com/twofold-id/twofold/internal/tap"
	"github.com/twofold-id/twofold/internal/webauthn"
	"github.com/twofold-id/twofold/internal/wire"
)

// command is one invocation of the CLI.
type command struct {
	ctx    context.Context
	global *global
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	// creates is set by the commands that may make the embedded store (serve,
	// migrate, org create, user create); the others need one to exist.
	creates bool
}

// app is the wired service: the store and every use case, built from the config.
type app struct {
	cfg      config.Config
	log      *slog.Logger
	store    *store.Store
	now      func() time.Time
	hasher   *password.Hasher
	audit    *audit.Recorder
	admin    *admin.Service
	sessions *session.Service
	signin   *signin.Service
	secinfo  *securityinfo.Service
	campaign *campaign.Service
	reset    *reset.Service
	pow      *pow.Service
	account  *account.Service
	report   *fraud.Service
	phone    *phone.Service
	// The admin console's and the admin API's use cases beyond admin.
	auditLog      *auditlog.Service
	registrations *registrations.Service
	accessPasses  *tap.Service
	tokens        *apitoken.Service
	// outbox keeps mail with TWOFOLD_MAIL outbox, and texts and calls with
	// TWOFOLD_DELIVERY outbox; hooks are the call-report webhooks of a real provider.
	outbox *outbox.Provider
	hooks  http.Handler
	// mail sends queued mail through the mail server; nil with TWOFOLD_MAIL outbox.
	mail *notify.Dispatcher
}

// load reads the configuration with the command's flags on top.
func (c *command) load(extra map[string]string) (config.Config, error) {
	flags := map[string]string{}
	for k, v := range c.global.settings {
		flags[k] = v
	}
	for k, v := range extra {
		flags[k] = v
	}
	return config.Load(c.global.configFile, c.getenv, flags)
}

// open wires the service. The caller must call a.close.
func (c *command) open(cfg config.Config) (*app, error) {
	log := slog.New(slog.NewJSONHandler(c.stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	if !cfg.Postgres() {
		if err := c.embeddedStore(cfg); err != nil {
			return nil, err
		}
	}
	key, err := secretKey(cfg)
	if err != nil {
		return nil, err
	}
	box, err := secretbox.New(key)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(c.ctx, cfg.Database)
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(c.ctx); err != nil {
		st.Close()
		return nil, err
	}
	now := time.Now
	a := &app{cfg: cfg, log: log, store: st, now: now}
	if err := a.wire(orgcache.Wrap(st, cfg.PolicyCache, now), box, codeKey(key)); err != nil {
		st.Close()
		return nil, err
	}
	return a, nil
}

// embeddedStore makes the data directory for a command that creates, and
// otherwise checks the SQLite file is there: a command that only reads must
// not leave an empty store wherever it happens to be run.
func (c *command) embeddedStore(cfg config.Config) error {
	if c.creates {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return fmt.Errorf("data directory: %w", err)
		}
		return nil
	}
	if _, err := os.Stat(cfg.Database); err == nil {
		return nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("database: %w", err)
	}
	if filepath.Clean(cfg.Database) == filepath.Join(cfg.DataDir, "twofold.db") {
		return fmt.Errorf("no twofold data in %s (use --data-dir or TWOFOLD_DATA_DIR)", cfg.DataDir)
	}
	return fmt.Errorf("no twofold database at %s (use --database or TWOFOLD_DATABASE)", cfg.Database)
}

// codeKey derives the key that hashes texted codes from the service key, so one
// secret serves both and neither can be computed from the other's use.
func codeKey(key []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("twofold phone code key v1"))
	return m.Sum(nil)
}

// phoneProvider returns the configured provider of texts and calls, and what
// builds the handler of its call-report webhooks (nil for the outbox, whose calls
// are answered on /dev/outbox).
func (a *app) phoneProvider() (notify.Phone, func(notify.CallEvents) http.Handler, error) {
	cfg := a.cfg
	switch cfg.Delivery {
	case "twilio":
		c, err := twilio.New(twilio.Config{
			AccountSID: cfg.TwilioAccountSID, AuthToken: string(cfg.TwilioAuthToken), From: cfg.TwilioFrom,
			MessagingServiceSID: cfg.TwilioMessagingServiceSID, APIBase: cfg.TwilioAPIURL, PublicBaseURL: cfg.BaseURL,
		})
		if err != nil {
			return nil, nil, err
		}
		return c, c.Handler, nil
	case "webhook":
		c, err := webhook.New(webhook.Config{
			URL: cfg.WebhookURL, Secret: []byte(cfg.WebhookSecret), PublicBaseURL: cfg.BaseURL, Now: a.now,
		})
		if err != nil {
			return nil, nil, err
		}
		return c, c.Handler, nil
	}
	return a.outbox, nil, nil
}

// wire builds the use cases on st (the store with its organization cache).
func (a *app) wire(st twofold.Store, box *secretbox.Box, codeKey []byte) error {
	cfg, log, now := a.cfg, a.log, a.now
	a.hasher = password.NewHasher(password.DefaultParams(), password.LimitOptions{
		Slots: cfg.HashSlots, Queue: cfg.HashQueue, Wait: cfg.HashWait,
	})
	a.outbox = outbox.New(st, now)
	provider, hooks, err := a.phoneProvider()
	if err != nil {
		return err
	}
	mail, err := a.mailSender(st)
	if err != nil {
		return err
	}
	svc := wire.Build(wire.Deps{
		Store: st, Box: box, Hasher: a.hasher, CodeKey: codeKey, Outbox: a.outbox, Phone: provider, Mail: mail,
		Log: log, Now: now, BaseURL: cfg.BaseURL,
	}, wire.Config{
		Session:  session.Config{IdleTimeout: cfg.SessionIdle, AbsoluteTimeout: cfg.SessionAbsolute},
		Phone:    phone.Config{CallTimeout: cfg.CallTimeout},
		SignIn:   signin.Config{IPFailureLimit: cfg.SignInIPLimit, IPWindow: cfg.SignInIPWindow},
		FreshMFA: cfg.FreshMFA,
		WebAuthn: webauthn.Config{RPID: cfg.WebAuthnRPID(), Origins: cfg.WebAuthnOrigins()},

		AdminFreshMFA: cfg.AdminFresh(),
	})
	a.audit, a.admin, a.sessions, a.phone = svc.Audit, svc.Admin, svc.Sessions, svc.Phone
	a.signin, a.secinfo, a.campaign = svc.SignIn, svc.SecInfo, svc.Campaign
	a.reset, a.pow = svc.Reset, svc.PoW
	a.account = svc.Account
	a.report = svc.Report
	a.auditLog, a.registrations, a.accessPasses, a.tokens = svc.AuditLog, svc.Registrations, svc.AccessPasses, svc.Tokens
	if hooks != nil {
		a.hooks = hooks(a.phone)
	}
	return nil
}

// secretKey returns the configured key, or with the embedded setup the key file in
// the data directory, made on first start.
func secretKey(cfg config.Config) ([]byte, error) {
	if cfg.SecretKey != "" {
		return secretbox.ParseKey(string(cfg.SecretKey))
	}
	return secretbox.LoadOrCreateKeyFile(filepath.Join(cfg.DataDir, "secret.key"))
}

func (a *app) close() { a.store.Close() }

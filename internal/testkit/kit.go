package testkit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/twofold-id/twofold/internal/admin"
	"github.com/twofold-id/twofold/internal/audit"
	"github.com/twofold-id/twofold/internal/email"
	"github.com/twofold-id/twofold/internal/fraud"
	"github.com/twofold-id/twofold/internal/notify"
	"github.com/twofold-id/twofold/internal/notify/outbox"
	"github.com/twofold-id/twofold/internal/orgcache"
	"github.com/twofold-id/twofold/internal/password"
	"github.com/twofold-id/twofold/internal/phone"
	"github.com/twofold-id/twofold/internal/secondfactor"
	"github.com/twofold-id/twofold/internal/secretbox"
	"github.com/twofold-id/twofold/internal/securityinfo"
	"github.com/twofold-id/twofold/internal/session"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/store"
	"github.com/twofold-id/twofold/internal/totp"
	"github.com/twofold-id/twofold/internal/webauthn"
	"github.com/twofold-id/twofold/internal/wire"
)

// FastParams are argon2id parameters tiny enough for unit tests (64 KiB, one
// pass). They keep the real code path while costing microseconds; the default
// parameters belong in benchmarks only.
func FastParams() password.Params { return password.Params{Memory: 64, Time: 1, Threads: 1} }

// BaseURL is the configured address of a Kit's service: the links in its
// notices start with it.
const BaseURL = "https://id.contoso.test"

// Options change how New builds a Kit. The zero value is SQLite, FastParams and
// the services' own defaults.
type Options struct {
	Backend  string          // SQLite (default) or Postgres; Postgres skips without PostgresEnv
	Params   password.Params // zero means FastParams
	Limit    password.LimitOptions
	SignIn   signin.Config
	Session  session.Config
	FreshMFA time.Duration // zero: the securityinfo default
	Phone    phone.Config  // zero fields: the phone package's defaults
	// Provider replaces the outbox for texts and calls (to test a failing
	// provider); the outbox still keeps mail.
	Provider notify.Phone
	// Mailer, when set, makes mail go through the delivery queue to it (as with
	// TWOFOLD_MAIL=smtp), sent by Kit.Mail; otherwise the outbox keeps mail.
	Mailer notify.Mailer
	Start  time.Time // zero: Start()
}

// Kit is a wired twofold service over a real store, with a fake clock.
type Kit struct {
	TB      testing.TB
	Ctx     context.Context
	Backend string
	Clock   *Clock
	Store   *store.Store
	Log     *slog.Logger
	Hasher  *password.Hasher
	Box     *secretbox.Box
	Audit   *audit.Recorder
	Admin   *admin.Service
	Session *session.Service
	Apps    *totp.Service
	Checker *secondfactor.Checker
	Outbox  *outbox.Provider
	Mail    *notify.Dispatcher // nil unless Options.Mailer is set
	Phone   *phone.Service
	SignIn  *signin.Service
	SecInfo *securityinfo.Service
	// Emails mails and checks codes to email addresses, as reset uses them.
	Emails *email.Codes
	// Report takes "This wasn't me" reports; notices link to BaseURL.
	Report *fraud.Service
	// Keys runs security-key ceremonies for the relying party KeyRPID.
	Keys *webauthn.Service

	driver, dsn string
	rawOnce     sync.Once
	raw         *sql.DB
}

// New returns a Kit on SQLite with the default Options.
func New(tb testing.TB) *Kit { return NewWith(tb, Options{}) }

// NewWith returns a Kit built as o says, wired as cmd/twofold/app.go wires the
// service. Everything is released when tb ends.
func NewWith(tb testing.TB, o Options) *Kit {
	tb.Helper()
	if o.Backend == "" {
		o.Backend = SQLite
	}
	if o.Params == (password.Params{}) {
		o.Params = FastParams()
	}
	if o.Start.IsZero() {
		o.Start = Start()
	}
	k := &Kit{TB: tb, Ctx: tb.Context(), Backend: o.Backend, Clock: NewClock(o.Start)}
	k.Store, k.driver, k.dsn = openStore(tb, o.Backend)
	key := make([]byte, secretbox.KeySize)
	_, _ = rand.Read(key)
	box, err := secretbox.New(key)
	if err != nil {
		tb.Fatalf("testkit: secretbox: %v", err)
	}
	k.Box = box
	k.Log = slog.New(slog.NewTextHandler(logWriter{tb}, &slog.HandlerOptions{Level: slog.LevelWarn}))

	// From here on, the same wiring as cmd/twofold/app.go's open: wire.Build.
	now := k.Clock.Now
	st := orgcache.Wrap(k.Store, 10*time.Second, now)
	k.Hasher = password.NewHasher(o.Params, o.Limit)
	k.Outbox = outbox.New(st, now)
	var provider notify.Phone = k.Outbox
	if o.Provider != nil {
		provider = o.Provider
	}
	var mail notify.Sender = k.Outbox
	if o.Mailer != nil {
		mail = &notify.Queue{Store: st, Now: now}
		k.Mail = &notify.Dispatcher{Store: k.Store, Mailer: o.Mailer, Now: now, Log: k.Log}
	}
	codeKey := make([]byte, 32)
	_, _ = rand.Read(codeKey)
	svc := wire.Build(wire.Deps{
		Store: st, Box: box, Hasher: k.Hasher, CodeKey: codeKey, Outbox: k.Outbox, Phone: provider, Mail: mail,
		Log: k.Log, Now: now, BaseURL: BaseURL,
	}, wire.Config{Session: o.Session, Phone: o.Phone, SignIn: o.SignIn, FreshMFA: o.FreshMFA, WebAuthn: keyConfig()})
	k.Audit, k.Admin, k.Session, k.Apps, k.Phone = svc.Audit, svc.Admin, svc.Sessions, svc.Apps, svc.Phone
	k.Checker, k.SignIn, k.SecInfo = svc.Checker, svc.SignIn, svc.SecInfo
	k.Emails = svc.Emails
	k.Report = svc.Report
	k.Keys = svc.WebAuthn
	return k
}

// DB returns a second, raw connection to the kit's database, for tests that must
// look at rows as stored or change what no use case can change yet.
func (k *Kit) DB() *sql.DB {
	k.rawOnce.Do(func() {
		db, err := sql.Open(k.driver, k.dsn)
		if err != nil {
			k.TB.Fatalf("testkit: raw database: %v", err)
		}
		k.TB.Cleanup(func() { db.Close() })
		k.raw = db
	})
	return k.raw
}

// Exec runs a raw statement ($1-style placeholders work on both backends).
func (k *Kit) Exec(query string, args ...any) {
	k.TB.Helper()
	if _, err := k.DB().ExecContext(k.Ctx, query, args...); err != nil {
		k.TB.Fatalf("testkit: exec %q: %v", query, err)
	}
}

// logWriter sends service logs (warnings and errors only) to the test log.
type logWriter struct{ tb testing.TB }

func (w logWriter) Write(p []byte) (int, error) {
	w.tb.Log(string(p))
	return len(p), nil
}

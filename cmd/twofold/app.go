package main

import (
	"context"

	"fmt"
	"github.com/twofold-id/twofold"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/twofold-id/twofold/internal/admin"
	"github.com/twofold-id/twofold/internal/audit"
	"github.com/twofold-id/twofold/internal/config"
	"github.com/twofold-id/twofold/internal/notify"
	"github.com/twofold-id/twofold/internal/orgcache"
	"github.com/twofold-id/twofold/internal/password"
	"github.com/twofold-id/twofold/internal/secondfactor"
	"github.com/twofold-id/twofold/internal/secretbox"
	"github.com/twofold-id/twofold/internal/securityinfo"
	"github.com/twofold-id/twofold/internal/session"
	"github.com/twofold-id/twofold/internal/signin"
	"github.com/twofold-id/twofold/internal/store"
	"github.com/twofold-id/twofold/internal/totp"
)

// command is one invocation of the CLI.
type command struct {
	ctx    context.Context
	global *global
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
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
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("data directory: %w", err)
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
	a.wire(orgcache.Wrap(st, cfg.PolicyCache, now), box)
	return a, nil
}

// wire builds the use cases on st (the store with its organization cache).
func (a *app) wire(st twofold.Store, box *secretbox.Box) {
	cfg, log, now := a.cfg, a.log, a.now
	a.hasher = password.NewHasher(password.DefaultParams(), password.LimitOptions{
		Slots: cfg.HashSlots, Queue: cfg.HashQueue, Wait: cfg.HashWait,
	})
	sender := &notify.Outbox{Store: st, Now: now} // the only provider so far; config validates it
	a.audit = audit.New(st, &notify.Notifier{Sender: sender, Now: now}, now)
	a.admin = &admin.Service{Store: st, Hasher: a.hasher, Audit: a.audit, Now: now}
	a.sessions = session.New(st, a.audit, session.Config{IdleTimeout: cfg.SessionIdle, AbsoluteTimeout: cfg.SessionAbsolute}, now)
	apps := totp.New(box, st, now)
	checker := secondfactor.New(st, apps, now)
	a.signin = signin.New(signin.Deps{
		Store: st, Hasher: a.hasher, Enroller: apps, Checker: checker,
		Sessions: a.sessions, Audit: a.audit, Log: log, Now: now,
	}, signin.Config{})
	a.secinfo = securityinfo.New(securityinfo.Deps{
		Store: st, Enroller: apps, Checker: checker, Sessions: a.sessions, Audit: a.audit,
		Now: now, FreshWindow: cfg.FreshMFA,
	})
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

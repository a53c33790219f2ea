package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/api"
	"github.com/twofold-id/twofold/internal/httpx"
	"github.com/twofold-id/twofold/internal/web"
)

func (c *command) serve(args []string) error {
	fs := newFlagSet("serve", c.global)
	addr := fs.String("addr", "", "listen address HOST:PORT (default 127.0.0.1:8080, or TWOFOLD_ADDR)")
	demo := fs.Bool("demo", false, "create a demo organization and member, and print how to sign in")
	if err := parse(fs, args); err != nil {
		return err
	}
	extra := map[string]string{}
	if *addr != "" {
		extra["TWOFOLD_ADDR"] = *addr
	}
	cfg, err := c.load(extra)
	if err != nil {
		return err
	}
	c.creates = true
	if cfg.OutboxExposed() && !cfg.DevOutboxPublic {
		return fmt.Errorf("serve: %s is reachable from other machines, and the dev outbox would show anyone who reaches it "+
			"the codes and calls at /dev/outbox. Listen on loopback only (--addr 127.0.0.1:8080), or turn the page off "+
			"(TWOFOLD_DEV_OUTBOX=false), or, on a test network where everyone may read the codes, set TWOFOLD_DEV_OUTBOX_PUBLIC=true", cfg.Addr)
	}
	if !cfg.Postgres() {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return fmt.Errorf("data directory: %w", err)
		}
		unlock, err := lockDataDir(cfg.DataDir)
		if err != nil {
			return err
		}
		defer unlock()
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	defer ln.Close()
	// The base URL made from the address names the port actually bound (--addr :0).
	cfg = cfg.Listening(ln.Addr().String())
	a, err := c.open(cfg)
	if err != nil {
		return err
	}
	defer a.close()
	if *demo {
		if err := a.demo(c); err != nil {
			return err
		}
	}
	handler, err := a.handler()
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	// Background work stops, and is waited for, before the store closes.
	var background sync.WaitGroup
	defer background.Wait()
	bgCtx, stopBackground := context.WithCancel(c.ctx)
	defer stopBackground()
	background.Go(func() { a.sweep(bgCtx) })
	if a.mail != nil {
		background.Go(func() { a.mail.Run(bgCtx) })
	}
	if cfg.OutboxExposed() {
		a.log.Warn("THE DEV OUTBOX IS PUBLIC: ANYONE WHO REACHES " + ln.Addr().String() + " CAN READ SIGN-IN CODES AND ANSWER CALLS AT " +
			cfg.BaseURL + "/dev/outbox (TWOFOLD_DEV_OUTBOX_PUBLIC=true). NEVER RUN THIS WAY WITH REAL MEMBERS.")
	}
	a.log.Info("twofold is listening", "addr", ln.Addr().String(), "url", cfg.BaseURL,
		"database", databaseKind(cfg.Postgres()), "data_dir", cfg.DataDir, "delivery", cfg.Delivery, "mail", cfg.Mail)
	fmt.Fprintf(c.stdout, "twofold is running at %s — press Ctrl+C to stop\n", cfg.BaseURL)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-c.ctx.Done():
	}
	a.log.Info("shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func databaseKind(pg bool) string {
	if pg {
		return "postgres"
	}
	return "sqlite"
}

// handler builds the whole HTTP surface: pages, the JSON API, health checks, and the
// middleware every response passes through.
func (a *app) handler() (http.Handler, error) {
	deps := web.Deps{
		Signin: a.signin, Sessions: a.sessions, SecurityInfo: a.secinfo, Campaign: a.campaign, Reset: a.reset, PoW: a.pow, Account: a.account,
		Report: a.report, Console: a.console(),
		Logger: a.log, InsecureCookies: a.cfg.InsecureCookies, Now: a.now,
	}
	// serve refuses to start with the page exposed unless the operator said it
	// may be; this is the same rule once more where the page is mounted.
	if a.cfg.ServesOutbox() && (!a.cfg.OutboxExposed() || a.cfg.DevOutboxPublic) {
		deps.Outbox = a.outbox
	}
	pages, err := web.New(deps)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/", pages)
	mux.Handle("/api/v1/", api.New(api.Deps{Signin: a.signin, Sessions: a.sessions, SecurityInfo: a.secinfo, Campaign: a.campaign, Reset: a.reset, PoW: a.pow, Report: a.report, Log: a.log, Account: a.account,
		Tokens: a.tokens, Console: api.Console{Members: a.admin, Policies: a.admin, AuditLog: a.auditLog,
			Registrations: a.registrations, AccessPasses: a.accessPasses}}))
	if a.hooks != nil {
		// Provider call reports: signed by the provider, checked by its package.
		mux.Handle("/hooks/", a.hooks)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := a.store.Ping(ctx); err != nil {
			a.log.Warn("not ready", "err", err)
			httpx.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
			return
		}
		httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	var h http.Handler = mux
	h = httpx.CrossOrigin(h)
	h = httpx.SecurityHeaders(a.cfg.HTTPS(), h)
	h = httpx.AccessLog(a.log, h)
	h = httpx.Recover(a.log, h)
	h = httpx.RequestContext(a.cfg.TrustedProxies, h)
	return h, nil
}

// sweep deletes, every five minutes, what sweepOnce deletes. Deletes are
// idempotent, so any number of replicas may sweep at once.
func (a *app) sweep(ctx context.Context) {
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		a.sweepOnce(ctx, a.now().UTC())
	}
}

// Sweep ages: a sign-in flow lives 10 minutes and an authenticator setup is
// finished in minutes, so an hour-old one was abandoned.
const (
	flowSweepAge    = time.Hour
	pendingSweepAge = time.Hour
	// Challenges are kept a day after they end, so a late provider report
	// still finds its challenge and is ignored instead of answered with 404.
	challengeSweepAge = 24 * time.Hour
)

// sweepOnce deletes expired sign-in flows, authenticator setups that were
// never activated, old challenges, expired security-key ceremonies, and
// single-use keys whose challenge or link has expired, and Temporary Access
// Passes that have ended; then sweepAudit.
func (a *app) sweepOnce(ctx context.Context, now time.Time) {
	if _, err := a.store.DeleteFlowsBefore(ctx, now.Add(-flowSweepAge)); err != nil {
		a.log.Warn("sweep flows", "err", err)
	}
	if _, err := a.store.DeletePendingBefore(ctx, now.Add(-pendingSweepAge)); err != nil {
		a.log.Warn("sweep pending methods", "err", err)
	}
	if _, err := a.store.DeleteChallengesBefore(ctx, now.Add(-challengeSweepAge)); err != nil {
		a.log.Warn("sweep challenges", "err", err)
	}
	if _, err := a.store.DeleteCeremoniesBefore(ctx, now); err != nil {
		a.log.Warn("sweep security-key ceremonies", "err", err)
	}
	if _, err := a.store.DeleteOnceBefore(ctx, now); err != nil {
		a.log.Warn("sweep used single-use keys", "err", err)
	}
	if _, err := a.store.DeletePassesEndedBefore(ctx, now); err != nil {
		a.log.Warn("sweep ended Temporary Access Passes", "err", err)
	}
	a.sweepAudit(ctx, now)
}

// demoPasswordFile keeps the demo member's password in the data directory, so it
// can be found again after the first start printed it.
const demoPasswordFile = "demo-password.txt"

// demo creates the demo organization and member once and prints how to sign in.
func (a *app) demo(c *command) error {
	const domain, username = "contoso.test", "alex@contoso.test"
	path := filepath.Join(a.cfg.DataDir, demoPasswordFile)
	if _, err := a.store.UserByUsername(c.ctx, username); err == nil {
		pw, _ := os.ReadFile(path)
		fmt.Fprintf(c.stdout, "Demo: sign in at %s/signin as %s with password %s\n", a.cfg.BaseURL, username, string(pw))
		return a.demoAdmin(c)
	}
	if _, err := a.admin.Org(c.ctx, domain); err != nil {
		org, err := a.admin.CreateOrg(c.ctx, cliActor, "Contoso", []string{domain})
		if err != nil {
			return fmt.Errorf("demo organization: %w", err)
		}
		// Organizations turn Temporary Access Passes on themselves; the demo
		// does, so the console can show issuing one.
		p := org.Policy
		p.EnabledMethods = append(slices.Clone(p.EnabledMethods), twofold.KindTemporaryAccessPass)
		if err := a.admin.UpdatePolicy(c.ctx, cliActor, org, p); err != nil {
			return fmt.Errorf("demo policy: %w", err)
		}
	}
	pw := demoPassword()
	if _, err := a.admin.CreateUser(c.ctx, cliActor, adminNewUser(username, "Alex Wilber", pw)); err != nil {
		return fmt.Errorf("demo member: %w", err)
	}
	if err := os.WriteFile(path, []byte(pw), 0o600); err != nil {
		return fmt.Errorf("demo password file: %w", err)
	}
	fmt.Fprintf(c.stdout, "Demo: created organization Contoso (%s).\nDemo: sign in at %s/signin as %s with password %s\n", domain, a.cfg.BaseURL, username, pw)
	fmt.Fprintln(c.stdout, "Demo: you will be asked to set up an authenticator app or a phone on first sign-in.")
	if err := a.demoAdmin(c); err != nil {
		return err
	}
	if a.cfg.ServesOutbox() {
		fmt.Fprintf(c.stdout, "Demo: texts, calls and mail go to the dev outbox at %s/dev/outbox\n", a.cfg.BaseURL)
	}
	return nil
}

// console is the admin console's use cases; the admin API uses the same.
func (a *app) console() web.Console {
	return web.Console{Members: a.admin, Policies: a.admin, AuditLog: a.auditLog,
		Registrations: a.registrations, AccessPasses: a.accessPasses}
}

package main

import (
	"time"

	"github.com/twofold-id/twofold"
	"github.com/twofold-id/twofold/internal/notify"
	"github.com/twofold-id/twofold/internal/notify/smtp"
)

// mailSender returns where notices and alerts go: with TWOFOLD_MAIL smtp, the
// delivery queue, whose dispatcher (a.mail, run by serve) sends it through the
// mail server; otherwise the outbox, which only keeps it.
func (a *app) mailSender(st twofold.Store) (notify.Sender, error) {
	cfg := a.cfg
	if cfg.Mail != "smtp" {
		return a.outbox, nil
	}
	mailer, err := smtp.New(smtp.Config{
		Host: cfg.SMTPHost, Port: cfg.SMTPPort, Username: cfg.SMTPUsername, Password: string(cfg.SMTPPassword),
		TLS: cfg.SMTPTLS, From: cfg.MailFrom, Timeout: 30 * time.Second,
	})
	if err != nil {
		return nil, err
	}
	a.mail = &notify.Dispatcher{Store: st, Mailer: mailer, Now: a.now, Log: a.log}
	return &notify.Queue{Store: st, Now: a.now}, nil
}

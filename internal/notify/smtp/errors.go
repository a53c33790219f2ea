package smtp

import (
	"context"
	"errors"
	"strings"

	gomail "github.com/wneessen/go-mail"

	"github.com/twofold-id/twofold/internal/notify"
)

// sendError is a failed SendMail: its own words, and what it wraps for
// errors.Is (notify.ErrMailRejected, a context error, go-mail's error).
type sendError struct {
	text  string
	wraps []error
}

func (e *sendError) Error() string   { return e.text }
func (e *sendError) Unwrap() []error { return e.wraps }

// fail describes err, a failure to send to the address to. ctx is SendMail's
// context: once it has ended, go-mail's error is only about a connection closed
// under it, so the context's cause is the better explanation.
func (m *Mailer) fail(ctx context.Context, to string, err error, rejected bool) error {
	if !rejected && ctx.Err() != nil {
		err = context.Cause(ctx)
	}
	text := "smtp: send to " + to + ": " + err.Error()
	e := &sendError{text: text, wraps: []error{err}}
	if pw := m.cfg.Password; pw != "" && strings.Contains(text, pw) {
		// Nothing we know of puts the password in an error, but a server's reply
		// could echo it; then neither the text nor the chain may keep it.
		e = &sendError{text: strings.ReplaceAll(text, pw, "REDACTED")}
	}
	if rejected {
		e.wraps = append(e.wraps, notify.ErrMailRejected)
	}
	return e
}

// isRejection reports whether err is the server refusing this mail for good: a
// 5xx reply to the recipient, to DATA or to the message. 5xx replies to AUTH and
// MAIL FROM are about the configuration, not the mail, so they are not (see
// doc.go). go-mail's own SendError.IsTemp is not used: it is false for every
// failure that is not a 4xx reply, broken connections included.
func isRejection(err error) bool {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return false
	}
	switch se.Reason {
	case gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrSMTPDataClose:
		return se.ErrorCode() >= 500 && se.ErrorCode() <= 599
	}
	return false
}

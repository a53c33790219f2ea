package web

import (
	"github.com/twofold-id/twofold/internal/notify/outbox"
	"github.com/twofold-id/twofold/internal/securityinfo"
	"github.com/twofold-id/twofold/internal/session"
	"github.com/twofold-id/twofold/internal/signin"
)

// The real use cases satisfy what the pages call.
var (
	_ Signin       = (*signin.Service)(nil)
	_ Sessions     = (*session.Service)(nil)
	_ SecurityInfo = (*securityinfo.Service)(nil)
	_ DevOutbox    = (*outbox.Provider)(nil)
)

package web

import (
	"github.com/twofold-id/twofold/internal/securityinfo"
	"github.com/twofold-id/twofold/internal/signin"
)

// The use cases the pages are wired with have the key methods the pages
// look for at run time; without them every key page would say keys are
// unavailable.
var (
	_ keySecurityInfo = (*securityinfo.Service)(nil)
	_ keySignin       = (*signin.Service)(nil)
)

package testkit

import (
	"github.com/twofold-id/twofold"
)

// MailedCode returns the code mailed for challenge ch, read from the mail the
// challenge names as its Ref (the dev outbox or the delivery queue keep it),
// failing the test unless that mail went to the challenge's address and holds
// exactly one 6-digit code.
func (k *Kit) MailedCode(ch *twofold.Challenge) string {
	k.TB.Helper()
	if ch == nil || ch.Channel != twofold.ChannelEmail {
		k.TB.Fatalf("testkit: mailed code of %+v, which is not a mailed challenge", ch)
	}
	m := k.Message(ch.Ref)
	if m.Channel != twofold.ChannelEmail || m.To != ch.Email {
		k.TB.Fatalf("testkit: mail %s went to %s by %s, the challenge to %s", m.ID, m.To, m.Channel, ch.Email)
	}
	found := codeRE.FindAllString(m.Body, -1)
	if len(found) != 1 {
		k.TB.Fatalf("testkit: mail %q holds %d codes, want exactly 1", m.Body, len(found))
	}
	return found[0]
}

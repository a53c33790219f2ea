package password

// Params are the argon2id cost parameters. They are written into every hash, so
// changing them affects only new hashes; old ones are upgraded at sign-in.
type Params struct {
	Memory  uint32 // KiB of memory per hash
	Time    uint32 // passes over the memory
	Threads uint8  // lanes; also the parallelism recorded in the hash
	SaltLen uint32 // bytes of random salt
	KeyLen  uint32 // bytes of derived key
}

// DefaultParams returns the OWASP-recommended argon2id minimum: 19 MiB, two
// passes, one lane, a 16-byte salt and a 32-byte key. About 23 ms on one core of
// the reference machine, which bounds an attacker with a stolen database without
// making sign-in slow.
func DefaultParams() Params {
	return Params{Memory: 19456, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
}

// withDefaults fills zero fields from DefaultParams, so a partly filled Params
// from configuration cannot produce a hash with no cost at all.
func (p Params) withDefaults() Params {
	d := DefaultParams()
	if p.Memory == 0 {
		p.Memory = d.Memory
	}
	if p.Time == 0 {
		p.Time = d.Time
	}
	if p.Threads == 0 {
		p.Threads = d.Threads
	}
	if p.SaltLen == 0 {
		p.SaltLen = d.SaltLen
	}
	if p.KeyLen == 0 {
		p.KeyLen = d.KeyLen
	}
	return p
}

package password

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Bounds on what a stored hash may ask for. A hash is data read from the
// database; without these limits one corrupt or planted row could make a single
// Verify allocate gigabytes or loop for minutes.
const (
	maxEncodedLen = 512
	maxMemory     = 1 << 20 // KiB, 1 GiB
	maxTime       = 64
	minSaltLen    = 8
	maxSaltLen    = 64
	minKeyLen     = 16
	maxKeyLen     = 128
)

// b64 is the PHC string encoding: standard alphabet without padding. Strict
// refuses non-canonical trailing bits, so one hash has exactly one spelling.
var b64 = base64.RawStdEncoding.Strict()

// encode writes the PHC string $argon2id$v=19$m=…,t=…,p=…$salt$hash.
func encode(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// decoded is a parsed PHC string. Params.SaltLen and KeyLen are those found in it.
type decoded struct {
	params Params
	salt   []byte
	key    []byte
}

// decode parses a PHC argon2id string. Its errors describe the shape of the
// problem only: the string holds a salt and a hash and must not reach a log.
func decode(s string) (decoded, error) {
	var d decoded
	if len(s) > maxEncodedLen {
		return d, errors.New("password: hash too long")
	}
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return d, errors.New("password: hash is not a PHC string")
	}
	if parts[1] != "argon2id" {
		return d, errors.New("password: hash algorithm is not argon2id")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return d, errors.New("password: unsupported argon2 version")
	}
	p, err := parseParams(parts[3])
	if err != nil {
		return d, err
	}
	if d.salt, err = b64.DecodeString(parts[4]); err != nil {
		return d, errors.New("password: salt is not base64")
	}
	if d.key, err = b64.DecodeString(parts[5]); err != nil {
		return d, errors.New("password: hash is not base64")
	}
	if len(d.salt) < minSaltLen || len(d.salt) > maxSaltLen {
		return d, errors.New("password: salt length out of range")
	}
	if len(d.key) < minKeyLen || len(d.key) > maxKeyLen {
		return d, errors.New("password: hash length out of range")
	}
	p.SaltLen, p.KeyLen = uint32(len(d.salt)), uint32(len(d.key))
	d.params = p
	return d, nil
}

// parseParams reads "m=19456,t=2,p=1" in exactly that order, as every argon2
// implementation writes it.
func parseParams(s string) (Params, error) {
	var p Params
	fields := strings.Split(s, ",")
	if len(fields) != 3 {
		return p, errors.New("password: malformed parameters")
	}
	var vals [3]uint64
	for i, name := range []string{"m", "t", "p"} {
		v, ok := strings.CutPrefix(fields[i], name+"=")
		if !ok {
			return p, errors.New("password: malformed parameters")
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return p, errors.New("password: malformed parameters")
		}
		vals[i] = n
	}
	if vals[0] < 8 || vals[0] > maxMemory || vals[1] < 1 || vals[1] > maxTime || vals[2] < 1 || vals[2] > 255 {
		return p, errors.New("password: parameters out of range")
	}
	p.Memory, p.Time, p.Threads = uint32(vals[0]), uint32(vals[1]), uint8(vals[2])
	return p, nil
}

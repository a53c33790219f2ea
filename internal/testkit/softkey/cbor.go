package softkey

import (
	"bytes"
	"fmt"
	"slices"
)

// The few CBOR (RFC 8949) shapes WebAuthn needs: unsigned and negative
// integers, byte strings, text strings and maps. Maps are written in the CTAP2
// canonical order (keys sorted by encoded length, then bytewise), so the bytes
// are what a hardware authenticator would send, whatever order callers list
// the entries in.

// cborMap is a CBOR map; its keys are int or string.
type cborMap []cborEntry

type cborEntry struct {
	key, value any
}

// CBOR major types.
const (
	majorUnsigned = 0 << 5
	majorNegative = 1 << 5
	majorBytes    = 2 << 5
	majorText     = 3 << 5
	majorMap      = 5 << 5
)

// appendCBOR appends the encoding of v, which must be an int, []byte, string
// or cborMap; anything else is a bug in this package, so it panics.
func appendCBOR(b []byte, v any) []byte {
	switch v := v.(type) {
	case int:
		if v >= 0 {
			return appendHead(b, majorUnsigned, uint64(v))
		}
		return appendHead(b, majorNegative, uint64(-1-v))
	case []byte:
		return append(appendHead(b, majorBytes, uint64(len(v))), v...)
	case string:
		return append(appendHead(b, majorText, uint64(len(v))), v...)
	case cborMap:
		type encoded struct{ key, value []byte }
		entries := make([]encoded, len(v))
		for i, e := range v {
			entries[i] = encoded{appendCBOR(nil, e.key), appendCBOR(nil, e.value)}
		}
		slices.SortFunc(entries, func(x, y encoded) int {
			if len(x.key) != len(y.key) {
				return len(x.key) - len(y.key)
			}
			return bytes.Compare(x.key, y.key)
		})
		b = appendHead(b, majorMap, uint64(len(entries)))
		for _, e := range entries {
			b = append(append(b, e.key...), e.value...)
		}
		return b
	default:
		panic(fmt.Sprintf("softkey: cannot encode %T as CBOR", v))
	}
}

// appendHead appends a data item's initial byte and argument in the shortest
// form, as canonical CBOR requires.
func appendHead(b []byte, major byte, n uint64) []byte {
	switch {
	case n < 24:
		return append(b, major|byte(n))
	case n <= 0xff:
		return append(b, major|24, byte(n))
	case n <= 0xffff:
		return append(b, major|25, byte(n>>8), byte(n))
	case n <= 0xffffffff:
		return append(b, major|26, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	default:
		return append(b, major|27, byte(n>>56), byte(n>>48), byte(n>>40), byte(n>>32),
			byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
}

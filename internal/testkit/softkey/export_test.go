package softkey

// AppendCBOR exposes the encoder to the external tests.
var AppendCBOR = appendCBOR

// CBORMap builds a map from alternating keys and values, in the order given.
func CBORMap(kv ...any) any {
	m := cborMap{}
	for i := 0; i+1 < len(kv); i += 2 {
		m = append(m, cborEntry{kv[i], kv[i+1]})
	}
	return m
}

package webhook_test

import (
	"context"
	"net/http"
	"reflect"
	"testing"
)

// EndCall POSTs a signed hang-up naming the call's ref, as doc.go documents;
// a gateway that refuses it is an error.
func TestEndCall(t *testing.T) {
	g := newGateway(t)
	c := newClient(t, g.srv.URL)
	if err := c.EndCall(context.Background(), "gw-call-7"); err != nil {
		t.Fatal(err)
	}
	body := g.only(t)
	if id, _ := body["id"].(string); len(id) != 32 {
		t.Errorf("id %v, want a fresh 128-bit hex ID", body["id"])
	}
	delete(body, "id")
	if want := map[string]any{"type": "hangup", "ref": "gw-call-7"}; !reflect.DeepEqual(body, want) {
		t.Errorf("body %v\nwant %v", body, want)
	}
	g.status = http.StatusInternalServerError
	if err := c.EndCall(context.Background(), "gw-call-7"); err == nil {
		t.Error("a refused hang-up: no error")
	}
	if err := c.EndCall(context.Background(), ""); err == nil {
		t.Error("a hang-up without a ref: no error")
	}
}

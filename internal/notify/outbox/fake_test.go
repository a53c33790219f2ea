package outbox_test

import (
	"context"
	"sort"
	"sync"

	"github.com/twofold-id/twofold"
)

// memStore is an in-memory twofold.MessageStore with the SQL store's atomicity:
// every call holds one mutex, and copies go in and out so callers cannot change
// what is stored behind its back.
type memStore struct {
	mu   sync.Mutex
	msgs []*twofold.Message
}

var _ twofold.MessageStore = (*memStore)(nil)

func (s *memStore) AppendMessage(ctx context.Context, m *twofold.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := *m
	s.msgs = append(s.msgs, &c)
	return nil
}

func (s *memStore) ListMessages(ctx context.Context, to string, limit int) ([]*twofold.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*twofold.Message
	for i := len(s.msgs) - 1; i >= 0 && len(out) < limit; i-- {
		if to == "" || s.msgs[i].To == to {
			c := *s.msgs[i]
			out = append(out, &c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	return out, nil
}

func (s *memStore) MessageByID(ctx context.Context, id string) (*twofold.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.msgs {
		if m.ID == id {
			c := *m
			return &c, nil
		}
	}
	return nil, twofold.Errorf(twofold.ENOTFOUND, "no such message")
}

func (s *memStore) MoveCall(ctx context.Context, id string, from, to twofold.CallState) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.msgs {
		if m.ID == id && m.Channel == twofold.ChannelVoice && m.CallState == from {
			m.CallState = to
			return true, nil
		}
	}
	return false, nil
}

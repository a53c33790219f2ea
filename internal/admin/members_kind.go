package admin

import (
	"context"

	"github.com/twofold-id/twofold"
)

// DeleteMethodOfKind is DeleteMethod for a method that must be of kind k, as
// Graph's per-kind collections (…/phoneMethods/{id}) mean it: a method of
// another kind is not found there. Checking before deleting is safe: a
// method's kind never changes, and DeleteMethod repeats every other check
// in its transaction.
func (s *Service) DeleteMethodOfKind(ctx context.Context, a *twofold.Actor, userID, methodID string, k twofold.MethodKind) error {
	u, err := s.target(ctx, a, userID, twofold.ScopeMethodsManage)
	if err != nil {
		return err
	}
	m, err := s.Store.MethodByID(ctx, u.ID, methodID)
	if twofold.ErrorCode(err) == twofold.ENOTFOUND || (err == nil && m.Kind != k) {
		return twofold.Errorf(twofold.ENOTFOUND, "That method isn't part of the member's security info.")
	} else if err != nil {
		return err
	}
	return s.DeleteMethod(ctx, a, userID, methodID)
}

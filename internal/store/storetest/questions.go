package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

// questionSet returns n answers whose questions and hashes all carry tag, so a
// test can tell which save a stored set came from.
func questionSet(tag string, n int) []twofold.SecurityAnswer {
	out := make([]twofold.SecurityAnswer, n)
	for i := range out {
		out[i] = twofold.SecurityAnswer{
			Question:   fmt.Sprintf("Question %d of %s?", i, tag),
			AnswerHash: fmt.Sprintf("$argon2id$hash-%d-%s", i, tag),
		}
	}
	return out
}

func (f *fixture) questionMethod(userID string, created time.Time) *twofold.Method {
	return &twofold.Method{ID: f.id("questions"), UserID: userID, Kind: twofold.KindSecurityQuestions,
		State: twofold.MethodActive, Name: "5 questions", CreatedAt: created, ActivatedAt: created}
}

// testQuestions covers security questions: one set per member, replaced whole,
// answers deleted with their method, and racing saves leaving one whole set.
func testQuestions(t *testing.T, f *fixture) {
	s := f.s
	t.Run("SaveAndReplace", func(t *testing.T) {
		m := f.questionMethod(f.user.ID, at(time.Minute))
		first := questionSet("first", 5)
		must(t, "SaveSecurityAnswers", s.SaveSecurityAnswers(t.Context(), m, first))
		got, err := s.SecurityAnswers(t.Context(), m.ID)
		must(t, "SecurityAnswers", err)
		same(t, "answers in order", got, first)
		stored, err := s.MethodByID(t.Context(), f.user.ID, m.ID)
		must(t, "MethodByID", err)
		same(t, "method saved", *stored, *m)
		same(t, "kind", stored.Kind, twofold.KindSecurityQuestions)
		same(t, "state", stored.State, twofold.MethodActive)

		// A second save keeps the one method (its ID and creation time) and
		// replaces every answer, even with fewer of them.
		again := f.questionMethod(f.user.ID, at(time.Hour))
		again.Name = "3 questions"
		second := questionSet("second", 3)
		must(t, "SaveSecurityAnswers again", s.SaveSecurityAnswers(t.Context(), again, second))
		same(t, "method kept", again.ID, m.ID)
		same(t, "created kept", again.CreatedAt, m.CreatedAt)
		same(t, "activated now", again.ActivatedAt, at(time.Hour))
		same(t, "renamed", again.Name, "3 questions")
		got, err = s.SecurityAnswers(t.Context(), m.ID)
		must(t, "SecurityAnswers", err)
		same(t, "answers replaced", got, second)
		same(t, "one set", activeOf(t, s, f.user.ID, twofold.KindSecurityQuestions), 1)
	})
	t.Run("NotFound", func(t *testing.T) {
		err := s.SaveSecurityAnswers(t.Context(), f.questionMethod("user-missing", at(0)), questionSet("x", 3))
		wantCode(t, "SaveSecurityAnswers of a missing user", err, twofold.ENOTFOUND)
		_, err = s.SecurityAnswers(t.Context(), "method-missing")
		wantCode(t, "SecurityAnswers of a missing method", err, twofold.ENOTFOUND)
		app := f.newMethod(t, f.user.ID, twofold.MethodActive, at(0))
		_, err = s.SecurityAnswers(t.Context(), app.ID)
		wantCode(t, "SecurityAnswers of an app", err, twofold.ENOTFOUND)
	})
	t.Run("AllOrNothing", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "grace@example.com")
		m := f.questionMethod(u.ID, at(0))
		kept := questionSet("kept", 3)
		must(t, "SaveSecurityAnswers", s.SaveSecurityAnswers(t.Context(), m, kept))
		// A save whose transaction rolls back leaves the previous set whole.
		boom := errors.New("boom")
		err := s.InTx(t.Context(), func(ctx context.Context) error {
			if err := s.SaveSecurityAnswers(ctx, f.questionMethod(u.ID, at(time.Minute)), questionSet("lost", 5)); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v, want boom", err)
		}
		got, err := s.SecurityAnswers(t.Context(), m.ID)
		must(t, "SecurityAnswers", err)
		same(t, "previous set kept", got, kept)
		// Deleting the method deletes its answers.
		must(t, "DeleteMethod", s.DeleteMethod(t.Context(), u.ID, m.ID))
		_, err = s.SecurityAnswers(t.Context(), m.ID)
		wantCode(t, "SecurityAnswers after delete", err, twofold.ENOTFOUND)
		// The answers table holds nothing of the deleted method: a new set starts clean.
		fresh := f.questionMethod(u.ID, at(time.Hour))
		must(t, "SaveSecurityAnswers after delete", s.SaveSecurityAnswers(t.Context(), fresh, questionSet("fresh", 4)))
		got, err = s.SecurityAnswers(t.Context(), fresh.ID)
		must(t, "SecurityAnswers fresh", err)
		same(t, "fresh set", got, questionSet("fresh", 4))
	})
	t.Run("Race", func(t *testing.T) {
		// Every racer saves its own set for one member at once: exactly one
		// method remains, holding exactly one racer's whole set.
		u := f.newUser(t, f.org.ID, "racer@example.com")
		ms := make([]*twofold.Method, burst)
		for i := range ms {
			ms[i] = f.questionMethod(u.ID, at(time.Duration(i)*time.Microsecond))
		}
		burstOf(t, func(i int) (bool, error) {
			return true, s.SaveSecurityAnswers(t.Context(), ms[i], questionSet(fmt.Sprint("racer", i), 3+i%3))
		})
		methods, err := s.ListMethods(t.Context(), u.ID, "")
		must(t, "ListMethods", err)
		same(t, "one method", len(methods), 1)
		got, err := s.SecurityAnswers(t.Context(), methods[0].ID)
		must(t, "SecurityAnswers", err)
		if len(got) < 3 {
			t.Fatalf("got %d answers, want one racer's whole set", len(got))
		}
		found := false
		for i := range burst {
			if want := questionSet(fmt.Sprint("racer", i), 3+i%3); len(want) == len(got) && got[0] == want[0] {
				same(t, "one racer's whole set", got, want)
				found = true
			}
		}
		if !found {
			t.Fatalf("stored set %v is no racer's", got[0])
		}
	})
}

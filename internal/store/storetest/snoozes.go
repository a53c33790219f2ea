package storetest

import (
	"testing"
	"time"

	"github.com/twofold-id/twofold"
)

func testCampaign(t *testing.T, f *fixture) {
	ctx := t.Context()
	t.Run("a new member has taken no snooze", func(t *testing.T) {
		c, err := f.s.CampaignState(ctx, f.user.ID)
		if err != nil || c != (twofold.CampaignState{}) {
			t.Fatalf("CampaignState = %+v, %v", c, err)
		}
		if _, err := f.s.CampaignState(ctx, "nobody"); twofold.ErrorCode(err) != twofold.ENOTFOUND {
			t.Errorf("unknown user: %v", err)
		}
		if _, _, err := f.s.SnoozeCampaign(ctx, "nobody", at(0), at(time.Hour), 3); twofold.ErrorCode(err) != twofold.ENOTFOUND {
			t.Errorf("snooze unknown user: %v", err)
		}
		if _, err := f.s.StartCampaign(ctx, "nobody", at(0)); twofold.ErrorCode(err) != twofold.ENOTFOUND {
			t.Errorf("start unknown user: %v", err)
		}
		if _, err := f.s.FinishCampaign(ctx, "nobody"); twofold.ErrorCode(err) != twofold.ENOTFOUND {
			t.Errorf("finish unknown user: %v", err)
		}
	})

	t.Run("one snooze per window, at most max", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "snoozer@example.com")
		day := 24 * time.Hour
		for i := range 3 {
			now := at(time.Duration(i) * 2 * day)
			c, ok, err := f.s.SnoozeCampaign(ctx, u.ID, now, now.Add(day), 3)
			if err != nil || !ok || c.Snoozes != i+1 || !c.SnoozedUntil.Equal(now.Add(day)) {
				t.Fatalf("snooze %d = %+v, %v, %v", i+1, c, ok, err)
			}
			// Again inside the window: not taken, and the window is not pushed out.
			c, ok, err = f.s.SnoozeCampaign(ctx, u.ID, now.Add(time.Hour), now.Add(day+time.Hour), 3)
			if err != nil || ok || c.Snoozes != i+1 || !c.SnoozedUntil.Equal(now.Add(day)) {
				t.Fatalf("snooze inside window %d = %+v, %v, %v", i+1, c, ok, err)
			}
		}
		c, ok, err := f.s.SnoozeCampaign(ctx, u.ID, at(30*day), at(31*day), 3)
		if err != nil || ok || c.Snoozes != 3 {
			t.Fatalf("fourth snooze = %+v, %v, %v", c, ok, err)
		}
	})

	t.Run("start once, finish clears once", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "starter@example.com")
		if ok, err := f.s.FinishCampaign(ctx, u.ID); err != nil || ok {
			t.Fatalf("finish before anything = %v, %v", ok, err)
		}
		if ok, err := f.s.StartCampaign(ctx, u.ID, at(0)); err != nil || !ok {
			t.Fatalf("start = %v, %v", ok, err)
		}
		if ok, err := f.s.StartCampaign(ctx, u.ID, at(time.Hour)); err != nil || ok {
			t.Fatalf("second start = %v, %v", ok, err)
		}
		if _, _, err := f.s.SnoozeCampaign(ctx, u.ID, at(time.Hour), at(2*time.Hour), 3); err != nil {
			t.Fatal(err)
		}
		c, _ := f.s.CampaignState(ctx, u.ID)
		if !c.StartedAt.Equal(at(0)) || c.Snoozes != 1 {
			t.Fatalf("state = %+v", c)
		}
		if ok, err := f.s.FinishCampaign(ctx, u.ID); err != nil || !ok {
			t.Fatalf("finish = %v, %v", ok, err)
		}
		if c, _ := f.s.CampaignState(ctx, u.ID); c != (twofold.CampaignState{}) {
			t.Errorf("after finish = %+v", c)
		}
		if ok, err := f.s.FinishCampaign(ctx, u.ID); err != nil || ok {
			t.Errorf("second finish = %v, %v", ok, err)
		}
	})

	t.Run("racing snoozes count once per window and three in all", func(t *testing.T) {
		u := f.newUser(t, f.org.ID, "racer@example.com")
		const n = 250
		day := 24 * time.Hour
		for w := range 4 {
			now := at(time.Duration(w) * 2 * day)
			won := raceN(t, n, func(int) (bool, error) {
				_, ok, err := f.s.SnoozeCampaign(ctx, u.ID, now, now.Add(day), twofold.MaxSnoozes)
				return ok, err
			})
			wins := 0
			for _, ok := range won {
				if ok {
					wins++
				}
			}
			want := 1
			if w == 3 {
				want = 0
			}
			if wins != want {
				t.Errorf("window %d: %d of %d racing snoozes taken, want %d", w+1, wins, n, want)
			}
		}
		if c, _ := f.s.CampaignState(ctx, u.ID); c.Snoozes != twofold.MaxSnoozes {
			t.Errorf("snoozes = %d, want %d", c.Snoozes, twofold.MaxSnoozes)
		}
		// Racing starts and finishes each win once.
		count := func(oks []bool) (k int) {
			for _, ok := range oks {
				if ok {
					k++
				}
			}
			return k
		}
		if k := count(raceN(t, n, func(int) (bool, error) { return f.s.StartCampaign(ctx, u.ID, at(9*day)) })); k != 1 {
			t.Errorf("%d racing starts won, want 1", k)
		}
		if k := count(raceN(t, n, func(int) (bool, error) { return f.s.FinishCampaign(ctx, u.ID) })); k != 1 {
			t.Errorf("%d racing finishes won, want 1", k)
		}
	})
}

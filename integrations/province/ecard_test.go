package province_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/ecard"
	"github.com/dandong-hrss/hrss/integrations/province"
	"github.com/dandong-hrss/hrss/integrations/province/sim"
)

func TestRealNameVerification(t *testing.T) {
	p := startPlatforms(t, sim.Config{Seed: 1}, quick)
	tests := []struct {
		name   string
		id     domain.IDNumber
		person string
		want   bool
	}{
		{"right name", zhangSan, "张三", true},
		{"right name with spaces", liSi, " 李四 ", true},
		{"someone else's name", zhangSan, "李四", false},
		{"unknown person", stranger, "王五", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := p.card.VerifyName(context.Background(), tt.id, tt.person)
			if err != nil || got != tt.want {
				t.Errorf("VerifyName = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
	if _, err := p.card.VerifyName(context.Background(), zhangSan, ""); !domain.IsCode(err, domain.Invalid) {
		t.Errorf("empty name: err = %v; want Invalid", err)
	}
}

func TestWithoutLookupEveryValidPersonVerifies(t *testing.T) {
	s := sim.New(sim.Config{Seed: 1}) // no Lookup: the embedded demo until it is wired
	t.Cleanup(s.Close)
	c := province.NewCardClient(configFor(listen(t, s).URL(), sim.DefaultAppKey, quick), nil)
	if ok, err := c.VerifyName(context.Background(), stranger, "王五"); err != nil || !ok {
		t.Errorf("valid ID: VerifyName = %v, %v; want true", ok, err)
	}
	broken := domain.IDNumber(stranger.Raw()[:17] + "0")
	if broken == stranger {
		broken = domain.IDNumber(stranger.Raw()[:17] + "1")
	}
	if ok, err := c.VerifyName(context.Background(), broken, "王五"); ok || !domain.IsCode(err, domain.Rejected) {
		t.Errorf("wrong check digit: VerifyName = %v, %v; want Rejected", ok, err)
	}
}

func TestCardIsIssuedOncePerPerson(t *testing.T) {
	p := startPlatforms(t, sim.Config{Seed: 1}, quick)
	ctx := context.Background()
	first, err := p.card.Issue(ctx, zhangSan, "张三")
	if err != nil || first.ID == "" || first.Person != zhangSan || !first.SignedAt.Equal(p.clock.Now()) {
		t.Fatalf("Issue = %+v, %v; want a card of %s signed now", first, err, zhangSan)
	}
	p.clock.Advance(time.Hour)
	again, err := p.card.Issue(ctx, zhangSan, "张三")
	if err != nil || again != first {
		t.Errorf("second Issue = %+v, %v; want the same card %+v", again, err, first)
	}
	if _, err := p.card.Issue(ctx, liSi, "张三"); !domain.IsCode(err, domain.Rejected) || !strings.Contains(err.Error(), "姓名与身份证号码不一致") {
		t.Errorf("wrong name: err = %v; want Rejected telling the name does not match", err)
	}
	if _, err := p.card.Issue(ctx, stranger, "王五"); !domain.IsCode(err, domain.NotFound) {
		t.Errorf("unknown person: err = %v; want NotFound", err)
	}
}

// cardHolder signs Zhang San's card and returns a fresh QR token of it.
func cardHolder(t *testing.T, p *platforms) ecard.QRCode {
	t.Helper()
	ctx := context.Background()
	if _, err := p.card.Issue(ctx, zhangSan, "张三"); err != nil {
		t.Fatal(err)
	}
	qr, err := p.card.IssueQR(ctx, zhangSan)
	if err != nil {
		t.Fatal(err)
	}
	if want := p.clock.Now().Add(ecard.QRValidity); !qr.ExpiresAt.Equal(want) {
		t.Errorf("QR expires at %v; want %v, a minute after issue", qr.ExpiresAt, want)
	}
	return qr
}

func TestQRCodeVerifiesOnce(t *testing.T) {
	p := startPlatforms(t, sim.Config{Seed: 1}, quick)
	ctx := context.Background()
	qr := cardHolder(t, p)
	who, err := p.card.VerifyQR(ctx, qr.Token)
	if err != nil || who.Person != zhangSan || who.MaskedName != "张*" || who.CardID == "" {
		t.Fatalf("VerifyQR = %+v, %v; want Zhang San's card with the name masked", who, err)
	}
	_, err = p.card.VerifyQR(ctx, qr.Token)
	if !domain.IsCode(err, domain.Rejected) || !strings.Contains(err.Error(), "已使用") {
		t.Errorf("second scan: err = %v; want Rejected as used", err)
	}
	if _, err := p.card.VerifyQR(ctx, "QR-never-issued"); !domain.IsCode(err, domain.NotFound) {
		t.Errorf("forged token: err = %v; want NotFound", err)
	}
}

func TestQRCodeExpiresAfterAMinute(t *testing.T) {
	p := startPlatforms(t, sim.Config{Seed: 1}, quick)
	ctx := context.Background()
	late := cardHolder(t, p)
	inTime, err := p.card.IssueQR(ctx, zhangSan)
	if err != nil {
		t.Fatal(err)
	}
	p.clock.Advance(ecard.QRValidity - time.Second)
	if _, err := p.card.VerifyQR(ctx, inTime.Token); err != nil {
		t.Errorf("scan at 59s: %v; want accepted", err)
	}
	p.clock.Advance(time.Second)
	_, err = p.card.VerifyQR(ctx, late.Token)
	if !domain.IsCode(err, domain.Rejected) || !strings.Contains(err.Error(), "已过期") {
		t.Errorf("scan at 60s: err = %v; want Rejected as expired", err)
	}
}

func TestQRCodeNeedsASignedCard(t *testing.T) {
	p := startPlatforms(t, sim.Config{Seed: 1}, quick)
	_, err := p.card.IssueQR(context.Background(), liSi)
	if !domain.IsCode(err, domain.NotFound) || !strings.Contains(err.Error(), "尚未领取电子社保卡") {
		t.Errorf("err = %v; want NotFound telling to sign the card first", err)
	}
}

func TestFaceCheckTokenVerifiesOnce(t *testing.T) {
	p := startPlatforms(t, sim.Config{Seed: 1}, quick)
	ctx := context.Background()
	checkedAt := p.clock.Now()
	token, err := p.card.FaceCheck(ctx, ecard.FaceCapture{Person: liSi, Name: "李四", Liveness: "frames-0001"})
	if err != nil {
		t.Fatal(err)
	}
	p.clock.Advance(time.Minute)
	got, err := p.card.VerifyFace(ctx, token)
	want := ecard.FaceResult{Person: liSi, Passed: true, At: checkedAt}
	if err != nil || got.Person != want.Person || got.Passed != want.Passed || !got.At.Equal(want.At) {
		t.Fatalf("VerifyFace = %+v, %v; want %+v", got, err, want)
	}
	if _, err := p.card.VerifyFace(ctx, token); !domain.IsCode(err, domain.Rejected) {
		t.Errorf("second verify: err = %v; want Rejected", err)
	}
}

func TestFaceCheckOutcomes(t *testing.T) {
	p := startPlatforms(t, sim.Config{Seed: 1, FaceValidity: 5 * time.Minute}, quick)
	ctx := context.Background()
	spoof, err := p.card.FaceCheck(ctx, ecard.FaceCapture{Person: zhangSan, Name: "张三", Liveness: sim.LivenessSpoof})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := p.card.VerifyFace(ctx, spoof); err != nil || got.Passed {
		t.Errorf("photo held to the camera: %+v, %v; want a failed check", got, err)
	}

	replay := ecard.FaceCapture{Person: zhangSan, Name: "张三", Liveness: "frames-0002"}
	stale, err := p.card.FaceCheck(ctx, replay)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.card.FaceCheck(ctx, replay); !domain.IsCode(err, domain.Rejected) {
		t.Errorf("replayed capture: err = %v; want Rejected", err)
	}
	p.clock.Advance(5 * time.Minute)
	if _, err := p.card.VerifyFace(ctx, stale); !domain.IsCode(err, domain.Rejected) || !strings.Contains(err.Error(), "已过期") {
		t.Errorf("token after 5 minutes: err = %v; want Rejected as expired", err)
	}

	wrongName := ecard.FaceCapture{Person: zhangSan, Name: "李四", Liveness: "frames-0003"}
	if _, err := p.card.FaceCheck(ctx, wrongName); !domain.IsCode(err, domain.Rejected) {
		t.Errorf("someone else's name: err = %v; want Rejected", err)
	}
	if _, err := p.card.FaceCheck(ctx, ecard.FaceCapture{Person: zhangSan, Name: "张三"}); !domain.IsCode(err, domain.Invalid) {
		t.Errorf("no liveness data: err = %v; want Invalid", err)
	}
}

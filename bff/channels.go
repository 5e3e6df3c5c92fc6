package bff

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dandong-hrss/hrss/channels/admin"
	"github.com/dandong-hrss/hrss/channels/app"
	"github.com/dandong-hrss/hrss/channels/enterprise"
	"github.com/dandong-hrss/hrss/channels/kiosk"
	"github.com/dandong-hrss/hrss/channels/wechat"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/account"
	"github.com/dandong-hrss/hrss/domain/contribution"
	"github.com/dandong-hrss/hrss/domain/device"
	"github.com/dandong-hrss/hrss/domain/follower"
	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/dandong-hrss/hrss/domain/jobs"
	"github.com/dandong-hrss/hrss/integrations/sms"
	"github.com/dandong-hrss/hrss/integrations/store/accountdb"
	"github.com/dandong-hrss/hrss/integrations/store/announcementdb"
	"github.com/dandong-hrss/hrss/integrations/store/auditdb"
	"github.com/dandong-hrss/hrss/integrations/store/contributiondb"
	"github.com/dandong-hrss/hrss/integrations/store/devicedb"
	"github.com/dandong-hrss/hrss/integrations/store/followerdb"
	"github.com/dandong-hrss/hrss/integrations/store/identitydb"
)

// channelSet is every channel, built before the app so their routes can be
// registered on it.
type channelSet struct {
	kiosk      *kiosk.Channel
	enterprise *enterprise.Channel
	app        *app.Channel
	wechat     *wechat.Channel
	admin      *admin.Admin
}

// openChannels builds the channels' own services and the channels. Reads
// of the business core go through the cache (m.Core).
func (m *Main) openChannels(ctx context.Context) error {
	if err := m.openKiosk(ctx); err != nil {
		return err
	}
	codes := identitydb.NewEphemeral(m.Redis, m.Config.RedisPrefix) // one code store for every channel
	if err := m.openApp(codes); err != nil {
		return err
	}
	m.openWeChat(codes)
	if err := m.openEnterprise(ctx); err != nil {
		return err
	}
	return m.openAdmin()
}

// openEnterprise builds the unit operators' accounts and the enterprise
// channel. The embedded default seeds demo operators for a few units of
// the simulated city (password enterprise.DemoPassword; the SMS code for a
// new device is in the SMS simulator).
func (m *Main) openEnterprise(ctx context.Context) error {
	acc := accountdb.New(m.DB)
	accounts, err := account.NewService(account.Config{Store: acc, Ephemeral: accountdb.NewEphemeral(m.Redis, m.Config.RedisPrefix),
		Hasher: accountdb.NewArgon2(accountdb.DefaultArgon2), Sealer: m.Sealer, Texter: m.clients.sms})
	if err != nil {
		return err
	}
	m.accounts = accounts
	m.channels.enterprise = enterprise.New(enterprise.Config{Accounts: accounts, Declarations: m.Declarations,
		Progress: m.Progress, Catalog: m.Catalog, Core: m.Core, Transfers: m.clients.transfer, Texter: m.clients.sms,
		Batches: acc, TransferLog: acc, Sealer: m.Sealer, Printer: m.Documents, Ratings: m.Ratings, Audit: m.Audit,
		Logger: m.Logger})
	if m.Config.Embedded() && m.Sims != nil && m.Sims.Core != nil {
		var units []string
		for _, p := range m.Sims.Core.Sample(8) {
			if p.UnitCode != "" {
				units = append(units, p.UnitCode)
			}
		}
		demo, err := enterprise.SeedDemo(ctx, accounts, units)
		if err != nil {
			return err
		}
		for _, d := range demo {
			m.Logger.Info("demo unit operator", "unit", d.CreditCode, "operator", d.Name, "role", d.Role)
		}
	}
	loops, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		for {
			select {
			case <-loops.Done():
				return
			case <-t.C:
				if _, err := m.channels.enterprise.PollTransfers(loops, 200); err != nil {
					m.Logger.Warn("transfer status poll", "err", err)
				}
			}
		}
	}()
	m.closers = append(m.closers, func() error { stop(); <-done; return nil })
	return nil
}

func (m *Main) openKiosk(ctx context.Context) error {
	board := kiosk.NewStatusBoard(m.Redis, m.Config.RedisPrefix)
	m.Devices = device.NewService(device.Config{Store: devicedb.New(m.DB), Sealer: m.Sealer, Board: board})
	if m.Config.Embedded() {
		// Demo kiosks with a published secret: never in production.
		if _, err := m.Devices.SeedDemo(ctx); err != nil {
			return err
		}
	}
	premium, err := domain.ParseYuan(m.Config.LargeAmountPremium)
	if err != nil {
		return fmt.Errorf("%s: %w", EnvName("large-amount-premium"), err)
	}
	m.channels.kiosk = kiosk.New(kiosk.Deps{Core: m.Core, Devices: m.Devices, Redis: m.Redis, Prefix: m.Config.RedisPrefix, Limiter: m.Limiter,
		Sealer: m.Sealer, Audit: m.Audit, Documents: m.Documents, Certification: m.Certification,
		Declarations: m.Declarations, Progress: m.Progress, Ratings: m.Ratings, Announcements: m.Announcements,
		Catalog: m.Catalog, LargeAmountPremium: premium})
	return nil
}

func (m *Main) openApp(codes *identitydb.Ephemeral) error {
	keys := app.GenerateKeys() // embedded only: Validate requires keys in production
	if m.Config.AppJWTKeys != "" {
		var err error
		if keys, err = app.ParseKeys(m.Config.AppJWTKeys, m.Config.AppJWTActiveKey); err != nil {
			return fmt.Errorf("%s: %w", EnvName("app-jwt-keys"), err)
		}
	}
	terminals, err := parsePairs(m.Config.AppTerminalKeys)
	if err != nil {
		return fmt.Errorf("%s: %w", EnvName("app-terminal-keys"), err)
	}
	m.Identity = identity.NewService(identity.Config{Store: identitydb.New(m.DB), Codes: codes,
		Sessions: codes, Texter: m.clients.sms, RealNames: m.clients.ecard, People: m.Core, Sealer: m.Sealer,
		CodeTemplate: sms.TemplateVerifyCode})
	contribs := contribution.NewService(contribution.Config{Store: contributiondb.New(m.DB), Core: m.Core,
		Channel: m.clients.payment, Sealer: m.Sealer, NotifyURL: m.Config.publicURL(m.URL()) + app.NotifyPath,
		Paid: m.forgetPayer})
	ch, err := app.New(app.Config{Identity: m.Identity, Keys: keys, Core: m.Core, ECard: m.clients.ecard,
		Jobs: jobs.NewService(m.clients.jobs), Contributions: contribs, Payments: m.clients.payment,
		Certifier: m.Certification, Audit: m.Audit, Terminals: terminals, Logger: m.Logger})
	if err != nil {
		return err
	}
	m.channels.app = ch
	return nil
}

func (m *Main) openWeChat(codes *identitydb.Ephemeral) {
	fs := follower.NewService(follower.Config{Store: followerdb.New(m.DB),
		Sessions: followerdb.NewSessions(m.Redis, m.Config.RedisPrefix), Codes: codes,
		Texter: m.clients.sms, People: m.Core, Cards: m.clients.ecard, Sealer: m.Sealer})
	m.channels.wechat = wechat.New(wechat.Deps{Platform: m.clients.wechat, Followers: fs, Declarations: m.Declarations,
		Progress: m.Progress, Catalog: m.Catalog, Core: m.Core, Sealer: m.Sealer, Audit: m.Audit,
		PublicURL: m.Config.publicURL(m.URL()), Logger: m.Logger})
	m.aftercare.openID = m.channels.wechat.OpenIDOf // progress notices reach bound followers by WeChat
}

func (m *Main) openAdmin() error {
	staff, err := admin.ParseStaff(m.Config.AdminTokens)
	if err != nil {
		return err
	}
	if len(staff) == 0 && m.Config.Embedded() {
		// A token of its own for the embedded default, in var/admin-token.
		if staff, err = admin.LoadOrCreateDevStaff(m.Config.DataDir); err != nil {
			return err
		}
	}
	m.channels.admin = admin.New(admin.Deps{Catalog: m.Catalog, Announcements: m.Announcements,
		AnnouncementIndex: announcementdb.New(m.DB), Devices: m.Devices, Operators: m.accounts, Ratings: m.Ratings, Notify: m.Notify,
		Audit: m.Audit, AuditStore: auditdb.New(m.DB), Sealer: m.Sealer, Staff: staff})
	return nil
}

// parsePairs reads "id:secret,id:secret".
func parsePairs(s string) (map[string]string, error) {
	out := map[string]string{}
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item == "" {
			continue
		}
		id, secret, ok := strings.Cut(item, ":")
		if !ok || id == "" || len(secret) < 16 {
			return nil, fmt.Errorf("entry %d: want id:secret with a secret of at least 16 characters", len(out)+1)
		}
		out[id] = secret
	}
	return out, nil
}

// forgetPayer drops what every instance cached about a payer whose payment
// was just recorded, so their contributions show it at once.
func (m *Main) forgetPayer(ctx context.Context, kind contribution.PayerKind, payer string) {
	var err error
	if kind == contribution.Unit {
		var code domain.CreditCode
		if code, _, err = domain.ParseCreditCode(payer); err == nil {
			err = m.cachedCore.InvalidateUnit(ctx, code)
		}
	} else {
		var id domain.IDNumber
		if id, err = domain.ParseIDNumber(payer); err == nil {
			err = m.cachedCore.Invalidate(ctx, id)
		}
	}
	if err != nil { // cached answers then live out their TTL
		m.Logger.WarnContext(ctx, "could not drop a payer's cached data after a payment", "kind", kind, "err", err)
	}
}

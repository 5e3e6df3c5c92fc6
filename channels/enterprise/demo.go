package enterprise

import (
	"context"
	"fmt"
	"hash/fnv"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/account"
)

// DemoPassword is the password of every demo operator SeedDemo creates.
// It is printed in the README: the embedded default is for trying the
// system, and production seeds nothing.
const DemoPassword = "Demo2026hrss"

// DemoAdmin and DemoClerk are the names the demo operators sign in with.
const (
	DemoAdmin = "演示管理员"
	DemoClerk = "演示经办员"
)

// DemoAccount is one seeded demo operator, for the start-up log.
type DemoAccount struct {
	CreditCode string
	Name       string
	Role       account.Role
	Phone      string // where its SMS codes go: read them from the SMS simulator
}

// SeedDemo gives each unit (credit codes of the business-core simulator's
// units, from its Sample) an administrator and a clerk with DemoPassword,
// unless it has them already, and returns them. Their phones are made up
// from the credit code, so a restart seeds the same accounts.
func SeedDemo(ctx context.Context, accounts *account.Service, units []string) ([]DemoAccount, error) {
	var out []DemoAccount
	for _, u := range units {
		code, _, err := domain.ParseCreditCode(u)
		if err != nil {
			return nil, err
		}
		for i, op := range []struct {
			name string
			role account.Role
		}{{DemoAdmin, account.Admin}, {DemoClerk, account.Clerk}} {
			phone := demoPhone(string(code), i)
			if _, err := accounts.Seed(ctx, code, account.NewOperator{Name: op.name, Phone: phone, Role: op.role,
				Password: DemoPassword}); err != nil {
				return nil, fmt.Errorf("seed demo operator of unit %s: %w", code, err)
			}
			out = append(out, DemoAccount{CreditCode: string(code), Name: op.name, Role: op.role, Phone: phone})
		}
	}
	return out, nil
}

// demoPhone is a made-up mobile number, 139 and eight digits from the code.
func demoPhone(code string, i int) string {
	h := fnv.New32a()
	h.Write([]byte(code))
	return fmt.Sprintf("139%08d", (int(h.Sum32())+i)%100_000_000)
}

package progress

import (
	"context"
	"fmt"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/declaration"
)

// BundleView is a package (打包办) tracked as one: its applications and a
// summary the applicant reads at a glance.
type BundleView struct {
	BundleID    string
	Code        string
	Name        string
	SubmittedAt time.Time
	// Label sums the package up: 已全部办结, 办理中（已办结1项，共3项）…
	Label     string
	Completed int  // applications completed (已办结)
	Total     int  // applications in the package
	Final     bool // every application is final
	Overdue   bool // some application is overdue
	// Applications are the package's applications, with their timelines.
	Applications []View
}

// ByBundle returns a package's progress, if viewer may see it. Errors:
// NotFound, also for someone else's package.
func (s *Service) ByBundle(ctx context.Context, id, viewer string) (BundleView, error) {
	f, err := s.cfg.Store.Bundle(ctx, id)
	if err != nil {
		return BundleView{}, err
	}
	if len(f.Applications) == 0 || !declaration.Visible(f.Applications[0], viewer) {
		return BundleView{}, domain.Errorf(domain.NotFound, "未找到该打包申请")
	}
	b := BundleView{BundleID: f.Bundle.ID, Code: f.Bundle.Code, Name: f.Bundle.Name, SubmittedAt: f.Bundle.CreatedAt,
		Total: len(f.Applications), Final: true}
	for _, app := range f.Applications {
		v, err := s.full(ctx, app, viewer)
		if err != nil {
			return BundleView{}, err
		}
		b.Applications = append(b.Applications, v)
		b.Final = b.Final && v.Final
		b.Overdue = b.Overdue || v.Overdue
		if v.Status == declaration.Status(acceptance.StatusCompleted) {
			b.Completed++
		}
	}
	b.Label = bundleLabel(b)
	return b, nil
}

func bundleLabel(b BundleView) string {
	switch {
	case b.Completed == b.Total:
		return "已全部办结"
	case b.Final:
		return fmt.Sprintf("已结束（办结%d项，共%d项，其余未通过或已撤回）", b.Completed, b.Total)
	}
	return fmt.Sprintf("办理中（已办结%d项，共%d项）", b.Completed, b.Total)
}

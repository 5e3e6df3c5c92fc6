package wechat

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/domain/follower"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/progress"
)

// lockingMatters are the matters whose pending application locks the
// insured person's record (参保人封锁): while one is being handled, the
// counter will not accept another transfer, refund or stop for the same
// person, since each would change the same record. The reason is what the
// citizen is told.
var lockingMatters = map[string]string{
	"transfer.pension":            "养老保险关系转移接续办理中，办结前不能办理其他转移、退保或停保业务",
	"transfer.unemployment":       "失业保险关系转移办理中，办结前不能办理其他转移业务",
	"insured.death_stop":          "死亡停保办理中，参保关系已暂停变更",
	"pension.account_refund":      "个人账户返还办理中，办结前不能办理转移或缴费业务",
	"pension.benefit_termination": "待遇停发办理中，参保关系已暂停变更",
}

// WxLockStatusInput asks for the lock status of the follower or a relative.
type WxLockStatusInput struct {
	ActFor
}

// WxLockItem is one lock on the record.
type WxLockItem struct {
	Matter        string    `json:"matter"`
	ApplicationID string    `json:"applicationId"`
	StatusLabel   string    `json:"statusLabel"`
	Reason        string    `json:"reason"`
	Since         time.Time `json:"since"`
	PageURL       string    `json:"pageUrl"`
}

// WxLockStatusOutput is the 参保人封锁查询 page.
type WxLockStatusOutput struct {
	Body struct {
		Locked       bool         `json:"locked"`
		Summary      string       `json:"summary"`
		PersonStatus string       `json:"personStatus"`
		Locks        []WxLockItem `json:"locks"`
		Coverages    []string     `json:"coverages" doc:"各险种参保状态，如“养老保险：参保缴费”"`
		Notice       string       `json:"notice"`
	}
}

// lockNotice says what the answer cannot see.
const lockNotice = "本查询显示正在办理的业务对参保关系的封锁；因稽核等原因由经办机构在社保系统中设置的封锁，请拨打12333或到服务大厅查询。"

func (c *Channel) lockStatus(ctx context.Context, _ *WxLockStatusInput) (*WxLockStatusOutput, error) {
	p := principalFrom(ctx)
	o, locks, err := c.locks(ctx, p)
	c.record(ctx, p, "wechat.insured.locks", err)
	if err != nil {
		return nil, err
	}
	out := &WxLockStatusOutput{}
	b := &out.Body
	b.Locked, b.PersonStatus, b.Locks, b.Notice = len(locks) > 0, o.Status.Label(), locks, lockNotice
	b.Summary = "您的参保关系未被封锁，可正常办理业务"
	if b.Locked {
		b.Summary = "您的参保关系因正在办理的业务暂时封锁，办结后自动解除"
	}
	b.Coverages = make([]string, 0, len(o.Coverages))
	for _, cv := range o.Coverages {
		b.Coverages = append(b.Coverages, cv.Type.Label()+"："+cv.Status.Label())
	}
	return out, nil
}

// locks reads the subject's standing at the core and their pending
// applications that lock the record, oldest first.
func (c *Channel) locks(ctx context.Context, p follower.Principal) (insured.InsuranceOverview, []WxLockItem, error) {
	o, err := c.core.Overview(ctx, p.Subject)
	if err != nil {
		return o, nil, err
	}
	views, _, err := c.progress.ByApplicant(ctx, p.SubjectRef, "", 100)
	if err != nil {
		return o, nil, err
	}
	locks := []WxLockItem{}
	for i := len(views) - 1; i >= 0; i-- {
		if l, ok := c.lockOf(views[i]); ok {
			locks = append(locks, l)
		}
	}
	return o, locks, nil
}

func (c *Channel) lockOf(v progress.View) (WxLockItem, bool) {
	reason, ok := lockingMatters[v.MatterCode]
	if !ok || v.Final {
		return WxLockItem{}, false
	}
	return WxLockItem{Matter: v.MatterName, ApplicationID: v.ApplicationID, StatusLabel: v.StatusLabel,
		Reason: reason, Since: bj(v.SubmittedAt), PageURL: c.progressPage(v.ApplicationID)}, true
}

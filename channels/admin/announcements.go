package admin

import (
	"context"
	"strconv"
	"time"

	"github.com/dandong-hrss/hrss/domain/announcement"
)

// AnnouncementItem is an announcement as staff see it in a list, published
// or not. (The wire types that other answers embed are exported: huma
// describes the fields of exported embedded structs only.)
type AnnouncementItem struct {
	ID             string `json:"id"`
	Category       string `json:"category"`
	CategoryName   string `json:"categoryName"`
	Title          string `json:"title"`
	Summary        string `json:"summary"`
	Source         string `json:"source"`
	PublishedAt    string `json:"publishedAt" doc:"发布时间（显示用），RFC 3339"`
	EffectiveFrom  string `json:"effectiveFrom,omitempty" doc:"施行日期"`
	EffectiveUntil string `json:"effectiveUntil,omitempty" doc:"失效日期"`
	Pinned         bool   `json:"pinned"`
	Published      bool   `json:"published" doc:"false 为已撤下，群众看不到"`
	Version        int64  `json:"version"`
	UpdatedAt      string `json:"updatedAt"`
}

// annDetail is one announcement in full.
type annDetail struct {
	AnnouncementItem
	Body string `json:"body" doc:"正文，纯文本，每行一段"`
}

func annItemOf(a announcement.Announcement) AnnouncementItem {
	return AnnouncementItem{ID: a.ID, Category: string(a.Category), CategoryName: a.Category.Label(), Title: a.Title,
		Summary: a.Summary(60), Source: a.Source, PublishedAt: stamp(a.PublishedAt),
		EffectiveFrom: day(a.EffectiveFrom), EffectiveUntil: day(a.EffectiveUntil), Pinned: a.Pinned,
		Published: a.Published, Version: a.Version, UpdatedAt: stamp(a.UpdatedAt)}
}

type listAnnInput struct {
	Category string `query:"category" enum:"policy,law,procedure,special_groups" doc:"分类；不填为全部"`
	Q        string `query:"q" maxLength:"60" doc:"关键词，标题或正文包含即可，空格分隔多个词"`
	Page     int    `query:"page" minimum:"1" default:"1"`
	Size     int    `query:"size" minimum:"1" maximum:"100" default:"20"`
}

type listAnnOutput struct {
	Body struct {
		Items    []AnnouncementItem `json:"items"`
		Page     int                `json:"page"`
		PageSize int                `json:"pageSize"`
		Total    int                `json:"total"`
	}
}

// listAnnouncements lists every announcement, unpublished ones included.
func (a *Admin) listAnnouncements(ctx context.Context, in *listAnnInput) (*listAnnOutput, error) {
	items, total, err := a.annIndex.List(ctx, announcement.Query{Category: announcement.Category(in.Category),
		Terms: announcement.Terms(in.Q), IncludeHidden: true, Offset: (in.Page - 1) * in.Size, Limit: in.Size})
	if err != nil {
		return nil, err
	}
	out := &listAnnOutput{}
	out.Body.Items, out.Body.Page, out.Body.PageSize, out.Body.Total = make([]AnnouncementItem, 0, len(items)), in.Page, in.Size, total
	for _, it := range items {
		out.Body.Items = append(out.Body.Items, annItemOf(it))
	}
	return out, nil
}

type annIDInput struct {
	ID string `path:"id" maxLength:"64" doc:"公告编号"`
}

type annOutput struct {
	Status int
	ETag   string `header:"ETag"`
	Body   *annDetail
}

func annAnswer(status int, a announcement.Announcement) *annOutput {
	return &annOutput{Status: status, ETag: versionTag(a.Version), Body: &annDetail{AnnouncementItem: annItemOf(a), Body: a.Body}}
}

func (a *Admin) getAnnouncement(ctx context.Context, in *annIDInput) (*annOutput, error) {
	got, err := a.announcements.Admin(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	return annAnswer(200, got), nil
}

// AnnouncementDraft is what staff write, to create an announcement or,
// with the version it is based on, to change one.
type AnnouncementDraft struct {
	Category       string    `json:"category" enum:"policy,law,procedure,special_groups" doc:"分类：policy 社保政策、law 法律法规、procedure 经办业务、special_groups 特殊人群政策"`
	Title          string    `json:"title" doc:"标题，1至100字"`
	Body           string    `json:"body" doc:"正文，纯文本，每行一段"`
	Source         string    `json:"source,omitempty" doc:"发布单位"`
	PublishedAt    time.Time `json:"publishedAt,omitzero" doc:"显示的发布时间；不填为现在（修改时不填则保持原值）"`
	EffectiveFrom  string    `json:"effectiveFrom,omitempty" format:"date" doc:"施行日期"`
	EffectiveUntil string    `json:"effectiveUntil,omitempty" format:"date" doc:"失效日期"`
	Pinned         bool      `json:"pinned,omitempty" doc:"置顶"`
}

func (b AnnouncementDraft) draft() (announcement.Draft, error) {
	from, err := parseDay("effectiveFrom", b.EffectiveFrom)
	if err != nil {
		return announcement.Draft{}, err
	}
	until, err := parseDay("effectiveUntil", b.EffectiveUntil)
	if err != nil {
		return announcement.Draft{}, err
	}
	return announcement.Draft{Category: announcement.Category(b.Category), Title: b.Title, Body: b.Body,
		Source: b.Source, PublishedAt: b.PublishedAt, EffectiveFrom: from, EffectiveUntil: until, Pinned: b.Pinned}, nil
}

type createAnnInput struct {
	Body AnnouncementDraft
}

// createAnnouncement publishes a new announcement at once.
func (a *Admin) createAnnouncement(ctx context.Context, in *createAnnInput) (*annOutput, error) {
	d, err := in.Body.draft()
	var made announcement.Announcement
	if err == nil {
		made, err = a.announcements.Create(ctx, d)
	}
	if err := a.change(ctx, "announcement.create", err, map[string]string{"announcement": made.ID}); err != nil {
		return nil, err
	}
	return annAnswer(201, made), nil
}

type updateAnnInput struct {
	ID      string `path:"id" maxLength:"64" doc:"公告编号"`
	IfMatch string `header:"If-Match" doc:"读取时返回的 ETag，如 \"v3\""`
	Body    struct {
		AnnouncementDraft
		Version int64 `json:"version,omitempty" doc:"所依据的版本；也可用 If-Match 头，二者须有其一"`
	}
}

// updateAnnouncement replaces the text and dates of an announcement.
func (a *Admin) updateAnnouncement(ctx context.Context, in *updateAnnInput) (*annOutput, error) {
	version, d, err := a.updateOf(ctx, in)
	var saved announcement.Announcement
	if err == nil {
		saved, err = a.announcements.Update(ctx, in.ID, d, version)
	}
	detail := map[string]string{"announcement": owned(in.ID), "basedOn": strconv.FormatInt(version, 10)}
	if err := a.change(ctx, "announcement.update", err, detail); err != nil {
		return nil, err
	}
	return annAnswer(200, saved), nil
}

// updateOf reads an update: the version it is based on, which it must
// name, and the draft, whose publishedAt, when left out, is the one the
// announcement has (should that change meanwhile, so has the version, and
// the update is refused).
func (a *Admin) updateOf(ctx context.Context, in *updateAnnInput) (int64, announcement.Draft, error) {
	version, err := baseVersion(in.IfMatch, in.Body.Version)
	if err == nil && version == 0 {
		err = errNoVersion
	}
	if err != nil {
		return version, announcement.Draft{}, err
	}
	d, err := in.Body.draft()
	if err != nil || !d.PublishedAt.IsZero() {
		return version, d, err
	}
	cur, err := a.announcements.Admin(ctx, in.ID)
	d.PublishedAt = cur.PublishedAt
	return version, d, err
}

type publishInput struct {
	ID      string `path:"id" maxLength:"64" doc:"公告编号"`
	IfMatch string `header:"If-Match" doc:"读取时返回的 ETag，如 \"v3\""`
	Body    *struct {
		Version int64 `json:"version,omitempty" doc:"所依据的版本；也可用 If-Match 头，二者须有其一"`
	}
}

func (in *publishInput) version() (int64, error) {
	var body int64
	if in.Body != nil {
		body = in.Body.Version
	}
	v, err := baseVersion(in.IfMatch, body)
	if err == nil && v == 0 {
		err = errNoVersion
	}
	return v, err
}

// setPublished returns the handler that publishes (发布) or unpublishes
// (撤下) an announcement.
func (a *Admin) setPublished(published bool) func(context.Context, *publishInput) (*annOutput, error) {
	action := "announcement.unpublish"
	if published {
		action = "announcement.publish"
	}
	return func(ctx context.Context, in *publishInput) (*annOutput, error) {
		version, err := in.version()
		var saved announcement.Announcement
		if err == nil {
			saved, err = a.announcements.SetPublished(ctx, in.ID, published, version)
		}
		detail := map[string]string{"announcement": owned(in.ID), "basedOn": strconv.FormatInt(version, 10)}
		if err := a.change(ctx, action, err, detail); err != nil {
			return nil, err
		}
		return annAnswer(200, saved), nil
	}
}

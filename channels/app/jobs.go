package app

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/jobs"
)

// JobSummary is a posting in a list: what fits on one card of the screen.
type JobSummary struct {
	ID            string `json:"id"`
	Title         string `json:"title"`
	Employer      string `json:"employer"`
	Area          string `json:"area"`
	AreaText      string `json:"areaText" example:"振兴区"`
	SalaryMin     int64  `json:"salaryMin" doc:"月薪下限，分"`
	SalaryMax     int64  `json:"salaryMax" doc:"月薪上限，分"`
	EducationText string `json:"educationText" example:"大专"`
	PostedOn      string `json:"postedOn" example:"2026-05-28"`
}

// JobDetail is one posting in full; the contact phone is masked (call
// through the employment service hotline or register as a job seeker).
type JobDetail struct {
	JobSummary
	Industry     string   `json:"industry"`
	IndustryText string   `json:"industryText"`
	Experience   int      `json:"experienceYears" doc:"要求工作年限，0为不限"`
	Headcount    int      `json:"headcount"`
	Description  string   `json:"description"`
	Address      string   `json:"address"`
	Welfare      []string `json:"welfare"`
	Contact      string   `json:"contact" example:"王女士"`
	ContactPhone string   `json:"contactPhone" example:"139****1234"`
}

func jobSummary(j jobs.Job) JobSummary {
	return JobSummary{ID: j.ID, Title: j.Title, Employer: j.Employer, Area: string(j.Area), AreaText: j.Area.Label(),
		SalaryMin: int64(j.SalaryMin), SalaryMax: int64(j.SalaryMax), EducationText: j.Education.Label(), PostedOn: day(j.PostedOn)}
}

func jobDetail(j jobs.Job) JobDetail {
	return JobDetail{JobSummary: jobSummary(j), Industry: string(j.Industry), IndustryText: j.Industry.Label(),
		Experience: j.Experience, Headcount: j.Headcount, Description: j.Description, Address: j.Address,
		Welfare: j.Welfare, Contact: j.Contact, ContactPhone: j.ContactPhone.Masked()}
}

type searchInput struct {
	Keyword      string `query:"keyword" maxLength:"30" doc:"职位或单位名称关键词"`
	Area         string `query:"area" enum:"210602,210603,210604,210624,210681,210682" doc:"工作地区（区县代码）"`
	Industry     string `query:"industry" enum:"manufacturing,trade,hospitality,logistics,construction,it,education,health,agriculture,tourism,finance,services" doc:"行业"`
	SalaryMin    int64  `query:"salaryMin" minimum:"0" doc:"月薪不低于，分"`
	PostedWithin int    `query:"postedWithin" minimum:"0" maximum:"90" doc:"最近几天内发布，0为不限"`
	Page         int    `query:"page" minimum:"1" default:"1"`
	Size         int    `query:"size" minimum:"1" maximum:"50" default:"20"`
}

// JobPage is one page of search results.
type JobPage struct {
	Items   []JobSummary `json:"items"`
	Page    int          `json:"page"`
	Size    int          `json:"size"`
	Total   int          `json:"total"`
	HasMore bool         `json:"hasMore"`
}

type jobPageOutput struct{ Body JobPage }

type jobInput struct {
	ID string `path:"id" maxLength:"32"`
}

type jobOutput struct{ Body JobDetail }

// SeekerForm is a job-seeker registration as the app fills it in.
type SeekerForm struct {
	Education      string   `json:"education" enum:"junior,senior,college,bachelor,master" doc:"最高学历"`
	Major          string   `json:"major,omitempty" maxLength:"30" doc:"所学专业"`
	Skills         []string `json:"skills,omitempty" maxItems:"10" doc:"技能特长"`
	WantedPost     string   `json:"wantedPost" minLength:"1" maxLength:"30" doc:"求职意向岗位"`
	WantedArea     string   `json:"wantedArea" enum:"210602,210603,210604,210624,210681,210682" doc:"期望工作地区"`
	WantedIndustry string   `json:"wantedIndustry,omitempty" enum:"manufacturing,trade,hospitality,logistics,construction,it,education,health,agriculture,tourism,finance,services" doc:"期望行业，不填为不限"`
	WantedSalary   int64    `json:"wantedSalary,omitempty" minimum:"0" doc:"期望月薪，分；0为面议"`
}

// SeekerView is a registration as the employment system keeps it.
type SeekerView struct {
	SeekerForm
	RegistrationNo string    `json:"registrationNo" doc:"求职登记编号"`
	RegisteredAt   time.Time `json:"registeredAt"`
	UpdatedAt      time.Time `json:"updatedAt"`
}

type seekerInput struct {
	Acting
	Body SeekerForm
}

type seekerOutput struct{ Body SeekerView }

func seekerView(r jobs.Registration) SeekerView {
	return SeekerView{RegistrationNo: r.No, RegisteredAt: *instant(r.RegisteredAt), UpdatedAt: *instant(r.UpdatedAt),
		SeekerForm: SeekerForm{Education: string(r.Education), Major: r.Major, Skills: r.Skills, WantedPost: r.WantedPost,
			WantedArea: string(r.WantedArea), WantedIndustry: string(r.WantedIndustry), WantedSalary: int64(r.WantedSalary)}}
}

func (c *Channel) registerJobs(api huma.API) {
	huma.Register(api, op("search-jobs", http.MethodGet, "/jobs", "求职", "职位搜索", false),
		func(ctx context.Context, in *searchInput) (*jobPageOutput, error) {
			q := jobs.Query{Keyword: in.Keyword, Area: jobs.Area(in.Area), Industry: jobs.Industry(in.Industry),
				SalaryMin: domain.Fen(in.SalaryMin), Page: in.Page, Size: in.Size}
			if in.PostedWithin > 0 {
				q.PostedSince = c.now().AddDate(0, 0, 1-in.PostedWithin)
			}
			page, err := c.cfg.Jobs.Search(ctx, q)
			if err != nil {
				return nil, err
			}
			out := &jobPageOutput{Body: JobPage{Items: make([]JobSummary, len(page.Jobs)), Page: page.Page, Size: page.Size,
				Total: page.Total, HasMore: page.HasMore()}}
			for i, j := range page.Jobs {
				out.Body.Items[i] = jobSummary(j)
			}
			return out, nil
		})
	huma.Register(api, op("job", http.MethodGet, "/jobs/{id}", "求职", "职位详情", false),
		func(ctx context.Context, in *jobInput) (*jobOutput, error) {
			j, err := c.cfg.Jobs.Job(ctx, in.ID)
			if err != nil {
				return nil, err
			}
			return &jobOutput{Body: jobDetail(j)}, nil
		})
	huma.Register(api, op("job-seeker", http.MethodGet, "/job-seeker", "求职", "我的求职登记", true),
		func(ctx context.Context, in *Acting) (*seekerOutput, error) {
			p, err := c.person(ctx, *in)
			if err != nil {
				return nil, err
			}
			r, err := c.cfg.Jobs.Registration(ctx, p.Subject)
			c.record(ctx, p, "app.job-seeker.read", err, nil)
			if err != nil {
				return nil, err
			}
			return &seekerOutput{Body: seekerView(r)}, nil
		})
	huma.Register(api, op("register-job-seeker", http.MethodPut, "/job-seeker", "求职",
		"求职登记（再次提交即更新求职意向）；联系电话为登录手机号", true),
		func(ctx context.Context, in *seekerInput) (*seekerOutput, error) {
			p, err := c.person(ctx, in.Acting)
			if err != nil {
				return nil, err
			}
			a, err := c.cfg.Identity.Account(ctx, p.AccountID)
			if err != nil {
				return nil, err
			}
			f := in.Body
			r, err := c.cfg.Jobs.Register(ctx, jobs.Seeker{Person: p.Subject, Phone: a.Phone, Education: jobs.Education(f.Education),
				Major: f.Major, Skills: f.Skills, WantedPost: f.WantedPost, WantedArea: jobs.Area(f.WantedArea),
				WantedIndustry: jobs.Industry(f.WantedIndustry), WantedSalary: domain.Fen(f.WantedSalary)})
			c.record(ctx, p, "app.job-seeker.register", err, nil)
			if err != nil {
				return nil, err
			}
			return &seekerOutput{Body: seekerView(r)}, nil
		})
}

package jobs

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/domain"
)

// MaxSkills bounds the skills one registration lists.
const MaxSkills = 10

// Service checks what citizens ask of the job board before the employment
// system sees it. It is safe for concurrent use.
type Service struct {
	board Board
}

// NewService returns a Service over board.
func NewService(board Board) *Service { return &Service{board: board} }

// Search returns one page of postings matching q, newest first. A page or
// size out of range is brought into range (page 1, size 20 when zero).
// Errors: Invalid naming the filter at fault.
func (s *Service) Search(ctx context.Context, q Query) (Page, error) {
	var fields []domain.FieldError
	add := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	q.Keyword = strings.TrimSpace(q.Keyword)
	if utf8.RuneCountInString(q.Keyword) > 30 {
		add("keyword", "关键词不能超过30个字")
	}
	if q.Area != "" && !q.Area.Known() {
		add("area", "请选择丹东市内的区县")
	}
	if q.Industry != "" && !q.Industry.Known() {
		add("industry", "请选择列表中的行业")
	}
	if q.SalaryMin < 0 {
		add("salaryMin", "期望月薪不能为负数")
	}
	if fields != nil {
		return Page{}, domain.InvalidFields(fields...)
	}
	q.Page = max(q.Page, 1)
	switch {
	case q.Size <= 0:
		q.Size = 20
	case q.Size > MaxPageSize:
		q.Size = MaxPageSize
	}
	return s.board.Search(ctx, q)
}

// Job returns one posting. NotFound when it does not exist or has closed.
func (s *Service) Job(ctx context.Context, id string) (Job, error) {
	if id == "" || len(id) > 32 {
		return Job{}, domain.Errorf(domain.NotFound, "该职位不存在或已停止招聘")
	}
	return s.board.Job(ctx, id)
}

// Register records the person's job-seeker registration (求职登记), or
// updates it. Errors: Invalid naming each field at fault.
func (s *Service) Register(ctx context.Context, sk Seeker) (Registration, error) {
	sk.Major = strings.TrimSpace(sk.Major)
	sk.WantedPost = strings.TrimSpace(sk.WantedPost)
	skills := make([]string, 0, len(sk.Skills))
	for _, k := range sk.Skills {
		if k = strings.TrimSpace(k); k != "" {
			skills = append(skills, k)
		}
	}
	sk.Skills = skills
	if err := checkSeeker(sk); err != nil {
		return Registration{}, err
	}
	return s.board.Register(ctx, sk)
}

// checkSeeker names every field of a registration at fault.
func checkSeeker(sk Seeker) error {
	var fields []domain.FieldError
	add := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	if sk.Person == "" {
		add("idNumber", "请先完成实名认证")
	}
	if !sk.Education.Known() || sk.Education == AnyEducation {
		add("education", "请选择您的最高学历")
	}
	if utf8.RuneCountInString(sk.Major) > 30 {
		add("major", "专业名称不能超过30个字")
	}
	if len(sk.Skills) > MaxSkills {
		add("skills", "技能特长最多填写10项")
	}
	for _, k := range sk.Skills {
		if utf8.RuneCountInString(k) > 20 {
			add("skills", "每项技能特长不能超过20个字")
			break
		}
	}
	if n := utf8.RuneCountInString(sk.WantedPost); n == 0 || n > 30 {
		add("wantedPost", "请填写求职意向岗位（30字以内）")
	}
	if !sk.WantedArea.Known() {
		add("wantedArea", "请选择期望工作地区")
	}
	if sk.WantedIndustry != "" && !sk.WantedIndustry.Known() {
		add("wantedIndustry", "请选择列表中的行业")
	}
	if sk.WantedSalary < 0 || sk.WantedSalary > 10_000_000 {
		add("wantedSalary", "期望月薪应在0到10万元之间")
	}
	if fields != nil {
		return domain.InvalidFields(fields...)
	}
	return nil
}

// Registration returns the person's job-seeker registration. NotFound when
// they have not registered.
func (s *Service) Registration(ctx context.Context, person domain.IDNumber) (Registration, error) {
	return s.board.Registration(ctx, person)
}

package jobs_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/jobs"
)

// board remembers the last query and registration it was given.
type board struct {
	jobs.Board
	query  jobs.Query
	seeker jobs.Seeker
}

func (b *board) Search(_ context.Context, q jobs.Query) (jobs.Page, error) {
	b.query = q
	return jobs.Page{Page: q.Page, Size: q.Size}, nil
}

func (b *board) Register(_ context.Context, s jobs.Seeker) (jobs.Registration, error) {
	b.seeker = s
	return jobs.Registration{Seeker: s, No: "QZ1"}, nil
}

func TestSearchIsCheckedAndPaged(t *testing.T) {
	tests := []struct {
		name       string
		q          jobs.Query
		page, size int
		field      string
	}{
		{"defaults", jobs.Query{}, 1, 20, ""},
		{"a page too big", jobs.Query{Page: 3, Size: 500}, 3, jobs.MaxPageSize, ""},
		{"an area outside Dandong", jobs.Query{Area: "110101"}, 0, 0, "area"},
		{"an unknown industry", jobs.Query{Industry: "mining"}, 0, 0, "industry"},
		{"a long keyword", jobs.Query{Keyword: strings.Repeat("职", 31)}, 0, 0, "keyword"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &board{}
			_, err := jobs.NewService(b).Search(context.Background(), tt.q)
			if tt.field != "" {
				var de *domain.Error
				if !domain.IsCode(err, domain.Invalid) || !asError(err, &de) || de.Fields[0].Field != tt.field {
					t.Errorf("err = %v; want Invalid on %s", err, tt.field)
				}
				return
			}
			if err != nil || b.query.Page != tt.page || b.query.Size != tt.size {
				t.Errorf("board asked for page %d size %d (%v); want %d and %d", b.query.Page, b.query.Size, err, tt.page, tt.size)
			}
		})
	}
}

func asError(err error, de **domain.Error) bool {
	e, ok := err.(*domain.Error)
	*de = e
	return ok && len(e.Fields) > 0
}

func TestRegistrationIsChecked(t *testing.T) {
	b := &board{}
	s := jobs.NewService(b)
	ok := jobs.Seeker{Person: "210602199001011234", Education: jobs.College, Skills: []string{" 叉车证 ", "", "电工证"},
		WantedPost: " 仓库管理员 ", WantedArea: jobs.Zhenxing}
	if _, err := s.Register(context.Background(), ok); err != nil {
		t.Fatal(err)
	}
	if got := b.seeker; got.WantedPost != "仓库管理员" || len(got.Skills) != 2 || got.Skills[0] != "叉车证" {
		t.Errorf("the board got %+v; want trimmed post and skills without blanks", got)
	}
	bad := jobs.Seeker{Person: "210602199001011234", Education: jobs.AnyEducation, WantedArea: "110101", WantedSalary: -1}
	_, err := s.Register(context.Background(), bad)
	var de *domain.Error
	if !asError(err, &de) || len(de.Fields) != 4 {
		t.Errorf("err = %v; want Invalid naming education, wantedPost, wantedArea and wantedSalary", err)
	}
}

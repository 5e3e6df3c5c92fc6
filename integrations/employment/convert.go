package employment

import (
	"fmt"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/jobs"
)

// toJob reads a posting off the wire; an error means the contract changed.
func toJob(w JobRecord) (jobs.Job, error) {
	posted, err := time.ParseInLocation(DateLayout, w.PostedOn, domain.Beijing)
	if err != nil || w.JobID == "" {
		return jobs.Job{}, fmt.Errorf("job %q: posted on %q", w.JobID, w.PostedOn)
	}
	return jobs.Job{ID: w.JobID, Title: w.Title, Employer: w.Employer, Industry: jobs.Industry(w.Industry),
		Area: jobs.Area(w.AreaCode), SalaryMin: domain.Fen(w.SalaryMin * 100), SalaryMax: domain.Fen(w.SalaryMax * 100),
		Education: jobs.Education(w.Education), Experience: w.Experience, Headcount: w.Headcount, PostedOn: posted,
		Description: w.Description, Address: w.Address, Welfare: w.Welfare, Contact: w.Contact,
		ContactPhone: domain.Phone(w.ContactPhone)}, nil
}

func toSeekerRequest(s jobs.Seeker) SeekerRequest {
	return SeekerRequest{IDNumber: s.Person.Raw(), Phone: s.Phone.Raw(), Education: string(s.Education), Major: s.Major,
		Skills: s.Skills, WantedPost: s.WantedPost, WantedArea: string(s.WantedArea),
		WantedIndustry: string(s.WantedIndustry), WantedSalary: int64(s.WantedSalary / 100)}
}

func toRegistration(w SeekerRecord) jobs.Registration {
	r := w.SeekerRequest
	return jobs.Registration{No: w.RegistrationNo, RegisteredAt: w.RegisteredAt.In(domain.Beijing),
		UpdatedAt: w.UpdatedAt.In(domain.Beijing), Seeker: jobs.Seeker{
			Person: domain.IDNumber(r.IDNumber), Phone: domain.Phone(r.Phone), Education: jobs.Education(r.Education),
			Major: r.Major, Skills: r.Skills, WantedPost: r.WantedPost, WantedArea: jobs.Area(r.WantedArea),
			WantedIndustry: jobs.Industry(r.WantedIndustry), WantedSalary: domain.Fen(r.WantedSalary * 100)}}
}

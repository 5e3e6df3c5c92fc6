// Package employment is the client of Dandong's employment system
// (就业信息系统), where employers file job postings and citizens register
// as job seekers (求职登记). It implements jobs.Board.
//
// The wire contract is JSON over HTTP, signed in headers (see Sign) like
// the bureau's other partners, with the request URI in the signature so a
// signed search cannot be edited in flight. Every call is safe to repeat —
// searches and look-ups read, and a registration is keyed by ID number so
// a repeat updates it — so every call is retried under remote.Caller. The
// simulator in employment/sim speaks the same contract over real HTTP.
package employment

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/jobs"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/prometheus/client_golang/prometheus"
)

// Name is how citizens see the system named in error messages.
const Name = "就业信息系统"

// maxAnswer bounds what the client reads of any answer.
const maxAnswer = 4 << 20

// Config says where the system is and how to sign for it.
type Config struct {
	BaseURL string // like "http://10.1.2.40:8080"; no trailing slash needed
	AppID   string
	AppKey  string // never logged
	Policy  remote.Policy
}

// Client reads postings and files registrations. It is safe for
// concurrent use.
type Client struct {
	cfg    Config
	http   *http.Client
	caller *remote.Caller
}

var _ jobs.Board = (*Client)(nil)

// New returns a Client; its metrics go to reg under system label
// "employment" (nil reg: no metrics).
func New(cfg Config, reg prometheus.Registerer) *Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 32
	return &Client{cfg: cfg, http: &http.Client{Transport: tr}, caller: remote.NewCaller("employment", Name, cfg.Policy, reg)}
}

// BreakerState reports the system's circuit breaker, for readiness pages.
func (c *Client) BreakerState() string { return c.caller.BreakerState() }

// Search implements jobs.Board.
func (c *Client) Search(ctx context.Context, q jobs.Query) (jobs.Page, error) {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("keyword", q.Keyword)
	set("area", string(q.Area))
	set("industry", string(q.Industry))
	if q.SalaryMin > 0 {
		v.Set("salaryMin", strconv.FormatInt(int64(q.SalaryMin/100), 10))
	}
	if !q.PostedSince.IsZero() {
		v.Set("postedSince", q.PostedSince.In(domain.Beijing).Format(DateLayout))
	}
	v.Set("page", strconv.Itoa(q.Page))
	v.Set("size", strconv.Itoa(q.Size))
	var out SearchResponse
	err := c.caller.Call(ctx, "search_jobs", true, func(ctx context.Context) error {
		return c.do(ctx, http.MethodGet, PathJobs+"?"+v.Encode(), nil, &out)
	})
	if err != nil {
		return jobs.Page{}, err
	}
	page := jobs.Page{Total: out.Total, Page: out.Page, Size: out.Size, Jobs: make([]jobs.Job, 0, len(out.Jobs))}
	for _, w := range out.Jobs {
		j, err := toJob(w)
		if err != nil {
			return jobs.Page{}, unreadable(err)
		}
		page.Jobs = append(page.Jobs, j)
	}
	return page, nil
}

// Job implements jobs.Board.
func (c *Client) Job(ctx context.Context, id string) (jobs.Job, error) {
	var out JobResponse
	err := c.caller.Call(ctx, "job", true, func(ctx context.Context) error {
		return c.do(ctx, http.MethodGet, PathJob+url.PathEscape(id), nil, &out)
	})
	if err != nil {
		return jobs.Job{}, err
	}
	j, err := toJob(out.Job)
	if err != nil {
		return jobs.Job{}, unreadable(err)
	}
	return j, nil
}

// Register implements jobs.Board. It is retried: the system keys seekers
// by ID number, so a repeat updates the same registration.
func (c *Client) Register(ctx context.Context, s jobs.Seeker) (jobs.Registration, error) {
	body, err := json.Marshal(toSeekerRequest(s))
	if err != nil {
		return jobs.Registration{}, domain.Wrap(err, domain.Internal, Name+"请求无法生成")
	}
	return c.seeker(ctx, "register_seeker", PathSeekers, body)
}

// Registration implements jobs.Board.
func (c *Client) Registration(ctx context.Context, person domain.IDNumber) (jobs.Registration, error) {
	body, _ := json.Marshal(LookupRequest{IDNumber: person.Raw()})
	return c.seeker(ctx, "lookup_seeker", PathSeekerLookup, body)
}

func (c *Client) seeker(ctx context.Context, op, path string, body []byte) (jobs.Registration, error) {
	var out SeekerResponse
	err := c.caller.Call(ctx, op, true, func(ctx context.Context) error {
		return c.do(ctx, http.MethodPost, path, body, &out)
	})
	if err != nil {
		return jobs.Registration{}, err
	}
	if out.Seeker.RegistrationNo == "" {
		return jobs.Registration{}, unreadable(fmt.Errorf("seeker answer without a registration number"))
	}
	return toRegistration(out.Seeker), nil
}

// do makes one signed request and decodes a successful answer into out.
// Transport errors are returned as they are, for remote.Caller to classify.
func (c *Client) do(ctx context.Context, method, uri string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.cfg.BaseURL+uri, bytes.NewReader(body))
	if err != nil {
		return domain.Wrap(err, domain.Internal, Name+"地址配置有误")
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	SignHeader(req.Header, c.cfg.AppID, c.cfg.AppKey, uri, body, time.Now())
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return err
	}
	return decode(resp.StatusCode, answer, out)
}

// reasons are the system's reasons the client translates itself.
var reasons = map[string]struct {
	code    domain.Code
	message string
}{
	ReasonJobNotFound:    {domain.NotFound, "该职位不存在或已停止招聘"},
	ReasonSeekerNotFound: {domain.NotFound, "您尚未进行求职登记"},
}

// decode reads an answer: a failure becomes the domain error its reason
// (or else its status) means.
func decode(status int, answer []byte, out any) error {
	if status < 200 || status > 299 {
		var env Envelope
		json.Unmarshal(answer, &env) // best effort; a proxy may answer in HTML
		if r, ok := reasons[env.Code]; ok {
			return domain.Wrap(fmt.Errorf("%s answered %d %s: %s", Name, status, env.Code, env.Message), r.code, r.message)
		}
		return remote.HTTPStatusError(Name, status, env.Code+" "+env.Message)
	}
	if err := json.Unmarshal(answer, out); err != nil {
		return unreadable(err)
	}
	return nil
}

func unreadable(cause error) *domain.Error {
	return domain.Wrap(cause, domain.Internal, Name+"返回了无法识别的结果")
}

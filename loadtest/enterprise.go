package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// operator is one unit operator (单位经办人) signed in to the enterprise
// channel (channels/enterprise): password, and an SMS code the first time
// they sign in from the device id their browser keeps.
type operator struct {
	unit                  string // the unit's unified social credit code
	name, phone, password string
	device                string
	token                 string
	tickets               tickets // the unit's applications filed in setting up, by stage open to rating
	planned               bool    // not set up yet: a kind is open to the operator if it will be
}

// The operator accounts the load test provisions: one administrator per
// unit, with a made-up phone (147 and eight digits from the credit code) to
// read the new-device code from.
const (
	operatorName     = "压测经办员"
	operatorPassword = "Load2026test"
)

func operatorPhone(unit string) string {
	h := fnv.New32a()
	h.Write([]byte(unit))
	return fmt.Sprintf("147%08d", h.Sum32()%100_000_000)
}

// provisionPath is the back-office route that opens a unit's operator
// account (the bureau provisions a unit's first administrator).
func provisionPath(unit string) string { return "/admin/v1/units/" + unit + "/operators" }

// provision has the back office open the operator's account. An account of
// that name already there (a second run) is fine: its password is ours.
func (op *operator) provision(base, adminToken string) error {
	status, body, err := call("POST", base+provisionPath(op.unit), bearer(adminToken),
		map[string]string{"name": op.name, "phone": op.phone, "role": "admin", "password": op.password}, nil)
	switch {
	case err != nil:
		return fmt.Errorf("provision an operator of %s: %w", op.unit, err)
	case status == http.StatusNotFound || status == http.StatusMethodNotAllowed:
		return fmt.Errorf("%w: POST %s answered %d %s", errRouteMissing, provisionPath(op.unit), status, clip(body))
	case status/100 == 2 || status == http.StatusConflict:
		return nil
	}
	return statusError("provision an operator of "+op.unit, status, body, nil)
}

// readOperators reads accounts provisioned outside the load test (a
// staging system's test units): CSV lines creditCode,name,password,phone,
// a header line allowed.
func readOperators(path string) ([]*operator, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = 4
	var out []*operator
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if strings.EqualFold(strings.TrimSpace(rec[0]), "creditCode") {
			continue
		}
		unit := strings.TrimSpace(rec[0])
		out = append(out, &operator{unit: unit, name: strings.TrimSpace(rec[1]), password: strings.TrimSpace(rec[2]),
			phone: strings.TrimSpace(rec[3]), device: "lt-ent-" + unit})
	}
}

// signIn signs the operator in from their device, with the SMS code the
// first time that device is used.
func (op *operator) signIn(base string, sm sims) error {
	dev := http.Header{"X-Device-ID": {op.device}}
	var res struct {
		SMSRequired bool
		Challenge   struct{ ID string }
		Session     struct{ Token string }
	}
	since := time.Now()
	status, body, err := call("POST", base+"/ent/v1/sessions", dev,
		map[string]string{"creditCode": op.unit, "name": op.name, "password": op.password}, &res)
	if status == http.StatusTooManyRequests && err == nil { // a code went out less than a minute ago
		time.Sleep(61 * time.Second)
		since = time.Now()
		status, body, err = call("POST", base+"/ent/v1/sessions", dev,
			map[string]string{"creditCode": op.unit, "name": op.name, "password": op.password}, &res)
	}
	if err != nil || status != http.StatusOK {
		return statusError("operator of "+op.unit+": sign in", status, body, err)
	}
	if !res.SMSRequired {
		op.token = res.Session.Token
		return nil
	}
	code, err := sm.lastCode(op.phone, since)
	if err != nil {
		return fmt.Errorf("operator of %s: %w", op.unit, err)
	}
	var s struct{ Token string }
	status, body, err = call("POST", base+"/ent/v1/sessions/sms", dev, map[string]string{"challenge": res.Challenge.ID, "code": code}, &s)
	if err != nil || status != http.StatusOK || s.Token == "" {
		return statusError("operator of "+op.unit+": SMS code", status, body, err)
	}
	op.token = s.Token
	return nil
}

// infoChange is a filled 单位参保信息变更登记 (change of address).
func (op *operator) infoChange(rng *rnd) map[string]any {
	streets := []string{"振兴区锦山大街", "元宝区宝山大街", "振安区鸭绿江大街", "东港市新兴路", "凤城市凤凰大街"}
	return map[string]any{"matterCode": "unit.info_change", "situation": "address", "form": map[string]any{
		"contactName": "王经办", "contactPhone": op.phone,
		"newAddress": "丹东市" + streets[rng.IntN(len(streets))] + strconv.Itoa(1+rng.IntN(300)) + "号"}}
}

// file files one change of address for the unit and returns its id.
func (op *operator) file(base string, rng *rnd) (string, error) {
	h := bearer(op.token)
	h.Set("Idempotency-Key", newKey())
	var out struct {
		Applications []struct{ ID string }
	}
	status, body, err := call("POST", base+"/ent/v1/units/"+op.unit+"/applications", h, op.infoChange(rng), &out)
	if err != nil || status != http.StatusCreated || len(out.Applications) == 0 {
		return "", statusError("operator of "+op.unit+": file", status, body, err)
	}
	return out.Applications[0].ID, nil
}

// rateStages reads which stages of the unit's application are open to
// rating: acceptance once the counter core took it in, the result once it
// is final.
func (op *operator) rateStages(base, id string) ([]string, error) {
	var v struct {
		CaseNo string
		Final  bool
	}
	status, body, err := call("GET", base+"/ent/v1/units/"+op.unit+"/applications/"+id, bearer(op.token), nil, &v)
	if err != nil || status != http.StatusOK {
		return nil, statusError("operator of "+op.unit+": application", status, body, err)
	}
	var out []string
	if v.CaseNo != "" {
		out = append(out, "accepted")
	}
	if v.Final {
		out = append(out, "completed")
	}
	return out, nil
}

// request builds one signed-in request of the operator.
func (op *operator) request(method, target string, body []byte, extra http.Header, base string) Request {
	h := http.Header{"Authorization": {"Bearer " + op.token}}
	for k, v := range extra {
		h[k] = v
	}
	if body != nil {
		h.Set("Content-Type", "application/json")
	}
	return Request{Method: method, URL: base + target, Header: h, Body: body}
}

// enterpriseKinds are the requests of unit operators (their part of the
// mix, loadtest/README.md): the unit's records and applications, the
// matter list, filings, and ratings of what they filed.
func enterpriseKinds(base string) []kind[*operator] {
	unit := func(path string) func(*operator, *rnd) Request {
		return func(op *operator, _ *rnd) Request {
			return op.request("GET", "/ent/v1/units/"+op.unit+path, nil, nil, base)
		}
	}
	return []kind[*operator]{
		{route: "GET /ent/v1/units/{code}", cat: catQuery, weight: 12, cost: 1, make: unit("")},
		{route: "GET /ent/v1/units/{code}/staff", cat: catQuery, weight: 10, cost: 1, make: unit("/staff?page=1&size=20")},
		{route: "GET /ent/v1/units/{code}/assessments", cat: catQuery, weight: 8, cost: 1, make: func(op *operator, rng *rnd) Request {
			return op.request("GET", "/ent/v1/units/"+op.unit+"/assessments?year="+strconv.Itoa(thisYear()-rng.IntN(2)), nil, nil, base)
		}},
		{route: "GET /ent/v1/units/{code}/applications", cat: catQuery, weight: 10, cost: 1, make: unit("/applications")},
		{route: "GET /ent/v1/units/{code}/monthly-declarations", cat: catQuery, weight: 5, cost: 1, make: unit("/monthly-declarations")},
		{route: "GET /ent/v1/matters", cat: catCatalog, weight: 8, cost: 1, make: func(op *operator, _ *rnd) Request {
			return op.request("GET", "/ent/v1/matters", nil, nil, base)
		}},
		{route: "GET /api/v1/announcements", cat: catCatalog, weight: 4, cost: 1, make: publicAnnouncements[*operator](base)},
		{route: "POST /ent/v1/units/{code}/applications", cat: catSubmit, weight: 33, cost: 2, make: func(op *operator, rng *rnd) Request {
			body, _ := json.Marshal(op.infoChange(rng))
			return op.request("POST", "/ent/v1/units/"+op.unit+"/applications", body, http.Header{"Idempotency-Key": {newKey()}}, base)
		}},
		{route: "POST /ent/v1/units/{code}/applications/{id}/rating", cat: catRate, weight: 20, cost: 2, expect: []int{http.StatusConflict},
			when: func(op *operator) bool { return op.planned || op.tickets.len() > 0 },
			make: func(op *operator, rng *rnd) Request {
				t := op.tickets.next()
				body, _ := json.Marshal(ratingBody(t.stage, rng))
				return op.request("POST", "/ent/v1/units/"+op.unit+"/applications/"+t.id+"/rating", body, nil, base)
			}},
	}
}

package admin

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Role says what a staff member may do in the back office.
type Role string

// The roles.
const (
	// RoleAdmin (系统管理员) may do everything: the catalog, announcements,
	// kiosks and the audit log besides what an operator does.
	RoleAdmin Role = "admin"
	// RoleOperator (业务经办) works on rectifications, notices under review
	// and the rating statistics.
	RoleOperator Role = "operator"
)

// Label is the role's Chinese name.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "系统管理员"
	case RoleOperator:
		return "业务经办"
	}
	return "未知角色"
}

// allows reports whether a staff member of role r may use a route that
// needs role need.
func (r Role) allows(need Role) bool { return r == RoleAdmin || r == need }

// Staff is a member of the bureau's staff who may use the back office.
// The token is a secret: String, GoString and LogValue leave it out, so a
// Staff can be printed and logged.
type Staff struct {
	ID    string // staff number, s1001: the audit log's actor
	Name  string // display name, 李明; the ID when empty
	Role  Role
	Token string // the bearer token; never logged, shown or compared but in constant time
}

// String names the staff member and role, never the token.
func (s Staff) String() string { return s.ID + "(" + string(s.Role) + ")" }

// GoString is String, so %#v does not print the token either.
func (s Staff) GoString() string { return "admin.Staff{" + s.String() + "}" }

// LogValue logs the staff member without the token.
func (s Staff) LogValue() slog.Value { return slog.StringValue(s.String()) }

// label is how a rectification step names who took it: the display name
// with the staff number, 李明（s1001）, so two staff of the same name are told
// apart; at most 20+24+2 characters, within the step's 64.
func (s Staff) label() string {
	if s.Name == "" || s.Name == s.ID {
		return s.ID
	}
	return s.Name + "（" + s.ID + "）"
}

// The limits of a staff entry.
const (
	MinTokenLen = 32 // characters: a token is a password nobody types
	MaxTokenLen = 256
	MaxStaffID  = 24 // shorter than any token, so an error naming an id never shows a token
	MaxName     = 20 // characters
)

// ParseStaff reads the roster of staff who may sign in, as configured
// (HRSS_ADMIN_TOKENS): entries separated by commas, semicolons or new
// lines, each
//
//	token:staffid:role[:display name]
//
// with role admin or operator. A token is 32 to 256 printable ASCII
// characters without spaces, ':', ',' or ';' (openssl rand -hex 32 makes
// one); a staff id is 1 to 24 letters, digits, '.', '_' or '-'; the display
// name at most 20 characters. A staff member may have several tokens (to
// rotate one), but a token belongs to one entry. Errors name the entry by
// its position and staff id, never its token. An empty spec is no staff.
func ParseStaff(spec string) ([]Staff, error) {
	var out []Staff
	var errs []error
	seen := map[string]string{} // token → staff id
	n := 0
	for _, entry := range strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' }) {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		n++
		s, err := parseEntry(entry)
		if err == nil && seen[s.Token] != "" {
			err = fmt.Errorf("its token is also the token of %q; every entry needs a token of its own", seen[s.Token])
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("entry %d (staff %q): %w", n, safeID(s.ID), err))
			continue
		}
		seen[s.Token] = s.ID
		out = append(out, s)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// parseEntry reads one token:staffid:role[:name] entry. The returned Staff
// carries the id even on error, for the message.
func parseEntry(entry string) (Staff, error) {
	parts := strings.SplitN(entry, ":", 4)
	if len(parts) < 3 {
		id := ""
		if len(parts) == 2 {
			id = parts[1]
		}
		return Staff{ID: id}, errors.New("want token:staffid:role[:display name]")
	}
	s := Staff{Token: parts[0], ID: strings.TrimSpace(parts[1]), Role: Role(strings.TrimSpace(parts[2]))}
	if len(parts) == 4 {
		s.Name = strings.TrimSpace(parts[3])
	}
	switch {
	case !validToken(s.Token):
		return s, fmt.Errorf("the token must be %d to %d printable characters without spaces, ':', ',' or ';' (openssl rand -hex 32 makes one)", MinTokenLen, MaxTokenLen)
	case !validStaffID(s.ID):
		return s, fmt.Errorf("the staff id must be 1 to %d letters, digits, '.', '_' or '-'", MaxStaffID)
	case s.Role != RoleAdmin && s.Role != RoleOperator:
		return s, fmt.Errorf("the role must be %s or %s, got %q", RoleAdmin, RoleOperator, s.Role)
	case !validName(s.Name):
		return s, fmt.Errorf("the display name must be at most %d characters, without control characters", MaxName)
	}
	if s.Name == "" {
		s.Name = s.ID
	}
	return s, nil
}

func validToken(t string) bool {
	if len(t) < MinTokenLen || len(t) > MaxTokenLen {
		return false
	}
	for i := 0; i < len(t); i++ {
		if c := t[i]; c <= ' ' || c > '~' || c == ':' || c == ',' || c == ';' {
			return false
		}
	}
	return true
}

func validStaffID(id string) bool {
	if id == "" || len(id) > MaxStaffID {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func validName(name string) bool {
	return utf8.ValidString(name) && utf8.RuneCountInString(name) <= MaxName &&
		strings.IndexFunc(name, unicode.IsControl) < 0
}

// safeID is id for an error message: as it is when well-formed, "?"
// otherwise, since a malformed entry may have its fields out of place and
// hold a token where the id belongs (a well-formed id is shorter than any
// token).
func safeID(id string) string {
	if validStaffID(id) {
		return id
	}
	return "?"
}

// DevTokenFile is the file under the data directory that keeps the
// development administrator's token.
const DevTokenFile = "admin-token"

// DevStaffID is the staff id of the development administrator.
const DevStaffID = "dev-admin"

// LoadOrCreateDevStaff returns the one administrator of the embedded
// default (开发管理员), whose token is generated once into dir/admin-token
// (readable by its owner only) and read back on later starts, so a newcomer
// can try the back office with `Authorization: Bearer $(cat var/admin-token)`
// without the token ever appearing in a log. Production configures
// HRSS_ADMIN_TOKENS instead.
func LoadOrCreateDevStaff(dir string) ([]Staff, error) {
	path := filepath.Join(dir, DevTokenFile)
	token, err := readDevToken(path)
	if errors.Is(err, os.ErrNotExist) {
		token, err = writeDevToken(dir, path)
	}
	if err != nil {
		return nil, err
	}
	return []Staff{{ID: DevStaffID, Name: "开发管理员", Role: RoleAdmin, Token: token}}, nil
}

func readDevToken(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	token := strings.TrimSpace(string(b))
	if !validToken(token) {
		return "", fmt.Errorf("%s does not hold a valid admin token; delete it to have a new one made", path)
	}
	return token, nil
}

func writeDevToken(dir, path string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	b := make([]byte, 32)
	rand.Read(b) // never fails: crypto/rand crashes the program instead
	token := hex.EncodeToString(b)
	if err := os.WriteFile(path, []byte(token+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return token, nil
}
